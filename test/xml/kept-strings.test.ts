import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parseDomainXML } from '../../src/xml/parse-domain.js';
import { applyTestDefaults } from '../../src/drivers/test/defaults.js';
import { formatDomainXML } from '../../src/xml/format-domain.js';

// V8 answers a substring of 13 characters or more with a view into the whole text (a sliced string), and a
// concatenation with a tree over its parts: a definition that kept such a string would keep its whole document
// alive. A fleet defined from large documents (or a name of 13 characters, a long kernel command line, a disk
// path) would then hold every document's text. These documents are mostly padding that nothing models or keeps,
// so a heap that grows by a fraction of their size proves no kept value holds on to them.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const PADDING = 256 * 1024;
const COUNT = 24;

/** A flat document (not a tree of concatenations) with long values in every kind of place a definition keeps. */
function paddedDocument(i: number): string {
  const pad = ' '.repeat(PADDING);
  const text = `<domain type='kvm'>${pad}
  <name>a-long-domain-name-${i}</name>
  <uuid>0000000000004000800000000000${(0x1001 + i).toString(16)}</uuid>
  <title>a title long enough to be sliced ${i}</title>
  <description>a description long enough to be sliced ${i}${'\né'.repeat(3000)}</description>
  <memory unit='KiB'>1048576</memory>
  <os>
    <type arch='x86_64' machine='pc-i440fx-long-machine-${i}'>hvm</type>
    <kernel>/boot/vmlinuz-a-long-kernel-path-${i}</kernel>
    <cmdline>console=ttyS0 root=/dev/vda1 ${i}</cmdline>
    <init>/sbin/an-init-with-a-long-path-${i}</init>
    <initarg>--an-init-argument-${i}</initarg>
  </os>
  <features><acpi/><apic eoi='an-unknown-long-value-${i}'/></features>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64-${i}</emulator>
    <disk type='file' device='disk'><source file='/var/lib/libvirt/images/disk-number-${i}.qcow2'/><target dev='vda'/></disk>
    <!-- a comment long enough to be sliced ${i} -->
  </devices>
</domain>`;
  // JSON's round trip gives one flat string, as a file read does.
  return JSON.parse(JSON.stringify(text)) as string;
}

function heapAfterGC(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('a parsed definition keeps none of its document', () => {
  it('holds its values in strings of their own: the documents are freed', () => {
    // The first parse loads and warms everything, so the baseline holds the code.
    formatDomainXML(applyTestDefaults(parseDomainXML(paddedDocument(-1), { validate: false })));
    const before = heapAfterGC();
    const defs = [];
    for (let i = 0; i < COUNT; i++) defs.push(applyTestDefaults(parseDomainXML(paddedDocument(i), { validate: false })));
    const grown = heapAfterGC() - before;
    // Every value is still there and intact.
    const xml = formatDomainXML(defs[7]!);
    for (const part of ['a-long-domain-name-7', 'a title long enough to be sliced 7', 'pc-i440fx-long-machine-7', '/boot/vmlinuz-a-long-kernel-path-7',
      'console=ttyS0 root=/dev/vda1 7', '--an-init-argument-7', 'an-unknown-long-value-7', '/usr/bin/qemu-system-x86_64-7',
      '/var/lib/libvirt/images/disk-number-7.qcow2', 'a comment long enough to be sliced 7']) {
      expect(xml).toContain(part);
    }
    // Holding the documents would be COUNT × 256 KiB (6 MiB); the definitions themselves take a few KiB each.
    expect(grown).toBeLessThan((COUNT * PADDING) / 8);
  });
});
