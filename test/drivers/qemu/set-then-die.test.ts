import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DOMAIN_AFFECT_LIVE, DomainState, DOMAIN_XML_INACTIVE } from '../../../src/flags.js';
import { skipUnless } from '../../helpers/prereq.js';
import { runChildUntilLine } from '../../helpers/child-until-line.js';
import { qemuEnvPerTest } from './helpers/env-per-test.js';
import { noOsXML } from './helpers/env.js';
import { typedParamsToRecord } from '../../../src/typed-params/helpers.js';

const MiB = 1024n;

describe.skipIf(skipUnless('root', 'qemu', 'cgroup-v1-memory'))('a process killed between a live set and its status save (QEMU)', () => {
  const qemu = qemuEnvPerTest();
  const script = fileURLToPath(new URL('../../helpers/set-then-die-child.mjs', import.meta.url));

  it('the next process rebuilds the live hard limit from the cgroup', async () => {
    const xml = noOsXML('setdie', '5d0c7f0e-6a1b-4c2d-9e3f-4a5b6c7d8e9f', {
      memtune: "<memtune><hard_limit unit='MiB'>900</hard_limit></memtune>",
    });
    const child = await runChildUntilLine(script, [qemu.env.uri(), xml, String(700n * MiB)]);
    let statusXml: string;
    try {
      statusXml = (JSON.parse(readFileSync(`${qemu.env.root}/run/qemu/setdie.json`, 'utf8')) as { liveXml: string }).liveXml;
    } finally {
      await child.kill();
    }
    // Killed after the change and before its save.
    expect(statusXml).toContain(`<hard_limit unit='KiB'>${900n * MiB}</hard_limit>`);

    const conn = await qemu.env.open();
    const dom = await conn.lookupDomainByName('setdie');
    expect(dom.id).toBe(Number(child.line));
    expect((await dom.getState()).state).toBe(DomainState.RUNNING);
    expect(await dom.getXMLDesc()).toContain(`<hard_limit unit='KiB'>${700n * MiB}</hard_limit>`);
    expect((await dom.getMemoryParameters(DOMAIN_AFFECT_LIVE))[0]).toMatchObject({ field: 'hard_limit', value: BigInt(700n * MiB) });
    expect(await dom.getXMLDesc(DOMAIN_XML_INACTIVE)).toContain(`<hard_limit unit='KiB'>${900n * MiB}</hard_limit>`);
    await dom.destroy();
  });

  it.skipIf(skipUnless('cgroup-v1-cpu'))('the next process rebuilds live vcpu_* and emulator_* from vcpuN/ and emulator/', async () => {
    const xml = noOsXML('schdie', '6e1d8a1f-7b2c-4d3e-8f40-5b6c7d8e9fa0', {
      cputune: '<cputune><shares>2048</shares><period>50000</period><emulator_quota>20000</emulator_quota></cputune>',
    });
    const change = [['vcpu_quota', 'LLONG', '30000'], ['emulator_quota', 'LLONG', '-1'], ['global_period', 'ULLONG', '40000']];
    const child = await runChildUntilLine(script, [qemu.env.uri(), xml, JSON.stringify(change), 'setSchedulerParameters']);
    let statusXml: string;
    try {
      statusXml = (JSON.parse(readFileSync(`${qemu.env.root}/run/qemu/schdie.json`, 'utf8')) as { liveXml: string }).liveXml;
    } finally {
      await child.kill();
    }
    // Killed after the change and before its save.
    expect(statusXml).toContain('<emulator_quota>20000</emulator_quota>');
    expect(statusXml).not.toContain('<quota>');

    const conn = await qemu.env.open();
    const dom = await conn.lookupDomainByName('schdie');
    expect(dom.id).toBe(Number(child.line));
    const live = await dom.getXMLDesc();
    for (const element of ['<shares>2048</shares>', '<period>50000</period>', '<quota>30000</quota>', '<global_period>40000</global_period>', '<emulator_quota>-1</emulator_quota>']) {
      expect(live).toContain(element);
    }
    // Values the start left to the kernel stay out of the live definition.
    expect(live).not.toContain('<emulator_period>');
    expect(live).not.toContain('<global_quota>');
    expect(typedParamsToRecord(await dom.getSchedulerParameters(DOMAIN_AFFECT_LIVE))).toMatchObject({
      cpu_shares: 2048n,
      vcpu_period: 50000n,
      vcpu_quota: 30000n,
      emulator_quota: -1n,
      global_period: 40000n,
    });
    await dom.destroy();
  });
});
