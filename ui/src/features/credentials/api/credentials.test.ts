import { describe, expect, it } from 'vitest';
import { buildSecret, secretError } from './credentials';

describe('credential secrets', () => {
  it('sends only the fields of the chosen type', () => {
    const all = { password: 'p', privateKey: 'k', passphrase: '', key: 'a' };
    expect(buildSecret('password', all)).toEqual({ password: 'p' });
    expect(buildSecret('winrm', all)).toEqual({ password: 'p' });
    expect(buildSecret('api_key', all)).toEqual({ key: 'a' });
    expect(buildSecret('ssh_key', all)).toEqual({ privateKey: 'k' });
    expect(buildSecret('ssh_key', { ...all, passphrase: 'x' })).toEqual({ privateKey: 'k', passphrase: 'x' });
  });

  it('requires the secret a type needs', () => {
    expect(secretError('password', {})).toEqual({ password: 'Password is required' });
    expect(secretError('ssh_key', { privateKey: 'not a key' })).toEqual({ privateKey: 'Paste the private key in PEM/OpenSSH format' });
    expect(secretError('ssh_key', { privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----' })).toEqual({});
    expect(secretError('api_key', { key: 'k' })).toEqual({});
  });
});
