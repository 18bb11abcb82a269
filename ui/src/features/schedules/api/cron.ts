import cronstrue from 'cronstrue';

/** A cron expression in plain words ("At 01:30 AM, every day"), or why it cannot be read. 6 fields: seconds first. */
export function describeCron(expression: string): { text: string } | { error: string } {
  const expr = expression.trim();
  if (!expr) return { error: 'Enter a cron expression' };
  const fields = expr.split(/\s+/).length;
  if (fields !== 5 && fields !== 6) return { error: `Expected 5 fields (or 6 with seconds first), found ${fields}` };
  try {
    return { text: cronstrue.toString(expr, { use24HourTimeFormat: true, verbose: false }) };
  } catch (e) {
    return { error: typeof e === 'string' ? e.replace(/^Error:\s*/, '') : e instanceof Error ? e.message : 'Not a cron expression' };
  }
}

/** The "when" of a schedule in words: its cron described, or "Once at …" for a one-time runAt. */
export function describeWhen(s: { cron?: string | null; runAt?: string | null }): string {
  if (s.cron) {
    const d = describeCron(s.cron);
    return 'text' in d ? d.text : s.cron;
  }
  if (s.runAt) return `Once at ${s.runAt.replace('T', ' ')}`;
  return '—';
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** An instant as wall-clock time in an IANA zone ("2026-12-03 13:05:00"), or in the browser's zone when none is given. */
export function formatInZone(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const key = timeZone ?? '';
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(key, f);
  }
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** The browser's IANA zone. */
export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Every IANA zone the browser knows, UTC first. */
export function timeZones(): string[] {
  const supported = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...supported.filter((z) => z !== 'UTC')];
}

/** The value of an <input type="datetime-local"> ("2026-12-03T13:05") → the API's local date-time ("2026-12-03T13:05:00"). */
export function toLocalDateTime(input: string): string {
  if (!input) return '';
  return /T\d{2}:\d{2}$/.test(input) ? `${input}:00` : input;
}

/** The API's local date-time → an <input type="datetime-local"> value (seconds kept only when not zero). */
export function fromLocalDateTime(value: string | null | undefined): string {
  if (!value) return '';
  return value.replace(/:00$/, '').slice(0, 19);
}
