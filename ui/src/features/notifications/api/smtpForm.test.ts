import { describe, expect, it } from 'vitest';
import { smtpRequest, type SmtpFormValues } from './smtpForm';

const base: SmtpFormValues = {
  host: ' smtp.example.com ',
  port: 587,
  security: 'starttls',
  username: 'mailer',
  password: '',
  passwordMode: 'keep',
  fromAddress: 'ops@example.com',
  fromName: 'Ops',
  allowInvalidCertificate: false,
};

describe('the SMTP settings request', () => {
  it('sends no password (null) to keep the stored one', () => {
    const body = smtpRequest(base);
    expect(body.password).toBeNull();
    expect(body.host).toBe('smtp.example.com');
  });
  it('sends a new password only when one was typed', () => {
    expect(smtpRequest({ ...base, passwordMode: 'change', password: 's3cret' }).password).toBe('s3cret');
    expect(smtpRequest({ ...base, passwordMode: 'change', password: '' }).password).toBeNull();
  });
  it('removes the password on request, and without a username', () => {
    expect(smtpRequest({ ...base, passwordMode: 'remove' }).password).toBe('');
    expect(smtpRequest({ ...base, username: ' ', passwordMode: 'change', password: 'x' })).toMatchObject({ username: null, password: '' });
  });
});
