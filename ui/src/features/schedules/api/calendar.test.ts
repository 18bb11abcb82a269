import { describe, expect, it } from 'vitest';
import { calendarDays } from './calendar';

describe('blackout calendar days', () => {
  it('lists every day and splits an interval where the local date changes', () => {
    const days = calendarDays('2026-12-20T10:00:00Z', 4, [
      { windowId: 1, name: 'change freeze', intervals: [{ start: '2026-12-20T22:00:00Z', end: '2026-12-22T06:00:00Z' }] },
    ], 'UTC');
    expect(days.map((d) => d.date)).toEqual(['2026-12-20', '2026-12-21', '2026-12-22', '2026-12-23']);
    expect(days[0].windows).toEqual([{ windowId: 1, name: 'change freeze', spans: [{ from: '22:00', to: '24:00' }] }]);
    expect(days[1].windows[0].spans).toEqual([{ from: '00:00', to: '24:00' }]);
    expect(days[2].windows[0].spans).toEqual([{ from: '00:00', to: '06:00' }]);
    expect(days[3].windows).toEqual([]);
  });

  it('uses the given zone for the day boundaries and sorts windows by name', () => {
    const days = calendarDays('2026-12-20T00:00:00Z', 2, [
      { windowId: 2, name: 'weekends', intervals: [{ start: '2026-12-20T08:00:00Z', end: '2026-12-20T09:00:00Z' }] },
      { windowId: 1, name: 'nightly', intervals: [{ start: '2026-12-20T22:30:00Z', end: '2026-12-20T23:30:00Z' }] },
    ], 'Europe/Berlin');
    expect(days[0].date).toBe('2026-12-20');
    expect(days[0].windows.map((w) => w.name)).toEqual(['weekends', 'nightly'].sort());
    // 22:30Z–23:30Z is 23:30–00:30 in Berlin: split over two days.
    expect(days[0].windows.find((w) => w.name === 'nightly')!.spans).toEqual([{ from: '23:30', to: '24:00' }]);
    expect(days[1].windows[0]).toEqual({ windowId: 1, name: 'nightly', spans: [{ from: '00:00', to: '00:30' }] });
  });

  it('ends a span that stops at midnight at 24:00 on its own day', () => {
    const days = calendarDays('2026-12-20T00:00:00Z', 2, [
      { windowId: 3, name: 'sunday', intervals: [{ start: '2026-12-20T00:00:00Z', end: '2026-12-21T00:00:00Z' }] },
    ], 'UTC');
    expect(days[0].windows[0].spans).toEqual([{ from: '00:00', to: '24:00' }]);
    expect(days[1].windows).toEqual([]);
  });
});
