import { emptyMemTune } from '../../memory/params.js';
import type { DomainDef } from '../../xml/domain-def.js';
import type { DomainPassthrough } from '../../xml/passthrough.js';
import type { RawAttr, RawNode } from '../../xml/raw.js';

/** An empty element of a kept subtree. */
function leaf(name: string, ...attrs: RawAttr[]): RawNode {
  return { k: 'e', name, attrs, children: [] };
}

function pci(domain: string, bus: string, slot: string, fn: string): RawNode {
  return leaf('address', ['type', 'pci'], ['domain', domain], ['bus', bus], ['slot', slot], ['function', fn]);
}

/** The kept (unmodelled) part of the default domain, with the ranks parseDomainXML gives it. */
function passthrough(): DomainPassthrough {
  return {
    memballoon: { children: [{ rank: 2, node: pci('0x0000', '0x00', '0x02', '0x0') }] },
    devices: {
      children: [
        {
          rank: 1,
          node: {
            k: 'e', name: 'disk', attrs: [['type', 'file'], ['device', 'disk']],
            children: [leaf('source', ['file', '/guest/diskimage1']), leaf('target', ['dev', 'vda'], ['bus', 'virtio']), pci('0x0000', '0x01', '0x00', '0x0')],
          },
        },
        {
          rank: 5,
          node: {
            k: 'e', name: 'interface', attrs: [['type', 'network']],
            children: [
              leaf('mac', ['address', 'aa:bb:cc:dd:ee:ff']), leaf('source', ['network', 'default']),
              leaf('target', ['dev', 'testnet0']), pci('0x0000', '0x00', '0x01', '0x0'),
            ],
          },
        },
      ],
    },
    domain: { children: [{ rank: 27, node: leaf('clock', ['offset', 'utc']) }] },
  };
}

/**
 * The default domain already parsed: what `applyTestDefaults(parseDomainXML(DEFAULT_DOMAIN_XML))` gives (a test
 * keeps the two equal). Opening `test:///default` builds it from this plain data so that the XML parser, and
 * libxmljs2 with it, is loaded only when a document is actually parsed; that halves the CLI's cold start.
 * Each call returns a fresh copy.
 */
export function defaultDomainDef(): DomainDef {
  return {
    type: 'test',
    name: 'test',
    uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f',
    memory: 8388608n,
    currentMemory: 2097152n,
    memtune: emptyMemTune(),
    vcpu: { count: 2, placement: 'static' },
    os: { type: 'hvm', boot: ['hd'], initargs: [], arch: 'i686' },
    onPoweroff: 'destroy',
    onReboot: 'restart',
    onCrash: 'destroy',
    devices: { memballoon: { model: 'virtio' } },
    passthrough: passthrough(),
  };
}
