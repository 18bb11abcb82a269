import { describe, expect, it } from 'vitest';
import { readUrlList, withoutUrlFilters, withUrlFilter, withUrlPage } from './urlListState';

const any = { status: null, jobId: null } as { status: string | null; jobId: string | null };

describe('list state in the URL', () => {
  it('reads the page and the filters it knows, and says whether any filter narrows the list', () => {
    expect(readUrlList(new URLSearchParams('page=3&status=failed,timed_out&other=x'), any)).toEqual({
      page: 3,
      search: '',
      query: '',
      filters: { status: 'failed,timed_out', jobId: null },
      filtered: true,
    });
    expect(readUrlList(new URLSearchParams('other=x&status='), any)).toMatchObject({ page: 1, filtered: false, filters: any });
  });

  it('a bad page number is page 1', () => {
    for (const p of ['0', '-2', 'abc', '']) expect(readUrlList(new URLSearchParams(`page=${p}`), any).page).toBe(1);
  });

  it('a filter change goes back to page 1; a cleared filter leaves the URL', () => {
    const set = withUrlFilter(new URLSearchParams('page=4&jobId=2'), 'status', 'failed');
    expect(set.toString()).toBe('jobId=2&status=failed');
    expect(withUrlFilter(set, 'jobId', null).toString()).toBe('status=failed');
  });

  it('page 1 is the bare URL', () => {
    expect(withUrlPage(new URLSearchParams('status=failed'), 2).toString()).toBe('status=failed&page=2');
    expect(withUrlPage(new URLSearchParams('status=failed&page=2'), 1).toString()).toBe('status=failed');
  });

  it('clearing removes every filter and the page, nothing else', () => {
    expect(withoutUrlFilters(new URLSearchParams('status=failed&jobId=2&page=3&tab=x'), any).toString()).toBe('tab=x');
  });
});
