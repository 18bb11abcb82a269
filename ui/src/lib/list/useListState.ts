import { useEffect, useState, useSyncExternalStore } from 'react';
import { createListStore, type ListFilters, type ListSnapshot, type ListStore } from './listStore';
import { PAGE_SIZE } from './pageSize';

export type ListState<F extends ListFilters> = ListSnapshot<F> &
  Pick<ListStore<F>, 'setPage' | 'setSearch' | 'setFilter' | 'clearFilters'> & { pageSize: number };

/**
 * Page, debounced search and filters of a list page. `anyFilters` names every filter with its "any" value (null);
 * it is read once, on mount, as is the search a link may carry (`?q=`).
 */
export function useListState<F extends ListFilters = Record<never, never>>(anyFilters?: F): ListState<F> {
  // A link may open the page searched already: `?q=text` (the quick switcher does for targets).
  const [store] = useState(() => createListStore<F>(anyFilters ?? ({} as F), undefined, new URLSearchParams(window.location.search).get('q') ?? ''));
  useEffect(() => store.dispose, [store]);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  return {
    ...snapshot,
    pageSize: PAGE_SIZE,
    setPage: store.setPage,
    setSearch: store.setSearch,
    setFilter: store.setFilter,
    clearFilters: store.clearFilters,
  };
}
