/** The remote driver against a real libvirtd that this file starts on a private socket (test driver). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../src/index.js';
import { ErrorCode, ErrorDomain } from '../../../src/errors.js';
import { DomainState } from '../../../src/flags.js';
import { TypedParameterType } from '../../../src/typed-params/types.js';
import { skipUnless } from '../../helpers/prereq.js';
import { startPrivateLibvirtd, type PrivateLibvirtd } from '../../helpers/private-libvirtd.js';
import { rejection } from '../../helpers/vir-error.js';

const ULL = TypedParameterType.ULLONG;

describe.skipIf(skipUnless('root', 'libvirtd'))('remote driver over a unix socket', () => {
  let daemon: PrivateLibvirtd;
  let conn: Connection;
  beforeAll(async () => {
    daemon = await startPrivateLibvirtd();
    conn = await openConnection(daemon.unixURI());
  }, 30_000);
  afterAll(async () => {
    await conn?.close();
    await daemon?.stop();
  });

  it('opens the daemon-side test driver and answers the connection calls', async () => {
    expect(conn.getType()).toBe('TEST');
    expect(await conn.getVersion()).toBe(2); // the test driver's "0.0.2"
    expect(typeof (await conn.getHostname())).toBe('string');
  });

  it('looks domains up by name, uuid and id, and lists them', async () => {
    const dom = await conn.lookupDomainByName('test');
    expect(dom.id).toBe(1);
    expect(dom.uuid).toBe('6695eb01-f6a4-8304-79aa-97f2502e193f');
    expect((await conn.lookupDomainByUUID(dom.uuid)).name).toBe('test');
    expect((await conn.lookupDomainByID(1)).name).toBe('test');
    expect((await conn.listAllDomains()).map((d) => d.name)).toEqual(['test']);
  });

  it("returns the daemon's XML, info and state", async () => {
    const dom = await conn.lookupDomainByName('test');
    expect(await dom.getXMLDesc()).toMatch(/^<domain type='test' id='1'>/);
    const info = await dom.getInfo();
    expect(info).toMatchObject({ state: DomainState.RUNNING, maxMem: 8388608, memory: 2097152, nrVirtCpu: 2 });
    expect(typeof info.cpuTime).toBe('bigint');
    // Through the daemon the test driver's domain reports reason 0, as libvirt's Python binding shows too.
    expect(await dom.getState()).toEqual({ state: DomainState.RUNNING, reason: 0 });
    expect(await dom.isActive()).toBe(true);
    expect(await dom.isPersistent()).toBe(true);
  });

  it('sets and gets memory parameters, with the count query', async () => {
    const dom = await conn.lookupDomainByName('test');
    expect(await dom.getMemoryParameterCount()).toBe(3);
    await dom.setMemoryParameters([
      { field: 'hard_limit', type: ULL, value: 1048576n },
      { field: 'soft_limit', type: ULL, value: 524288 },
    ]);
    expect(await dom.getMemoryParameters()).toEqual([
      { field: 'hard_limit', type: ULL, value: 1048576n },
      { field: 'soft_limit', type: ULL, value: 524288n },
      { field: 'swap_hard_limit', type: ULL, value: 9007199254740991n },
    ]);
  });

  it("maps the daemon's errors to VirError with its code, domain and message", async () => {
    const missing = await rejection(conn.lookupDomainByName('nosuch'));
    expect(missing.toJSON()).toMatchObject({ code: ErrorCode.NO_DOMAIN, domain: ErrorDomain.TEST });
    // The daemon's test driver words it without detail; the binding prints the same.
    expect(missing.message).toBe('Domain not found');
    const dom = await conn.lookupDomainByName('test');
    const bad = await rejection(dom.setMemoryParameters([{ field: 'hard_limit', type: TypedParameterType.INT, value: 5 }]));
    expect(bad.code).toBe(ErrorCode.INVALID_ARG);
    expect(bad.message).toBe("invalid argument: invalid type 'int' for parameter 'hard_limit', expected 'ullong'");
    const flags = await rejection(dom.getMemoryParameters(8));
    expect(flags.message).toBe('unsupported flags (0x8) in function testDomainGetMemoryParameters');
  });

  it('fails to connect to a socket that is not there with SYSTEM_ERROR', async () => {
    const e = await rejection(openConnection(`test+unix:///default?socket=${daemon.dir}/none`));
    expect(e.code).toBe(ErrorCode.SYSTEM_ERROR);
    expect(e.message).toBe(`Failed to connect socket to '${daemon.dir}/none': No such file or directory`);
  });
});
