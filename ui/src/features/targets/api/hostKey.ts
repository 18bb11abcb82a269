import type { CheckResult, Target } from './targets';

/** What the page shows about an SSH target's host key, read from the target alone (the server's state, not a stale check). */
export type HostKeyState = {
  pinned: string | null;
  /** The key the last connection saw (check, sweep or run). */
  seen: string | null;
  /** The server presents another key than the pinned one: refuse, and offer to accept it only knowingly. */
  mismatch: boolean;
  /** No key confirmed by an operator yet (none pinned, or pinned on first use by key authentication). */
  unconfirmed: boolean;
};

export function hostKeyState(target: Target): HostKeyState {
  const pinned = target.ssh?.hostKeyFingerprint ?? null;
  const seen = target.ssh?.lastSeenHostKeyFingerprint ?? null;
  const mismatch = target.status === 'host_key_mismatch' || (!!seen && !!pinned && seen !== pinned);
  const unconfirmed = target.connection === 'ssh' && !mismatch && !!seen && (!pinned || (seen === pinned && !target.ssh?.hostKeyConfirmed));
  return { pinned, seen, mismatch, unconfirmed };
}

/** How a check's result is shown: only a healthy target is a success; a reachable host with a refused key is an error. */
export function checkTone(result: Pick<CheckResult, 'status'>): { color: 'teal' | 'yellow' | 'red'; title: string } {
  const label = result.status.replaceAll('_', ' ');
  if (result.status === 'healthy') return { color: 'teal', title: 'Healthy' };
  if (result.status === 'host_key_unconfirmed') return { color: 'yellow', title: 'Host key not confirmed yet' };
  if (result.status === 'host_key_mismatch') return { color: 'red', title: 'Host key mismatch: the server presented another key' };
  return { color: 'red', title: `Check failed · ${label}` };
}
