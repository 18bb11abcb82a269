/** Tags as the server stores them (trimmed, lower case). */
export const normalizeTag = (tag: string) => tag.trim().toLowerCase();

/** "3 targets" / "1 target". */
export const targetCount = (n: number) => `${n} target${n === 1 ? '' : 's'}`;

/** What a bulk check found, for one notification: "healthy: 2 · unreachable: 1". */
export function summarizeStatuses(statuses: string[]): string {
  const counts = new Map<string, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${s.replaceAll('_', ' ')}: ${n}`).join(' · ');
}
