/** How long the search box waits after the last keystroke before the list asks the server again. */
export const SEARCH_DEBOUNCE_MS = 300;

/** A list page's filters by name; `null` (or '') is "any". */
export type ListFilters = Record<string, string | null>;

export type ListSnapshot<F extends ListFilters> = {
  /** 1-based. */
  page: number;
  /** What is in the search box now. */
  search: string;
  /** The search the server is asked for: the box's text, trimmed, once it stopped changing for SEARCH_DEBOUNCE_MS. */
  query: string;
  filters: F;
  /** Whether a search or a filter narrows the list, which tells "nothing matches" from "nothing yet". */
  filtered: boolean;
};

export type ListStore<F extends ListFilters> = {
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => ListSnapshot<F>;
  setPage: (page: number) => void;
  setSearch: (text: string) => void;
  setFilter: <K extends keyof F>(key: K, value: F[K]) => void;
  /** Empties the search and every filter at once (no debounce) and goes back to the first page. */
  clearFilters: () => void;
  /** Drops a pending debounce (the page unmounts). */
  dispose: () => void;
};

const isFiltered = (query: string, filters: ListFilters) => query !== '' || Object.values(filters).some((v) => v != null && v !== '');

/**
 * The state of a list page — page, search and filters — kept outside React so it can be tested with fake timers;
 * `useListState` is the hook that reads it. Any change to what is searched or filtered goes back to page 1.
 * `initialSearch` is what the search box starts with (a link's `?q=`).
 */
export function createListStore<F extends ListFilters>(anyFilters: F, debounceMs = SEARCH_DEBOUNCE_MS, initialSearch = ''): ListStore<F> {
  const initialQuery = initialSearch.trim();
  let state: ListSnapshot<F> = { page: 1, search: initialSearch, query: initialQuery, filters: anyFilters, filtered: isFiltered(initialQuery, anyFilters) };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const listeners = new Set<() => void>();

  const set = (next: Omit<ListSnapshot<F>, 'filtered'>) => {
    state = { ...next, filtered: isFiltered(next.query, next.filters) };
    listeners.forEach((l) => l());
  };
  const cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  return {
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => state,
    setPage: (page) => {
      if (page !== state.page) set({ ...state, page });
    },
    setSearch: (text) => {
      set({ ...state, search: text, page: 1 });
      cancel();
      timer = setTimeout(() => {
        timer = undefined;
        const query = text.trim();
        if (query !== state.query) set({ ...state, query, page: 1 });
      }, debounceMs);
    },
    setFilter: (key, value) => {
      if (state.filters[key] === value) return;
      set({ ...state, filters: { ...state.filters, [key]: value }, page: 1 });
    },
    clearFilters: () => {
      cancel();
      set({ page: 1, search: '', query: '', filters: anyFilters });
    },
    dispose: cancel,
  };
}
