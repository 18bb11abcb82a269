import { describe, expect, it } from 'vitest';
import { describeCron, describeWhen, formatInZone, fromLocalDateTime, timeZones, toLocalDateTime } from './cron';

describe('cron in plain words', () => {
  it('describes 5-field and 6-field (seconds first) expressions', () => {
    expect(describeCron('30 1 * * *')).toEqual({ text: 'At 01:30' });
    expect(describeCron('*/5 * * * * *')).toEqual({ text: 'Every 5 seconds' });
  });

  it('says why an expression cannot be read', () => {
    expect(describeCron('')).toEqual({ error: 'Enter a cron expression' });
    expect(describeCron('* * *')).toEqual({ error: 'Expected 5 fields (or 6 with seconds first), found 3' });
    expect('error' in describeCron('61 * * * *')).toBe(true);
  });

  it('describes a schedule by its cron or its one-time runAt', () => {
    expect(describeWhen({ cron: '0 9 * * 1-5' })).toBe('At 09:00, Monday through Friday');
    expect(describeWhen({ runAt: '2026-12-24T18:00:00' })).toBe('Once at 2026-12-24 18:00:00');
    expect(describeWhen({})).toBe('—');
  });
});

describe('times and zones', () => {
  it('formats an instant as wall-clock time in a zone, across DST', () => {
    expect(formatInZone('2026-07-01T12:00:00Z', 'Europe/Berlin')).toBe('2026-07-01 14:00:00');
    expect(formatInZone('2026-12-01T12:00:00Z', 'Europe/Berlin')).toBe('2026-12-01 13:00:00');
    expect(formatInZone('2026-12-01T12:00:00Z', 'Australia/Lord_Howe')).toBe('2026-12-01 23:00:00');
    expect(formatInZone(null, 'UTC')).toBe('—');
  });

  it('lists the IANA zones with UTC first, once', () => {
    const zones = timeZones();
    expect(zones[0]).toBe('UTC');
    expect(zones.filter((z) => z === 'UTC')).toHaveLength(1);
    expect(zones).toContain('Europe/Berlin');
  });

  it('converts between datetime-local inputs and the API local date-time', () => {
    expect(toLocalDateTime('2026-12-24T18:00')).toBe('2026-12-24T18:00:00');
    expect(toLocalDateTime('2026-12-24T18:00:30')).toBe('2026-12-24T18:00:30');
    expect(fromLocalDateTime('2026-12-24T18:00:00')).toBe('2026-12-24T18:00');
    expect(fromLocalDateTime(null)).toBe('');
  });
});
