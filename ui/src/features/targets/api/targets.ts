import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type components } from '@/lib/api/client';
import { byId } from '@/lib/api/paths';

type Schemas = components['schemas'];
export type Target = Schemas['TargetDto'];
export type TargetInput = Schemas['TargetRequest'];
export type TargetStatus = Schemas['TargetStatus'];
export type OsType = Schemas['OsType'];
export type Connection = Schemas['ConnectionType'];
export type CheckResult = Schemas['CheckResult'];
export type StatusChange = Schemas['StatusChangeDto'];
export type TargetRun = Schemas['RunSummaryDto'];

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

/** One target, the one source of its status on its page (the list's row is only a snapshot of it). */
export function useTarget(id: number) {
  return useQuery({
    queryKey: [...key, 'detail', id],
    queryFn: () => unwrap(api.GET('/api/v1/targets/{id}', byId(id))),
    retry: false,
  });
}

/** The runs that touched a target, newest first. */
export function useTargetRuns(id: number, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...key, 'runs', id, page, pageSize],
    queryFn: () => unwrap(api.GET('/api/v1/runs', { params: { query: { targetId: id, page, pageSize } } })),
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

/**
 * A target mutation: once it succeeds every target query (lists, the page, its history and runs) and the dashboard's
 * (failing targets) are refetched, so no screen keeps the status from before.
 */
function useTargetMutation<TVars, TData>(mutationFn: (vars: TVars) => Promise<TData>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: key }), qc.invalidateQueries({ queryKey: ['dashboard'] })]),
  });
}

export const useCreateTarget = () => useTargetMutation((body: TargetInput) => unwrap(api.POST('/api/v1/targets', { body })));
export const useUpdateTarget = () =>
  useTargetMutation(({ id, body }: { id: number; body: TargetInput }) => unwrap(api.PUT('/api/v1/targets/{id}', { ...byId(id), body })));
export const useDeleteTarget = () => useTargetMutation((id: number) => unwrap(api.DELETE('/api/v1/targets/{id}', byId(id))));
export const useCheckTarget = () => useTargetMutation((id: number) => unwrap(api.POST('/api/v1/targets/{id}/check', byId(id))));
/** Pins the host key whose fingerprint the operator compared; the server refuses any other than the last one seen. */
export const useAcceptHostKey = () =>
  useTargetMutation(({ id, fingerprint }: { id: number; fingerprint: string }) =>
    unwrap(api.POST('/api/v1/targets/{id}/accept-host-key', { ...byId(id), body: { fingerprint } })),
  );

/** Runs `call` for every item, at most `limit` at a time; one failure does not stop the others. */
async function settleEach<T, R>(items: T[], limit: number, call: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await call(items[i]).then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Bulk actions on selected targets: checks and deletes one request per target (a few at a time), every result
 * reported; tags in one request. Then the target and dashboard queries refetch once.
 */
export function useBulkTargets() {
  const qc = useQueryClient();
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: key }), qc.invalidateQueries({ queryKey: ['dashboard'] })]);
  return {
    check: useMutation({
      mutationFn: (targets: Target[]) => settleEach(targets, 8, (t) => unwrap(api.POST('/api/v1/targets/{id}/check', byId(t.id)))),
      onSettled: refresh,
    }),
    /** One request for all of them (POST /targets/tags): every target changes, or, on any bad id or tag, none. */
    retag: useMutation({
      mutationFn: ({ targets, add, remove }: { targets: Target[]; add?: string[]; remove?: string[] }) =>
        unwrap(api.POST('/api/v1/targets/tags', { body: { targetIds: targets.map((t) => t.id), add: add ?? [], remove: remove ?? [] } })),
      onSettled: refresh,
    }),
    remove: useMutation({
      mutationFn: (targets: Target[]) => settleEach(targets, 8, (t) => unwrap(api.DELETE('/api/v1/targets/{id}', byId(t.id)))),
      onSettled: refresh,
    }),
  };
}

/** Default port for a connection, shown as the placeholder when the port is left empty. */
export function defaultPort(connection: Connection, useHttps: boolean): number {
  if (connection === 'ssh') return 22;
  return useHttps ? 5986 : 5985;
}
