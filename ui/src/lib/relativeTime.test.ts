import { describe, expect, it } from 'vitest';
import { formatRelative } from './relativeTime';

const now = Date.parse('2026-12-03T12:00:00Z');
const ago = (s: number) => new Date(now - s * 1000).toISOString();

describe('formatRelative', () => {
  it('names the largest whole unit', () => {
    expect(formatRelative(ago(5), now)).toBe('just now');
    expect(formatRelative(ago(-30), now)).toBe('just now');
    expect(formatRelative(ago(60), now)).toBe('1 minute ago');
    expect(formatRelative(ago(59 * 60), now)).toBe('59 minutes ago');
    expect(formatRelative(ago(3 * 3600 + 10), now)).toBe('3 hours ago');
    expect(formatRelative(ago(24 * 3600), now)).toBe('yesterday');
    expect(formatRelative(ago(15 * 24 * 3600), now)).toBe('2 weeks ago');
    expect(formatRelative(ago(400 * 24 * 3600), now)).toBe('last year');
    expect(formatRelative(ago(-2 * 3600), now)).toBe('in 2 hours');
  });

  it('shows a dash without a time and the text itself when it is no date', () => {
    expect(formatRelative(null, now)).toBe('—');
    expect(formatRelative('soon', now)).toBe('soon');
  });
});
