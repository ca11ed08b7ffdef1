/** The XML of a container that runs `script` under /bin/sh. */
export function lxcXML(name: string, script: string, extra = '', memoryKiB = 1048576): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<domain type='lxc'>
  <name>${esc(name)}</name>
  <memory unit='KiB'>${memoryKiB}</memory>
  ${extra}
  <os>
    <type>exe</type>
    <init>/bin/sh</init>
    <initarg>-c</initarg>
    <initarg>${esc(script)}</initarg>
  </os>
</domain>`;
}

/** A container script that touches 64 MiB, says `ready`, then idles (needs /usr/bin/python3). */
export const HOLD_64M =
  "exec /usr/bin/python3 -c \"import time\nb = bytearray(b'x') * (64 << 20)\nprint('ready', flush=True)\nwhile True: time.sleep(60)\"";
