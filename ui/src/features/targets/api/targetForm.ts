import type { FormErrorMapping } from '@/lib/api/problem';
import { defaultPort, type Connection, type OsType, type TargetInput } from './targets';

/** What the target form edits; the API body is built from it by {@link toTargetInput}. */
export type TargetFormValues = {
  name: string;
  hostname: string;
  port: number | string;
  osType: OsType;
  connection: Connection;
  credentialId: string | null;
  tags: string[];
  description: string;
  useHttps: boolean;
  verifyCertificate: boolean;
  certificateThumbprint: string;
  hostKeyFingerprint: string;
};

export const THUMBPRINT_HELP = "Pin the listener's certificate; required when verification is off.";

/**
 * A thumbprint as the server stores it: upper-case hex without spaces, colons or the invisible marks the Windows
 * certificate dialog copies along (U+200B, U+200E, U+200F, U+FEFF).
 */
export function normalizeThumbprint(value: string): string {
  return value.replace(/[\s:\u200b\u200e\u200f\ufeff]/g, '').toUpperCase();
}

/** The server's rules for the WinRM section, checked before sending: a message for the thumbprint field, or null. */
export function thumbprintError(values: Pick<TargetFormValues, 'connection' | 'useHttps' | 'verifyCertificate' | 'certificateThumbprint'>): string | null {
  if (values.connection !== 'winrm' || !values.useHttps) return null;
  const thumbprint = normalizeThumbprint(values.certificateThumbprint);
  if (thumbprint === '') {
    return values.verifyCertificate ? null : 'Without certificate verification a thumbprint is required: the pin is the trust.';
  }
  return /^([0-9A-F]{40}|[0-9A-F]{64})$/.test(thumbprint) ? null : 'A thumbprint is 40 (SHA-1) or 64 (SHA-256) hex digits.';
}

/**
 * The port after the protocol changed: a port left empty or still at the old protocol's default follows to the new
 * one (empty, so the placeholder and the server show the default); a port someone typed stays.
 */
export function followDefaultPort(port: number | string, before: { connection: Connection; useHttps: boolean }): number | string {
  return port === '' || Number(port) === defaultPort(before.connection, before.useHttps) ? '' : port;
}

/** The request body: only the section of the chosen connection, the thumbprint normalized and only for HTTPS. */
export function toTargetInput(values: TargetFormValues): TargetInput {
  const thumbprint = normalizeThumbprint(values.certificateThumbprint);
  return {
    name: values.name.trim(),
    hostname: values.hostname.trim(),
    port: values.port === '' ? null : Number(values.port),
    osType: values.osType,
    connection: values.connection,
    credentialId: Number(values.credentialId),
    tags: values.tags,
    description: values.description.trim() || null,
    winrm:
      values.connection === 'winrm'
        ? {
            useHttps: values.useHttps,
            verifyCertificate: values.useHttps ? values.verifyCertificate : true,
            certificateThumbprint: values.useHttps && thumbprint ? thumbprint : null,
          }
        : null,
    ssh: values.connection === 'ssh' ? { hostKeyFingerprint: values.hostKeyFingerprint.trim() || null } : null,
  };
}

/** The server names nested fields (`winrm.certificateThumbprint`, `ssh.hostKeyFingerprint`); the form's are flat. */
export const TARGET_ERROR_MAPPING: FormErrorMapping = { rename: (key) => key.replace(/^(winrm|ssh)\./, '') };
