import type { Role } from './roles';

export type SessionUser = { id: string | number; username: string; role: Role };

export type TokenResponse = {
  accessToken: string;
  refreshToken: string;
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

export const REFRESH_TOKEN_KEY = 'opsconductor.refreshToken';
export const SESSION_EXPIRED_NOTICE = 'Your session has expired';

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem'>;
type FetchLike = (input: Request) => Promise<Response>;

const AUTH_PATHS_WITHOUT_RETRY = ['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/logout'];

/**
 * Holds the session: access token in memory only, refresh token in storage so a reload
 * can resume. `fetch` attaches the bearer token and, on a 401, performs one silent refresh
 * shared by every request that failed at the same time (refresh tokens rotate, so two
 * parallel refreshes with the same token would revoke the whole family).
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
  ) {}

  getState = (): SessionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getAccessToken(): string | null {
    return this.accessToken;
  }

  getRefreshToken(): string | null {
    return this.storage.getItem(REFRESH_TOKEN_KEY);
  }

  private setState(next: Partial<SessionState>) {
    this.state = { ...this.state, ...next };
    this.listeners.forEach((l) => l());
  }

  /** Stores a token pair from login or refresh. */
  signIn(tokens: TokenResponse, user?: SessionUser) {
    this.accessToken = tokens.accessToken;
    this.storage.setItem(REFRESH_TOKEN_KEY, tokens.refreshToken);
    const nextUser = user ?? tokens.user ?? this.state.user;
    this.setState({ status: nextUser ? 'signed-in' : this.state.status, user: nextUser ?? null, notice: null });
  }

  updateUser(user: SessionUser) {
    this.setState({ user, status: 'signed-in' });
  }

  /** Forgets every token. `notice` is shown on the login page. */
  clear(notice: string | null = null) {
    this.accessToken = null;
    this.storage.removeItem(REFRESH_TOKEN_KEY);
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
    const refreshToken = this.getRefreshToken();
    if (!refreshToken) return false;
    try {
      const res = await this.baseFetch(
        new Request(absolute('/api/v1/auth/refresh'), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ refreshToken }),
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
   * On page load: if a refresh token is stored, trade it for an access token and load
   * the current user. Runs once however often it is called.
   */
  bootstrap(): Promise<void> {
    if (!this.bootstrapped) this.bootstrapped = this.doBootstrap();
    return this.bootstrapped;
  }

  private async doBootstrap() {
    if (!this.getRefreshToken()) {
      this.setState({ status: 'signed-out' });
      return;
    }
    const ok = await this.refresh();
    if (!ok) {
      // A stored token the server no longer accepts: the session ran out while the tab was closed.
      this.clear(SESSION_EXPIRED_NOTICE);
      return;
    }
    if (!this.state.user) {
      const res = await this.fetch(new Request(absolute('/api/v1/auth/me')));
      if (res.ok) {
        const me = (await res.json()) as SessionUser;
        this.updateUser({ id: me.id, username: me.username, role: me.role });
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
    const first = await this.baseFetch(withToken(request, tokenUsed));
    if (first.status !== 401 || !spare) return first;

    // Another request may already have refreshed while this one was in flight.
    const refreshed = this.accessToken !== tokenUsed && this.accessToken !== null ? true : await this.refresh();
    if (!refreshed) {
      if (this.state.status !== 'signed-out' || this.getRefreshToken()) this.clear(SESSION_EXPIRED_NOTICE);
      return first;
    }
    const second = await this.baseFetch(withToken(spare, this.accessToken));
    if (second.status === 401) this.clear(SESSION_EXPIRED_NOTICE);
    return second;
  };

  /** Revokes the refresh token on the server (best effort) and forgets the session. */
  async logout() {
    const refreshToken = this.getRefreshToken();
    if (refreshToken) {
      try {
        await this.fetch(
          new Request(absolute('/api/v1/auth/logout'), {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ refreshToken }),
          }),
        );
      } catch {
        // Signing out locally must never fail because the server is unreachable.
      }
    }
    this.clear(null);
  }
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
