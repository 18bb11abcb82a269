import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type components } from '@/lib/api/client';
import { useInvalidating } from '@/lib/api/mutations';
import { byId } from '@/lib/api/paths';

export const CREDENTIAL_TYPES = ['password', 'ssh_key', 'winrm', 'api_key'] as const;
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];
export const CREDENTIAL_TYPE_LABELS: Record<CredentialType, string> = {
  password: 'Password',
  ssh_key: 'SSH key',
  winrm: 'WinRM',
  api_key: 'API key',
};

type Schemas = components['schemas'];
/** What the API shows about a credential: metadata only, never the secret. */
export type Credential = Schemas['CredentialDto'];

/** The secret fields the forms edit; only the ones a type needs are sent. */
export type Secret = { password?: string; privateKey?: string; passphrase?: string; key?: string };

export type CredentialInput = {
  name: string;
  type: CredentialType;
  description?: string;
  username?: string;
  domain?: string;
  authentication?: 'basic' | 'ntlm';
  /** Omitted on edit to keep the stored secret. */
  secret?: Secret;
};

export type CredentialsQuery = { page: number; pageSize: number; search?: string; type?: CredentialType };

const key = ['credentials'] as const;

/** The request body as the API declares it: every field present, null when unused. */
export function toSecretInput(s: Secret): Schemas['SecretInput'] {
  return { password: s.password ?? null, privateKey: s.privateKey ?? null, passphrase: s.passphrase ?? null, key: s.key ?? null };
}

export function toRequest(c: CredentialInput): Schemas['CredentialRequest'] {
  return {
    name: c.name,
    type: c.type,
    description: c.description ?? null,
    username: c.username ?? null,
    domain: c.domain ?? null,
    authentication: c.authentication ?? null,
    secret: c.secret ? toSecretInput(c.secret) : null,
  };
}

export function useCredentials(q: CredentialsQuery) {
  return useQuery({
    queryKey: [...key, q],
    queryFn: () => unwrap(api.GET('/api/v1/credentials', { params: { query: q } })),
    placeholderData: keepPreviousData,
  });
}

export const useCreateCredential = () =>
  useInvalidating(key, (body: CredentialInput) => unwrap(api.POST('/api/v1/credentials', { body: toRequest(body) })));

export const useUpdateCredential = () =>
  useInvalidating(key, ({ id, body }: { id: number; body: CredentialInput }) =>
    unwrap(api.PUT('/api/v1/credentials/{id}', { ...byId(id), body: toRequest(body) })),
  );

export const useDeleteCredential = () => useInvalidating(key, (id: number) => unwrap(api.DELETE('/api/v1/credentials/{id}', byId(id))));

export const useRotateCredential = () =>
  useInvalidating(key, ({ id, secret }: { id: number; secret: Secret }) =>
    unwrap(api.POST('/api/v1/credentials/{id}/rotate', { ...byId(id), body: { secret: toSecretInput(secret) } })),
  );

/** The secret fields a type needs, in the shape the API expects; blank optional fields are left out. */
export function buildSecret(type: CredentialType, values: Secret): Secret {
  switch (type) {
    case 'ssh_key':
      return values.passphrase ? { privateKey: values.privateKey ?? '', passphrase: values.passphrase } : { privateKey: values.privateKey ?? '' };
    case 'api_key':
      return { key: values.key ?? '' };
    default:
      return { password: values.password ?? '' };
  }
}

export function secretError(type: CredentialType, values: Secret): Partial<Record<keyof Secret, string>> {
  if (type === 'ssh_key') {
    const k = values.privateKey?.trim() ?? '';
    if (!k) return { privateKey: 'Private key is required' };
    if (!/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(k)) return { privateKey: 'Paste the private key in PEM/OpenSSH format' };
    return {};
  }
  if (type === 'api_key') return values.key ? {} : { key: 'Key is required' };
  return values.password ? {} : { password: 'Password is required' };
}
