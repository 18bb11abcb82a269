import { describe, expect, it } from 'vitest';
import { checkTone, hostKeyState } from './hostKey';
import type { Target } from './targets';

const base = { connection: 'ssh', status: 'healthy', ssh: { hostKeyFingerprint: 'SHA256:a', lastSeenHostKeyFingerprint: 'SHA256:a', hostKeyConfirmed: true } } as Target;

describe('target host key', () => {
  it('is fine when the seen key is the confirmed pin', () => {
    expect(hostKeyState(base)).toEqual({ pinned: 'SHA256:a', seen: 'SHA256:a', mismatch: false, unconfirmed: false });
  });

  it('is a mismatch when another key was seen, never also "unconfirmed"', () => {
    const changed = { ...base, status: 'host_key_mismatch', ssh: { ...base.ssh!, lastSeenHostKeyFingerprint: 'SHA256:b' } } as Target;
    expect(hostKeyState(changed)).toMatchObject({ mismatch: true, unconfirmed: false, pinned: 'SHA256:a', seen: 'SHA256:b' });
  });

  it('asks for a confirmation when nothing is pinned or the pin was taken on first use', () => {
    expect(hostKeyState({ ...base, status: 'host_key_unconfirmed', ssh: { ...base.ssh!, hostKeyFingerprint: null } } as Target).unconfirmed).toBe(true);
    expect(hostKeyState({ ...base, ssh: { ...base.ssh!, hostKeyConfirmed: false } } as Target).unconfirmed).toBe(true);
  });
});

describe('check result tone', () => {
  it('is a success only for a healthy target', () => {
    expect(checkTone({ status: 'healthy' }).color).toBe('teal');
    expect(checkTone({ status: 'host_key_mismatch' }).color).toBe('red');
    expect(checkTone({ status: 'host_key_unconfirmed' }).color).toBe('yellow');
    expect(checkTone({ status: 'unreachable' })).toEqual({ color: 'red', title: 'Check failed · unreachable' });
  });
});
