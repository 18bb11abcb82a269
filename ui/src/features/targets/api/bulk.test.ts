import { describe, expect, it } from 'vitest';
import { summarizeStatuses, targetCount, withTags } from './bulk';
import type { Target } from './targets';

const ssh = {
  id: 1,
  name: 'web-1',
  hostname: 'web-1.example',
  port: 22,
  osType: 'linux',
  connection: 'ssh',
  credentialId: 4,
  tags: ['prod', 'web'],
  description: null,
  winrm: null,
  ssh: { hostKeyFingerprint: 'SHA256:abc', hostKeyConfirmed: false, lastSeenHostKeyFingerprint: 'SHA256:abc' },
} as unknown as Target;

describe('bulk tag changes', () => {
  it('adds and removes tags, keeping everything else and never sending the host key back', () => {
    expect(withTags(ssh, { add: [' Canary ', 'prod'] })).toEqual({
      name: 'web-1',
      hostname: 'web-1.example',
      port: 22,
      osType: 'linux',
      connection: 'ssh',
      credentialId: 4,
      tags: ['prod', 'web', 'canary'],
      description: null,
      winrm: null,
      ssh: { hostKeyFingerprint: null },
    });
    expect(withTags(ssh, { remove: ['WEB'] }).tags).toEqual(['prod']);
  });

  it('keeps the WinRM settings of a Windows target', () => {
    const win = { ...ssh, connection: 'winrm', ssh: null, winrm: { useHttps: true, verifyCertificate: false, certificateThumbprint: 'AB' } } as unknown as Target;
    expect(withTags(win, { add: ['x'] })).toMatchObject({ ssh: null, winrm: { useHttps: true, verifyCertificate: false, certificateThumbprint: 'AB' } });
  });

  it('names counts and summarizes statuses', () => {
    expect(targetCount(1)).toBe('1 target');
    expect(targetCount(3)).toBe('3 targets');
    expect(summarizeStatuses(['healthy', 'unreachable', 'healthy'])).toBe('healthy: 2 · unreachable: 1');
  });
});
