import { useSyncExternalStore } from 'react';
import { session } from './instance';
import { can, type Action } from './roles';
import type { SessionState } from './session';

export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.getState, session.getState);
}

/** Whether the signed-in user's role allows an action; drives which buttons render. */
export function useCan(action: Action): boolean {
  const { user } = useSession();
  return can(user?.role, action);
}
