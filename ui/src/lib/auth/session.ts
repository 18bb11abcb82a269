import type { Role } from './roles';

export type SessionUser = {
  id: string | number;
  username: string;
  role: Role;
  /** The password was generated or set by an admin: the server answers nothing else until the user chooses one. */
  mustChangePassword?: boolean;
};

export type TokenResponse = {
  accessToken: string;
  /** Null for the web UI: its refresh token lives in an HttpOnly cookie that scripts cannot read. */
  refreshToken?: string | null;
  tokenType?: string;
  expiresIn?: number | string;
  user?: SessionUser;
};

export type SessionState = {
  status: 'loading' | 'signed-in' | 'signed-out';
  user: SessionUser | null;
  /** Why the user was signed out, shown once on the login page. */
  notice: string | null;
};

/** Only a marker that a session cookie may exist (not a secret): a reload tries one refresh only when it is set. */
export const SESSION_MARKER_KEY = 'opsconductor.session';
/** Where earlier versions kept the refresh token itself; removed on start. */
export const LEGACY_REFRESH_TOKEN_KEY = 'opsconductor.refreshToken';
export const SESSION_EXPIRED_NOTICE = 'Your session has expired';
/** Sent with every auth request: the server uses the session cookie only with it, which a cross-site form cannot send. */
export const CSRF_HEADER = 'X-OpsConductor-Csrf';

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem'>;
type FetchLike = (input: Request) => Promise<Response>;

const AUTH_PATHS_WITHOUT_RETRY = ['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/logout'];
const AUTH_PREFIX = '/api/v1/auth/';

/**
 * Holds the session: the access token in memory only; the refresh token in an HttpOnly,
 * SameSite=Strict cookie the server sets on /api/v1/auth, so no script (ours or injected) can
 * read it. A reload resumes by one refresh with that cookie. `fetch` attaches the bearer token
 * and, on a 401, performs one silent refresh shared by every request that failed at the same
 * time (refresh tokens rotate, so two parallel refreshes would revoke the whole family).
 */
export class SessionManager {
  private accessToken: string | null = null;
  private state: SessionState = { status: 'loading', user: null, notice: null };
  private listeners = new Set<() => void>();
  private refreshInFlight: Promise<boolean> | null = null;
  private bootstrapped: Promise<void> | null = null;

  constructor(
    private readonly baseFetch: FetchLike,
    private readonly storage: Storage,
  ) {
    this.storage.removeItem(LEGACY_REFRESH_TOKEN_KEY);
  }

  getState = (): SessionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getAccessToken(): string | null {
    return this.accessToken;
  }

  /** Whether this browser signed in and has not signed out since (the cookie itself is invisible to scripts). */
  private hasSessionMarker(): boolean {
    return this.storage.getItem(SESSION_MARKER_KEY) !== null;
  }

  private setState(next: Partial<SessionState>) {
    this.state = { ...this.state, ...next };
    this.listeners.forEach((l) => l());
  }

  /** Keeps the access token of a login or refresh; the refresh token stays in the server's cookie. */
  signIn(tokens: TokenResponse, user?: SessionUser) {
    this.accessToken = tokens.accessToken;
    this.storage.setItem(SESSION_MARKER_KEY, '1');
    const nextUser = user ?? tokens.user ?? this.state.user;
    this.setState({ status: nextUser ? 'signed-in' : this.state.status, user: nextUser ?? null, notice: null });
  }

  updateUser(user: SessionUser) {
    this.setState({ user, status: 'signed-in' });
  }

  /** Forgets every token. `notice` is shown on the login page. */
  clear(notice: string | null = null) {
    this.accessToken = null;
    this.storage.removeItem(SESSION_MARKER_KEY);
    this.setState({ status: 'signed-out', user: null, notice });
  }

  clearNotice() {
    if (this.state.notice) this.setState({ notice: null });
  }

  /** Refreshes the token pair; concurrent callers share a single request. */
  refresh(): Promise<boolean> {
    if (!this.refreshInFlight) {
      this.refreshInFlight = this.doRefresh().finally(() => {
        this.refreshInFlight = null;
      });
    }
    return this.refreshInFlight;
  }

  private async doRefresh(): Promise<boolean> {
    if (!this.hasSessionMarker()) return false;
    try {
      const res = await this.baseFetch(
        new Request(absolute('/api/v1/auth/refresh'), {
          method: 'POST',
          headers: { [CSRF_HEADER]: '1' },
          credentials: 'same-origin',
        }),
      );
      if (!res.ok) return false;
      const tokens = (await res.json()) as TokenResponse;
      this.signIn(tokens);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * On page load: if this browser has a session, trade its cookie for an access token and load
   * the current user. Runs once however often it is called.
   */
  bootstrap(): Promise<void> {
    if (!this.bootstrapped) this.bootstrapped = this.doBootstrap();
    return this.bootstrapped;
  }

  private async doBootstrap() {
    if (!this.hasSessionMarker()) {
      this.setState({ status: 'signed-out' });
      return;
    }
    const ok = await this.refresh();
    if (!ok) {
      // A cookie the server no longer accepts (or none): the session ran out while the tab was closed.
      this.clear(SESSION_EXPIRED_NOTICE);
      return;
    }
    if (!this.state.user) {
      const res = await this.fetch(new Request(absolute('/api/v1/auth/me')));
      if (res.ok) {
        const me = (await res.json()) as SessionUser;
        this.updateUser({ id: me.id, username: me.username, role: me.role, mustChangePassword: me.mustChangePassword === true });
      } else {
        this.clear(null);
      }
    }
  }

  /** Fetch with the bearer token, one silent refresh on 401, and sign-out when that fails. */
  fetch = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    const retryable = !AUTH_PATHS_WITHOUT_RETRY.includes(path);
    const spare = retryable ? request.clone() : null;
    const tokenUsed = this.accessToken;
    const first = await this.baseFetch(withToken(withCsrf(request), tokenUsed));
    if (first.status !== 401 || !spare) return first;

    // Another request may already have refreshed while this one was in flight.
    const refreshed = this.accessToken !== tokenUsed && this.accessToken !== null ? true : await this.refresh();
    if (!refreshed) {
      if (this.state.status !== 'signed-out' || this.hasSessionMarker()) this.clear(SESSION_EXPIRED_NOTICE);
      return first;
    }
    const second = await this.baseFetch(withToken(spare, this.accessToken));
    if (second.status === 401) this.clear(SESSION_EXPIRED_NOTICE);
    return second;
  };

  /** Ends the session on the server (best effort; it also clears the cookie) and forgets it here. */
  async logout() {
    if (this.hasSessionMarker()) {
      try {
        await this.fetch(new Request(absolute('/api/v1/auth/logout'), { method: 'POST', credentials: 'same-origin' }));
      } catch {
        // Signing out locally must never fail because the server is unreachable.
      }
    }
    this.clear(null);
  }
}

/** Auth requests carry the CSRF header, so the server may use the session cookie for them. */
function withCsrf(request: Request): Request {
  if (!new URL(request.url).pathname.startsWith(AUTH_PREFIX)) return request;
  const headers = new Headers(request.headers);
  headers.set(CSRF_HEADER, '1');
  return new Request(request, { headers });
}

function withToken(request: Request, token: string | null): Request {
  if (!token) return request;
  const headers = new Headers(request.headers);
  headers.set('Authorization', `Bearer ${token}`);
  return new Request(request, { headers });
}

/** Resolves a same-origin path; falls back to localhost outside the browser (tests). */
export function absolute(path: string): string {
  const origin = typeof window !== 'undefined' && window.location ? window.location.origin : 'http://localhost';
  return new URL(path, origin).toString();
}
