import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { ListFilters } from './listStore';
import { PAGE_SIZE } from './pageSize';
import { readUrlList, withoutUrlFilters, withUrlFilter, withUrlPage } from './urlListState';
import type { ListState } from './useListState';

/**
 * The list state of a page without a search box whose page and filters live in the URL, so a filtered view can be
 * linked to and survives a reload; the same shape as `useListState`, so `ResourceList` takes either. Changes replace
 * the history entry (no Back step per filter click).
 */
export function useUrlListState<F extends ListFilters>(anyFilters: F): ListState<F> {
  const [any] = useState(anyFilters);
  const [params, setParams] = useSearchParams();
  const snapshot = useMemo(() => readUrlList(params, any), [params, any]);
  return {
    ...snapshot,
    pageSize: PAGE_SIZE,
    setPage: (page) => setParams((prev) => withUrlPage(prev, page), { replace: true }),
    setSearch: () => undefined,
    setFilter: (key, value) => setParams((prev) => withUrlFilter(prev, key as string, value), { replace: true }),
    clearFilters: () => setParams((prev) => withoutUrlFilters(prev, any), { replace: true }),
  };
}
