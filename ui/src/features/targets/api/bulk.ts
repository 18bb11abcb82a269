import type { Target, TargetInput } from './targets';

/**
 * The PUT body that changes only a target's tags: everything else as the server holds it. The host key is left out
 * (null keeps the pin as it is): sending a first-use pin back would confirm a key nobody compared.
 */
export function withTags(target: Target, change: { add?: string[]; remove?: string[] }): TargetInput {
  const remove = new Set((change.remove ?? []).map(normalizeTag));
  const tags = [...target.tags, ...(change.add ?? []).map(normalizeTag)].filter((t, i, all) => t !== '' && !remove.has(t) && all.indexOf(t) === i);
  return {
    name: target.name,
    hostname: target.hostname,
    port: target.port,
    osType: target.osType,
    connection: target.connection,
    credentialId: target.credentialId,
    tags,
    description: target.description,
    winrm: target.connection === 'winrm' && target.winrm ? { ...target.winrm } : null,
    ssh: target.connection === 'ssh' ? { hostKeyFingerprint: null } : null,
  };
}

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
