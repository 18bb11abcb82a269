import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createListStore, SEARCH_DEBOUNCE_MS } from './listStore';

const newStore = () => createListStore<{ role: string | null; os: string | null }>({ role: null, os: null });

describe('list state', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks for a search only once the text stopped changing, trimmed', () => {
    const store = newStore();
    store.setSearch('ad');
    vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS - 1);
    store.setSearch(' admin ');
    vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS - 1);
    expect(store.getSnapshot()).toMatchObject({ search: ' admin ', query: '', filtered: false });
    vi.advanceTimersByTime(1);
    expect(store.getSnapshot()).toMatchObject({ search: ' admin ', query: 'admin', filtered: true });
  });

  it('goes back to page 1 when the search or a filter changes, not when paging', () => {
    const store = newStore();
    store.setPage(3);
    expect(store.getSnapshot().page).toBe(3);
    store.setSearch('web');
    expect(store.getSnapshot().page).toBe(1);
    vi.runAllTimers();
    store.setPage(2);
    store.setFilter('role', 'viewer');
    expect(store.getSnapshot()).toMatchObject({ page: 1, filters: { role: 'viewer', os: null }, filtered: true });
    store.setPage(4);
    store.setFilter('role', 'viewer');
    expect(store.getSnapshot().page).toBe(4);
  });

  it('a page picked while the search settles is reset when the search reaches the server', () => {
    const store = newStore();
    store.setSearch('db');
    store.setPage(2);
    vi.runAllTimers();
    expect(store.getSnapshot()).toMatchObject({ page: 1, query: 'db' });
  });

  it('clears search and filters at once and cancels a pending search', () => {
    const store = newStore();
    store.setFilter('os', 'linux');
    store.setSearch('x');
    vi.runAllTimers();
    store.setSearch('xy');
    store.setPage(2);
    store.clearFilters();
    expect(store.getSnapshot()).toEqual({ page: 1, search: '', query: '', filters: { role: null, os: null }, filtered: false });
    vi.runAllTimers();
    expect(store.getSnapshot().query).toBe('');
  });

  it('a whitespace search and a cleared filter do not count as filtered', () => {
    const store = newStore();
    store.setSearch('   ');
    store.setFilter('role', 'admin');
    store.setFilter('role', null);
    vi.runAllTimers();
    expect(store.getSnapshot().filtered).toBe(false);
  });

  it('tells subscribers of every change and stops when they leave', () => {
    const store = newStore();
    const seen: number[] = [];
    const leave = store.subscribe(() => seen.push(store.getSnapshot().page));
    store.setPage(2);
    store.setPage(2);
    leave();
    store.setPage(5);
    expect(seen).toEqual([2]);
  });

  it('drops a pending search when disposed', () => {
    const store = newStore();
    store.setSearch('late');
    store.dispose();
    vi.runAllTimers();
    expect(store.getSnapshot().query).toBe('');
  });

  it('starts searched when a link carries a search, filtered at once', () => {
    const store = createListStore<{ role: string | null }>({ role: null }, SEARCH_DEBOUNCE_MS, ' web-1 ');
    expect(store.getSnapshot()).toMatchObject({ search: ' web-1 ', query: 'web-1', filtered: true, page: 1 });
    store.clearFilters();
    expect(store.getSnapshot()).toMatchObject({ search: '', query: '', filtered: false });
  });
});
