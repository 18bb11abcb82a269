import { SessionManager } from './session';

const memoryStorage = new Map<string, string>();
const storage =
  typeof window !== 'undefined' && window.localStorage
    ? window.localStorage
    : {
        getItem: (k: string) => memoryStorage.get(k) ?? null,
        setItem: (k: string, v: string) => void memoryStorage.set(k, v),
        removeItem: (k: string) => void memoryStorage.delete(k),
      };

/** The app's one session. */
export const session = new SessionManager((req) => fetch(req), storage);
