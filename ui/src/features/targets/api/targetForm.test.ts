import { splitFieldErrors } from '@/lib/api/problem';
import { describe, expect, it } from 'vitest';
import { followDefaultPort, normalizeThumbprint, THUMBPRINT_HELP, thumbprintError, TARGET_ERROR_MAPPING, toTargetInput, type TargetFormValues } from './targetForm';

const SHA1 = '3B7E0A9F5C1D2E4F6A8B0C1D2E3F4A5B6C7D8E9F';
const SHA256 = '9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08';

const windows: TargetFormValues = {
  name: ' win01 ',
  hostname: ' win01.corp.example ',
  port: '',
  osType: 'windows',
  connection: 'winrm',
  credentialId: '7',
  tags: ['prod'],
  description: '',
  useHttps: true,
  verifyCertificate: false,
  certificateThumbprint: '',
  hostKeyFingerprint: '',
};

describe('target form: WinRM certificate thumbprint', () => {
  it('normalizes what the Windows certificate dialog and openssl print', () => {
    const spaced = '\u200e' + SHA1.toLowerCase().match(/../g)!.join(' ');
    expect(normalizeThumbprint(spaced)).toBe(SHA1);
    expect(normalizeThumbprint(SHA256.match(/../g)!.join(':'))).toBe(SHA256);
  });

  it('requires a thumbprint when verification is off, and only then', () => {
    expect(thumbprintError(windows)).toMatch(/thumbprint is required/);
    expect(thumbprintError({ ...windows, verifyCertificate: true })).toBeNull();
    expect(thumbprintError({ ...windows, certificateThumbprint: SHA1 })).toBeNull();
    expect(thumbprintError({ ...windows, certificateThumbprint: SHA256.toLowerCase() })).toBeNull();
    // HTTP has no certificate, SSH no WinRM section: nothing to check.
    expect(thumbprintError({ ...windows, useHttps: false })).toBeNull();
    expect(thumbprintError({ ...windows, connection: 'ssh' })).toBeNull();
  });

  it('refuses what is not a SHA-1 or SHA-256 in hex', () => {
    expect(thumbprintError({ ...windows, certificateThumbprint: SHA1.slice(1) })).toMatch(/40 \(SHA-1\) or 64 \(SHA-256\)/);
    expect(thumbprintError({ ...windows, certificateThumbprint: 'ZZ' + SHA1.slice(2) })).toMatch(/hex/);
    expect(thumbprintError({ ...windows, verifyCertificate: true, certificateThumbprint: 'sha1:' + SHA1 })).toMatch(/hex/);
  });

  it('sends the thumbprint normalized, for HTTPS only', () => {
    const https = toTargetInput({ ...windows, certificateThumbprint: SHA1.toLowerCase().match(/../g)!.join(' ') });
    expect(https).toEqual({
      name: 'win01',
      hostname: 'win01.corp.example',
      port: null,
      osType: 'windows',
      connection: 'winrm',
      credentialId: 7,
      tags: ['prod'],
      description: null,
      winrm: { useHttps: true, verifyCertificate: false, certificateThumbprint: SHA1 },
      ssh: null,
    });
    expect(toTargetInput({ ...windows, useHttps: false, certificateThumbprint: SHA1 }).winrm).toEqual({
      useHttps: false,
      verifyCertificate: true,
      certificateThumbprint: null,
    });
    const ssh = toTargetInput({ ...windows, connection: 'ssh', certificateThumbprint: SHA1, hostKeyFingerprint: ' SHA256:abc ' });
    expect([ssh.winrm, ssh.ssh]).toEqual([null, { hostKeyFingerprint: 'SHA256:abc' }]);
  });

  it('says what the field is for', () => {
    expect(THUMBPRINT_HELP).toBe("Pin the listener's certificate; required when verification is off.");
  });

  it("puts the server's nested field errors on the form's fields", () => {
    const values = { certificateThumbprint: '', credentialId: '1', hostKeyFingerprint: '' };
    const errors = { 'winrm.certificateThumbprint': 'bad', credentialId: 'NTLM over HTTP', 'ssh.hostKeyFingerprint': 'MD5?', 'ssh.other': 'new' };
    expect(splitFieldErrors(errors, values, TARGET_ERROR_MAPPING)).toEqual({
      fields: { certificateThumbprint: 'bad', credentialId: 'NTLM over HTTP', hostKeyFingerprint: 'MD5?' },
      unmatched: ['other: new'],
    });
  });
});

describe('target form: ports follow the protocol', () => {
  it('moves an empty or default port to the new default and keeps a typed one', () => {
    expect(followDefaultPort('', { connection: 'winrm', useHttps: true })).toBe('');
    expect(followDefaultPort(5986, { connection: 'winrm', useHttps: true })).toBe(''); // HTTPS -> HTTP: 5985 from the placeholder
    expect(followDefaultPort(5985, { connection: 'winrm', useHttps: false })).toBe('');
    expect(followDefaultPort(22, { connection: 'ssh', useHttps: true })).toBe('');
    expect(followDefaultPort(2222, { connection: 'ssh', useHttps: true })).toBe(2222);
    expect(followDefaultPort(5985, { connection: 'winrm', useHttps: true })).toBe(5985); // typed on purpose
  });
});
