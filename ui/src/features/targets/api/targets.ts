import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request, type Page } from '@/lib/api/client';

export const TARGET_STATUSES = ['unknown', 'healthy', 'unreachable', 'auth_failed', 'host_key_mismatch'] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];
export type OsType = 'linux' | 'windows';
export type Connection = 'ssh' | 'winrm';

export type Target = {
  id: string | number;
  name: string;
  hostname: string;
  port?: number | null;
  osType: OsType;
  connection: Connection;
  credentialId?: string | number | null;
  tags: string[];
  description?: string | null;
  status: TargetStatus | string;
  osName?: string | null;
  osVersion?: string | null;
  lastCheckedAt?: string | null;
  winrm?: { useHttps: boolean; verifyCertificate: boolean } | null;
  ssh?: { hostKeyFingerprint?: string | null } | null;
};

export type TargetInput = {
  name: string;
  hostname: string;
  port?: number;
  osType: OsType;
  connection: Connection;
  credentialId: string | number;
  tags: string[];
  description?: string;
  winrm?: { useHttps: boolean; verifyCertificate: boolean };
  ssh?: { hostKeyFingerprint?: string };
};

export type CheckResult = {
  reachable: boolean;
  latencyMs?: number | null;
  osName?: string | null;
  osVersion?: string | null;
  hostKeyFingerprint?: string | null;
  error?: string | null;
  checkedAt?: string;
};

export type TargetsQuery = { page: number; pageSize: number; search?: string; osType?: OsType; status?: string; tag?: string };

const key = ['targets'] as const;
const path = (id: Target['id'], suffix = '') => `/api/v1/targets/${encodeURIComponent(String(id))}${suffix}`;

export function useTargets(q: TargetsQuery) {
  return useQuery({
    queryKey: [...key, q],
    queryFn: () => request<Page<Target>>('GET', '/api/v1/targets', { query: q }),
    placeholderData: keepPreviousData,
  });
}

/** Credential names for the picker; this feature reads them itself rather than importing the credentials feature. */
export function useCredentialOptions(enabled: boolean) {
  return useQuery({
    queryKey: ['targets', 'credential-options'],
    queryFn: async () => {
      const page = await request<Page<{ id: string | number; name: string; type: string }>>('GET', '/api/v1/credentials', {
        query: { page: 1, pageSize: 500 },
      });
      return page.items.map((c) => ({ value: String(c.id), label: `${c.name} (${c.type.replace('_', ' ')})` }));
    },
    enabled,
  });
}

function useInvalidating<TVars, TData>(fn: (v: TVars) => Promise<TData>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: key }) });
}

export const useCreateTarget = () => useInvalidating((body: TargetInput) => request<Target>('POST', '/api/v1/targets', { body }));
export const useUpdateTarget = () =>
  useInvalidating(({ id, body }: { id: Target['id']; body: TargetInput }) => request<Target>('PUT', path(id), { body }));
export const useDeleteTarget = () => useInvalidating((id: Target['id']) => request<void>('DELETE', path(id)));
export const useCheckTarget = () => useInvalidating((id: Target['id']) => request<CheckResult>('POST', path(id, '/check')));
export const useAcceptHostKey = () => useInvalidating((id: Target['id']) => request<Target>('POST', path(id, '/accept-host-key')));

/** Default port for a connection, shown as the placeholder when the port is left empty. */
export function defaultPort(connection: Connection, useHttps: boolean): number {
  if (connection === 'ssh') return 22;
  return useHttps ? 5986 : 5985;
}
