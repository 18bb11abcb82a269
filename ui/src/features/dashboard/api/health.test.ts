import { describe, expect, it } from 'vitest';
import { normalizeChecks } from './health';

describe('health checks', () => {
  it('accepts plain statuses and detailed objects', () => {
    expect(normalizeChecks({ database: 'healthy', queue: { status: 'degraded', description: 'slow', durationMs: 12 }, smtp: false })).toEqual([
      { name: 'database', status: 'healthy' },
      { name: 'queue', status: 'degraded', description: 'slow', durationMs: 12 },
      { name: 'smtp', status: 'unhealthy' },
    ]);
    expect(normalizeChecks(undefined)).toEqual([]);
  });
});
