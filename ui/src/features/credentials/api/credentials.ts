import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request, type Page } from '@/lib/api/client';

export const CREDENTIAL_TYPES = ['password', 'ssh_key', 'winrm', 'api_key'] as const;
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];
export const CREDENTIAL_TYPE_LABELS: Record<CredentialType, string> = {
  password: 'Password',
  ssh_key: 'SSH key',
  winrm: 'WinRM',
  api_key: 'API key',
};

/** What the API shows about a credential: metadata only, never the secret. */
export type Credential = {
  id: string | number;
  name: string;
  type: CredentialType;
  description?: string | null;
  username?: string | null;
  domain?: string | null;
  authentication?: 'basic' | 'ntlm' | null;
  hasSecret: boolean;
  secretVersion?: number;
  rotatedAt?: string | null;
  createdAt?: string;
  updatedAt?: string;
};

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

export function useCredentials(q: CredentialsQuery) {
  return useQuery({
    queryKey: [...key, q],
    queryFn: () => request<Page<Credential>>('GET', '/api/v1/credentials', { query: q }),
    placeholderData: keepPreviousData,
  });
}

function useInvalidating<TVars, TData>(fn: (v: TVars) => Promise<TData>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: key }) });
}

export const useCreateCredential = () =>
  useInvalidating((body: CredentialInput) => request<Credential>('POST', '/api/v1/credentials', { body }));

export const useUpdateCredential = () =>
  useInvalidating(({ id, body }: { id: Credential['id']; body: CredentialInput }) =>
    request<Credential>('PUT', `/api/v1/credentials/${encodeURIComponent(String(id))}`, { body }),
  );

export const useDeleteCredential = () =>
  useInvalidating((id: Credential['id']) => request<void>('DELETE', `/api/v1/credentials/${encodeURIComponent(String(id))}`));

export const useRotateCredential = () =>
  useInvalidating(({ id, secret }: { id: Credential['id']; secret: Secret }) =>
    request<Credential>('POST', `/api/v1/credentials/${encodeURIComponent(String(id))}/rotate`, { body: { secret } }),
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
