import { describe, expect, it } from 'vitest';
import { applyTestDefaults } from '../../../src/drivers/test/defaults.js';
import { applyDefaultClock, formatDomainXML, parseDomainXML } from '../../../src/xml/index.js';

const UUID = '11111111-2222-4333-8444-555555555555';
function doc(body: string): string {
  return `<domain type='test'><name>d</name><uuid>${UUID}</uuid><memory>1024</memory><os><type>hvm</type></os>${body}</domain>`;
}
/** dumpxml of a definition after the test driver's defaults. */
function dumped(body: string): string {
  return formatDomainXML(applyTestDefaults(parseDomainXML(doc(body))), { inactive: true });
}
/** The names of `<domain>`'s children, in output order. */
function order(xml: string): string[] {
  return [...xml.matchAll(/^  <([A-Za-z_:]+)/gm)].map((m) => m[1]!);
}

describe('applyTestDefaults: the clock', () => {
  it('adds a UTC clock after </os>, as libvirt prints it', () => {
    const xml = dumped('');
    expect(xml).toContain("  </os>\n  <clock offset='utc'/>\n  <on_poweroff>destroy</on_poweroff>\n");
  });

  it('places it after <features> and <cpu>, before the on_* actions and <pm>', () => {
    const xml = dumped("<pm/><on_crash>restart</on_crash><cpu mode='host-model'/><features><acpi/></features>");
    expect(order(xml)).toEqual([
      'name', 'uuid', 'memory', 'currentMemory', 'vcpu', 'os', 'features', 'cpu', 'clock', 'on_poweroff', 'on_reboot',
      'on_crash', 'pm', 'devices',
    ]);
  });

  it('gives a clock without offset offset=utc first, and leaves one with an offset alone', () => {
    expect(dumped("<clock adjustment='reset'><timer name='rtc'/></clock>")).toContain(
      "  <clock offset='utc' adjustment='reset'>\n    <timer name='rtc'/>\n  </clock>\n",
    );
    expect(dumped("<clock offset='localtime'/>")).toContain("  <clock offset='localtime'/>\n");
    expect(dumped("<clock offset='localtime'/>").match(/<clock/g)).toHaveLength(1);
  });

  it('is idempotent, and its output parses and formats to itself', () => {
    const once = applyTestDefaults(parseDomainXML(doc('<features><pae/></features>')));
    const xml = formatDomainXML(once, { inactive: true });
    expect(formatDomainXML(applyTestDefaults(once), { inactive: true })).toBe(xml);
    expect(formatDomainXML(applyTestDefaults(parseDomainXML(xml)), { inactive: true })).toBe(xml);
  });

  it('does not change the nodes of the definition it was given', () => {
    const def = parseDomainXML(doc('<clock/>'));
    const before = structuredClone(def.passthrough);
    const after = applyDefaultClock(structuredClone(def));
    expect(def.passthrough).toEqual(before);
    expect(after.passthrough).not.toEqual(before);
    applyDefaultClock(def);
    expect(before).toEqual(parseDomainXML(doc('<clock/>')).passthrough);
  });
});
