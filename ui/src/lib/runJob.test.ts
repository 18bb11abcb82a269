import { describe, expect, it } from 'vitest';
import { sameIds, targetOverride, valuesFromRun } from './runJob';

describe('targetOverride', () => {
  it('sends nothing when the choice is what the job resolves to, so its tags resolve again at the start', () => {
    expect(targetOverride([3, 1, 2], [1, 2, 3])).toBeUndefined();
    expect(sameIds([1, 1, 2], [2, 1])).toBe(true);
  });

  it('sends exactly the chosen ids otherwise', () => {
    expect(targetOverride([1, 2], [1, 2, 3])).toEqual([1, 2]);
    expect(targetOverride([1, 2, 3, 9, 9], [1, 2, 3])).toEqual([1, 2, 3, 9]);
  });
});

describe('valuesFromRun', () => {
  it("takes the run's values over the defaults, leaving secrets (masked in the run) and unknown names alone", () => {
    const defaults = { who: '', count: 1 as string | number, token: '' };
    const toValue = (name: string, v: unknown) => (name === 'count' ? Number(v) : String(v));
    expect(valuesFromRun(defaults, { who: 'world', count: '3', token: '********', gone: 'x' }, new Set(['token']), toValue)).toEqual({ who: 'world', count: 3, token: '' });
    expect(valuesFromRun(defaults, null, new Set(), toValue)).toEqual(defaults);
  });
});
