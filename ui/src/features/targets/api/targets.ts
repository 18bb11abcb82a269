import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type components } from '@/lib/api/client';
import { useInvalidating } from '@/lib/api/mutations';
import { byId } from '@/lib/api/paths';

type Schemas = components['schemas'];
export type Target = Schemas['TargetDto'];
export type TargetInput = Schemas['TargetRequest'];
export type TargetStatus = Schemas['TargetStatus'];
export type OsType = Schemas['OsType'];
export type Connection = Schemas['ConnectionType'];
export type CheckResult = Schemas['CheckResult'];
export type StatusChange = Schemas['StatusChangeDto'];

export const TARGET_STATUSES: readonly TargetStatus[] = [
  'unknown',
  'healthy',
  'unreachable',
  'auth_failed',
  'host_key_mismatch',
  'host_key_unconfirmed',
  'certificate_rejected',
];

export type TargetsQuery = { page: number; pageSize: number; search?: string; osType?: OsType; status?: string; tag?: string[] };

const key = ['targets'] as const;

export function useTargets(q: TargetsQuery) {
  return useQuery({
    queryKey: [...key, q],
    queryFn: () => unwrap(api.GET('/api/v1/targets', { params: { query: q } })),
    placeholderData: keepPreviousData,
  });
}

export function useStatusHistory(id: number | null) {
  return useQuery({
    queryKey: [...key, 'history', id],
    queryFn: () => unwrap(api.GET('/api/v1/targets/{id}/status-history', { params: { ...byId(id!).params, query: { page: 1, pageSize: 50 } } })),
    enabled: id != null,
  });
}

/** Credential names for the picker; this feature reads them itself rather than importing the credentials feature. */
export function useCredentialOptions(enabled: boolean) {
  return useQuery({
    queryKey: ['targets', 'credential-options'],
    queryFn: async () => {
      const page = await unwrap(api.GET('/api/v1/credentials', { params: { query: { page: 1, pageSize: 500 } } }));
      return page.items.map((c) => ({ value: String(c.id), label: `${c.name} (${c.type.replace('_', ' ')})` }));
    },
    enabled,
  });
}

export const useCreateTarget = () => useInvalidating(key, (body: TargetInput) => unwrap(api.POST('/api/v1/targets', { body })));
export const useUpdateTarget = () =>
  useInvalidating(key, ({ id, body }: { id: number; body: TargetInput }) => unwrap(api.PUT('/api/v1/targets/{id}', { ...byId(id), body })));
export const useDeleteTarget = () => useInvalidating(key, (id: number) => unwrap(api.DELETE('/api/v1/targets/{id}', byId(id))));
export const useCheckTarget = () => useInvalidating(key, (id: number) => unwrap(api.POST('/api/v1/targets/{id}/check', byId(id))));
/** Pins the host key whose fingerprint the operator compared; the server refuses any other than the last one seen. */
export const useAcceptHostKey = () =>
  useInvalidating(key, ({ id, fingerprint }: { id: number; fingerprint: string }) =>
    unwrap(api.POST('/api/v1/targets/{id}/accept-host-key', { ...byId(id), body: { fingerprint } })),
  );

/** Default port for a connection, shown as the placeholder when the port is left empty. */
export function defaultPort(connection: Connection, useHttps: boolean): number {
  if (connection === 'ssh') return 22;
  return useHttps ? 5986 : 5985;
}
