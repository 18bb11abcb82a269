import { describe, expect, it } from 'vitest';
import { normalizeTag, summarizeStatuses, targetCount } from './bulk';

describe('bulk actions', () => {
  it('normalizes a tag as the server stores it', () => {
    expect(normalizeTag(' Canary ')).toBe('canary');
  });

  it('names counts and summarizes statuses', () => {
    expect(targetCount(1)).toBe('1 target');
    expect(targetCount(3)).toBe('3 targets');
    expect(summarizeStatuses(['healthy', 'unreachable', 'healthy'])).toBe('healthy: 2 · unreachable: 1');
  });
});
