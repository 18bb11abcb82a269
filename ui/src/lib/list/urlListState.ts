import type { ListFilters, ListSnapshot } from './listStore';

/**
 * A list's page and filters read from a URL query (`?page=2&status=failed,timed_out&jobId=3`), for pages whose
 * filtered view is linked to (the dashboard links to failed runs). Only the keys of `anyFilters` are read; an absent
 * or empty one is "any" (its value in `anyFilters`). A bad page number is page 1.
 */
export function readUrlList<F extends ListFilters>(params: URLSearchParams, anyFilters: F): ListSnapshot<F> {
  const filters = { ...anyFilters };
  for (const key of Object.keys(anyFilters) as (keyof F & string)[]) {
    const value = params.get(key);
    if (value) filters[key] = value as F[typeof key];
  }
  const page = Math.max(1, Math.floor(Number(params.get('page') ?? 1)) || 1);
  const filtered = Object.values(filters).some((v) => v != null && v !== '');
  return { page, search: '', query: '', filters, filtered };
}

/** The URL query after setting one filter (empty or null removes it), which goes back to page 1. */
export function withUrlFilter(params: URLSearchParams, key: string, value: string | null): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value) next.set(key, value);
  else next.delete(key);
  next.delete('page');
  return next;
}

/** The URL query on another page (page 1 is the bare URL). */
export function withUrlPage(params: URLSearchParams, page: number): URLSearchParams {
  const next = new URLSearchParams(params);
  if (page > 1) next.set('page', String(page));
  else next.delete('page');
  return next;
}

/** The URL query with every filter of the list (and the page) removed; other keys stay. */
export function withoutUrlFilters<F extends ListFilters>(params: URLSearchParams, anyFilters: F): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of Object.keys(anyFilters)) next.delete(key);
  next.delete('page');
  return next;
}
