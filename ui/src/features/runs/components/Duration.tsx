import { createContext, useContext, useEffect, useState } from 'react';

/**
 * The ticking clock, read only by the live durations: a tick re-renders those few text nodes, not every
 * target row (with 200 targets, re-rendering every row each second took frames of well over 100 ms).
 */
export const NowContext = createContext(0);

/** Ticks every second while something is running, for live durations. */
export function useNow(active: boolean) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

export function formatDuration(start: string | null | undefined, end: string | null | undefined, now: number): string {
  if (!start) return '—';
  const ms = (end ? new Date(end).getTime() : now) - new Date(start).getTime();
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** A live duration: start → end, or start → now while it runs. */
export function Duration({ start, end }: { start: string | null | undefined; end: string | null | undefined }) {
  const now = useContext(NowContext);
  return <>{formatDuration(start, end, now)}</>;
}
