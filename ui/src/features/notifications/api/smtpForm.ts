import type { SmtpSecurity, SmtpSettingsInput } from './notifications';

/** What the stored password becomes on save: kept (the field is not sent), replaced, or removed (""). */
export type PasswordMode = 'keep' | 'change' | 'remove';

export type SmtpFormValues = {
  host: string;
  port: number | string;
  security: SmtpSecurity;
  username: string;
  password: string;
  passwordMode: PasswordMode;
  fromAddress: string;
  fromName: string;
  allowInvalidCertificate: boolean;
};

/**
 * The PUT body. The password is write-only: null keeps the stored one, "" removes it, any other text replaces it.
 * "Change" with an empty box keeps the stored one rather than removing it by accident; no username means no
 * authentication, so the password goes too.
 */
export function smtpRequest(v: SmtpFormValues): SmtpSettingsInput {
  const username = v.username.trim() || null;
  const body: SmtpSettingsInput = {
    host: v.host.trim(),
    port: v.port === '' ? null : Number(v.port),
    security: v.security,
    username,
    fromAddress: v.fromAddress.trim(),
    fromName: v.fromName.trim(),
    allowInvalidCertificate: v.allowInvalidCertificate,
    password: null,
  };
  if (!username || v.passwordMode === 'remove') body.password = '';
  else if (v.passwordMode === 'change' && v.password !== '') body.password = v.password;
  return body;
}
