import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type components } from '@/lib/api/client';
import { useInvalidating } from '@/lib/api/mutations';
import { byId } from '@/lib/api/paths';

type Schemas = components['schemas'];
export type RunnableJob = Schemas['JobDto'];
export type TargetSummary = Schemas['TargetDto'];

/** One target per id, sorted by name. */
export function mergeTargets<T extends { id: number; name: string }>(list: T[]): T[] {
  const seen = new Map<number, T>();
  for (const t of list) if (!seen.has(t.id)) seen.set(t.id, t);
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The targets a selector matches: the ones picked by id plus every target carrying any of the
 * tags (one GET /targets?tag=X per tag), without duplicates, sorted by name.
 */
export function useTargetPreview(targetIds: number[], tags: string[]) {
  return useQuery({
    queryKey: ['jobs', 'target-preview', [...targetIds].sort(), [...tags].sort()],
    queryFn: async () => {
      const byTag = await Promise.all(tags.map((tag) => unwrap(api.GET('/api/v1/targets', { params: { query: { tag: [tag], page: 1, pageSize: 500 } } }))));
      const byIds = await Promise.all(targetIds.map((id) => unwrap(api.GET('/api/v1/targets/{id}', byId(id))).catch(() => null)));
      return mergeTargets([...byTag.flatMap((p) => p.items), ...byIds.filter((t): t is TargetSummary => t !== null)]);
    },
    placeholderData: keepPreviousData,
  });
}

/** Every target (first 500 by name), for choosing other targets for a run. */
export function useAllTargets(enabled = true) {
  return useQuery({
    queryKey: ['targets', 'all-for-run'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/targets', { params: { query: { page: 1, pageSize: 500 } } }))).items,
    enabled,
    staleTime: 30_000,
  });
}

/**
 * POST /jobs/{id}/runs → 202 with the new run. `targetIds` runs on exactly those targets instead of the job's own
 * (left out: the job's target ids and tags, resolved when the run starts).
 */
export const useStartRun = () =>
  useInvalidating(
    ['runs'],
    ({ id, parameters, targetIds, overrideBlackout }: { id: number; parameters: Record<string, unknown>; targetIds?: number[]; overrideBlackout?: boolean }) =>
      // RunRequest.parameters is published as Record<string, never> (a JsonElement dictionary); any JSON value is accepted.
      unwrap(
        api.POST('/api/v1/jobs/{id}/runs', {
          ...byId(id),
          body: { parameters: parameters as Record<string, never>, trigger: 'manual', targetIds, overrideBlackout },
        }),
      ),
  );

/** Whether two id lists hold the same ids (order and repeats aside). */
export function sameIds(a: readonly number[], b: readonly number[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((id) => y.has(id));
}

/**
 * The body's `targetIds` for a run on `chosen`: left out when that is exactly what the job's selector resolves to
 * now (so the job's tags are resolved again when the run starts), the chosen ids otherwise.
 */
export function targetOverride(chosen: readonly number[], resolved: readonly number[]): number[] | undefined {
  return sameIds(chosen, resolved) ? undefined : [...new Set(chosen)];
}

/** Form values from a run's shown parameters: secrets are masked there, so they start empty. */
export function valuesFromRun<T>(defaults: Record<string, T>, shown: unknown, secretNames: ReadonlySet<string>, toValue: (name: string, v: unknown) => T): Record<string, T> {
  const out = { ...defaults };
  if (shown && typeof shown === 'object')
    for (const [k, v] of Object.entries(shown as Record<string, unknown>)) if (k in out && !secretNames.has(k)) out[k] = toValue(k, v);
  return out;
}
