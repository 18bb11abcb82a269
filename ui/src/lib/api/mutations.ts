import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';

/**
 * A mutation that, once it succeeds, marks every query under `queryKey` stale (a feature's lists and details),
 * so the screens show what the server now holds. The mutation settles only after that refetch was started.
 */
export function useInvalidating<TVars, TData>(queryKey: QueryKey, mutationFn: (vars: TVars) => Promise<TData>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => qc.invalidateQueries({ queryKey }) });
}
