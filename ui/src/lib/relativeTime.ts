const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/**
 * How long ago (or from now) `iso` is, in the largest whole unit: "just now" under a minute, then "5 minutes ago",
 * "yesterday", "3 weeks ago"… `now` is passed in (milliseconds) so a list renders with one clock.
 */
export function formatRelative(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const seconds = Math.round((t - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return 'just now';
  for (const [unit, size] of UNITS) if (abs >= size) return relative.format(Math.trunc(seconds / size), unit);
  return 'just now';
}
