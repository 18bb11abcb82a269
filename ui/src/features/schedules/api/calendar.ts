import { formatInZone } from './cron';

export type CalendarInterval = { start: string; end: string };
export type CalendarWindow = { windowId: number; name: string; intervals: CalendarInterval[] };

/** One day of the blackout calendar: the windows in force that day, each with its times on that day. */
export type CalendarDay = { date: string; windows: { windowId: number; name: string; spans: { from: string; to: string }[] }[] };

const DAY_MS = 24 * 3600_000;
const dateKey = (ms: number, zone?: string) => formatInZone(new Date(ms).toISOString(), zone).slice(0, 10);
const timeOf = (ms: number, zone?: string) => formatInZone(new Date(ms).toISOString(), zone).slice(11, 16);

/**
 * Lays the calendar's intervals out day by day in a zone (the browser's by default): every day from `from` for `days`
 * days, with each window's spans clipped to the day ("00:00"–"24:00" when it covers the whole day).
 */
export function calendarDays(fromIso: string, days: number, windows: CalendarWindow[], zone?: string): CalendarDay[] {
  const from = new Date(fromIso).getTime();
  const keys: string[] = [];
  for (let t = from; keys.length < days; t += DAY_MS / 4) {
    const k = dateKey(t, zone);
    if (!keys.includes(k)) keys.push(k);
  }
  const out: CalendarDay[] = keys.map((date) => ({ date, windows: [] }));
  const index = new Map(keys.map((k, i) => [k, i]));
  for (const w of windows) {
    for (const iv of w.intervals) {
      const s = new Date(iv.start).getTime();
      const e = new Date(iv.end).getTime();
      if (!(e > s)) continue;
      // Walk the interval in steps that cannot skip a day, splitting it where the local date changes.
      let spanStart = s;
      let key = dateKey(s, zone);
      const close = (endMs: number, endsDay: boolean) => {
        const i = index.get(key);
        if (i === undefined) return;
        const day = out[i];
        let entry = day.windows.find((x) => x.windowId === w.windowId);
        if (!entry) day.windows.push((entry = { windowId: w.windowId, name: w.name, spans: [] }));
        const to = timeOf(endMs, zone);
        entry.spans.push({ from: timeOf(spanStart, zone), to: endsDay || to === '00:00' ? '24:00' : to });
      };
      for (let t = s; ; ) {
        const next = Math.min(t + 15 * 60_000, e);
        const nextKey = dateKey(next === e ? e - 1 : next, zone);
        if (nextKey !== key) {
          // Find the first minute of the new day.
          let lo = t;
          let hi = next;
          while (hi - lo > 1000) {
            const mid = Math.floor((lo + hi) / 2);
            if (dateKey(mid, zone) === key) lo = mid;
            else hi = mid;
          }
          close(hi, true);
          spanStart = hi;
          key = dateKey(hi, zone);
        }
        if (next >= e) break;
        t = next;
      }
      close(e, false);
    }
  }
  for (const d of out) d.windows.sort((a, b) => a.name.localeCompare(b.name));
  return out;
}
