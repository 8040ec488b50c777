import { assertListenAllowed, isLoopbackHost } from '../../src/auth/authenticator';
import type { Authenticator } from '../../src/auth/principal';

describe('loopback hosts', () => {
  it('127.0.0.0/8, ::1 and localhost are loopback; everything else is not', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '127.255.255.254', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST']) {
      expect([h, isLoopbackHost(h)]).toEqual([h, true]);
    }
    for (const h of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', '128.0.0.1', '::ffff:10.0.0.1', 'example.org', 'localhost.example.org', '127.0.0.1.nip.io', '']) {
      expect([h, isLoopbackHost(h)]).toEqual([h, false]);
    }
  });

  it('assertListenAllowed refuses beyond loopback only in local mode, and then latches credentials', async () => {
    let latched = false;
    const fake = (local: boolean): Authenticator => ({
      localMode: async () => local,
      authenticate: async () => { throw new Error('unused'); },
      requireCredentials: () => { latched = true; },
    });
    await expect(assertListenAllowed('0.0.0.0', fake(true))).rejects.toThrow(/labortrace keys create/);
    expect(latched).toBe(false);
    await assertListenAllowed('127.0.0.1', fake(true));
    expect(latched).toBe(false);
    await assertListenAllowed('0.0.0.0', fake(false));
    expect(latched).toBe(true);
  });
});
