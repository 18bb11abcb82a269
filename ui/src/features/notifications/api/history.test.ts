import { describe, expect, it } from 'vitest';
import { runIdFilter } from './history';

describe('the history run filter', () => {
  it('reads a run number, with or without #', () => {
    expect(runIdFilter('42')).toBe(42);
    expect(runIdFilter(' #7 ')).toBe(7);
  });
  it('is any run when empty', () => {
    expect(runIdFilter('')).toBeUndefined();
    expect(runIdFilter('  ')).toBeUndefined();
  });
  it('matches nothing for text that is not a run number', () => {
    expect(runIdFilter('deploy')).toBe(0);
    expect(runIdFilter('0')).toBe(0);
    expect(runIdFilter('-3')).toBe(0);
  });
});
