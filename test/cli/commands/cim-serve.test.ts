import { describe, expect, it } from 'vitest';
import { parseListen } from '../../../src/cli/commands/cim-serve.js';

describe('cim-serve --listen', () => {
  it('takes HOST:PORT, [IPv6]:PORT and a bare port (on 127.0.0.1)', () => {
    expect(parseListen('127.0.0.1:5988')).toEqual({ host: '127.0.0.1', port: 5988 });
    expect(parseListen('localhost:0')).toEqual({ host: 'localhost', port: 0 });
    expect(parseListen('[::1]:15988')).toEqual({ host: '::1', port: 15988 });
    expect(parseListen('5989')).toEqual({ host: '127.0.0.1', port: 5989 });
    expect(parseListen(':5990')).toEqual({ host: '127.0.0.1', port: 5990 });
  });

  it('refuses anything else', () => {
    for (const bad of ['', 'host', 'host:', 'host:65536', 'host:-1', '::1:5988', '[::1]', 'a:b:c', 'host:12x', '1.2.3.4:999999']) {
      expect(parseListen(bad), bad).toBeUndefined();
    }
  });
});
