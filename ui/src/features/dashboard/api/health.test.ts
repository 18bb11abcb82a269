import { describe, expect, it } from 'vitest';
import { groupChecks, normalizeChecks, summarizeDatabases } from './health';

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

describe('database checks', () => {
  const checks = [
    { name: 'database:auth', status: 'Healthy' },
    { name: 'database:jobs', status: 'Healthy' },
    { name: 'smtp', status: 'Degraded' },
  ];
  it('are grouped apart from the other checks', () => {
    expect(groupChecks(checks)).toEqual({ databases: checks.slice(0, 2), others: [checks[2]] });
  });
  it('are summarised in one line', () => {
    expect(summarizeDatabases(checks.slice(0, 2))).toEqual({ status: 'healthy', text: '2 databases · all healthy' });
    expect(summarizeDatabases([...checks.slice(0, 2), { name: 'database:x', status: 'Unhealthy' }])).toEqual({
      status: 'unhealthy',
      text: '1 of 3 databases not healthy',
    });
  });
});
