import { describe, expect, it } from 'vitest';
import { CSRF_HEADER, LEGACY_REFRESH_TOKEN_KEY, SESSION_EXPIRED_NOTICE, SESSION_MARKER_KEY, SessionManager } from './session';

function memoryStorage(initial: Record<string, string> = {}) {
  const map = new Map(Object.entries(initial));
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/**
 * A fake server with the browser's cookie jar: /data needs `Bearer access-N` for the current N;
 * /auth/refresh rotates the HttpOnly cookie `refresh-N` and answers only with the CSRF header.
 */
function fakeServer(opts: { refreshSucceeds?: boolean; refreshDelayMs?: number } = {}) {
  let generation = 1;
  const calls: { path: string; auth: string | null; csrf: string | null; body?: string }[] = [];
  const jar = { cookie: 'refresh-1' as string | null };
  let validRefresh = 'refresh-1';
  const fetchImpl = async (req: Request) => {
    const path = new URL(req.url).pathname;
    const body = req.method === 'GET' ? undefined : await req.text();
    calls.push({ path, auth: req.headers.get('Authorization'), csrf: req.headers.get(CSRF_HEADER), body });
    if (path === '/api/v1/auth/refresh') {
      if (opts.refreshDelayMs) await new Promise((r) => setTimeout(r, opts.refreshDelayMs));
      if (req.headers.get(CSRF_HEADER) !== '1') return json(403, { title: 'Missing CSRF header' });
      if (opts.refreshSucceeds === false || jar.cookie !== validRefresh) return json(401, { title: 'Invalid refresh token' });
      generation++;
      validRefresh = `refresh-${generation}`;
      jar.cookie = validRefresh;
      return json(200, { accessToken: `access-${generation}`, refreshToken: null, tokenType: 'Bearer', expiresIn: 900 });
    }
    if (path === '/api/v1/auth/logout') {
      jar.cookie = null;
      return new Response(null, { status: 204 });
    }
    if (req.headers.get('Authorization') !== `Bearer access-${generation}`) return json(401, { title: 'Unauthorized' });
    return json(200, { ok: true, echo: body });
  };
  return { fetchImpl, calls, jar, expire: () => generation++ };
}

function signedIn(server: ReturnType<typeof fakeServer>) {
  const storage = memoryStorage();
  const s = new SessionManager(server.fetchImpl, storage);
  s.signIn({ accessToken: 'access-1', refreshToken: null, user: { id: 1, username: 'admin', role: 'admin' } });
  return { s, storage };
}

describe('SessionManager', () => {
  it('attaches the bearer token and keeps no token in storage', async () => {
    const server = fakeServer();
    const { s, storage } = signedIn(server);
    const res = await s.fetch(new Request('http://localhost/api/v1/things'));
    expect(res.status).toBe(200);
    expect(server.calls[0].auth).toBe('Bearer access-1');
    expect([...storage.map.keys()]).toEqual([SESSION_MARKER_KEY]);
    expect([...storage.map.values()].join()).not.toMatch(/access|refresh/);
  });

  it('never stores a refresh token, even when a response carries one', () => {
    const storage = memoryStorage();
    const s = new SessionManager(fakeServer().fetchImpl, storage);
    s.signIn({ accessToken: 'access-1', refreshToken: 'body-token' });
    expect([...storage.map.values()]).not.toContain('body-token');
  });

  it('removes a refresh token an earlier version left in storage', () => {
    const storage = memoryStorage({ [LEGACY_REFRESH_TOKEN_KEY]: 'old-token' });
    new SessionManager(fakeServer().fetchImpl, storage);
    expect(storage.map.has(LEGACY_REFRESH_TOKEN_KEY)).toBe(false);
  });

  it('refreshes once on 401 with the cookie and the CSRF header, and retries the request with its body', async () => {
    // The server now expects a newer access token while the cookie stays valid: an expired access token.
    const expired = fakeServer();
    expired.expire();
    const s2 = new SessionManager(expired.fetchImpl, memoryStorage());
    s2.signIn({ accessToken: 'access-1' });
    const res = await s2.fetch(new Request('http://localhost/api/v1/things', { method: 'POST', body: '{"a":1}' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, echo: '{"a":1}' });
    const paths = expired.calls.map((c) => c.path);
    expect(paths).toEqual(['/api/v1/things', '/api/v1/auth/refresh', '/api/v1/things']);
    expect(expired.calls[1]).toMatchObject({ csrf: '1', body: '' });
    expect(expired.calls[2].auth).toBe('Bearer access-3');
  });

  it('shares one refresh between concurrent 401s (single flight)', async () => {
    const srv = fakeServer({ refreshDelayMs: 20 });
    const s2 = new SessionManager(srv.fetchImpl, memoryStorage());
    s2.signIn({ accessToken: 'stale' });
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => s2.fetch(new Request(`http://localhost/api/v1/things/${i}`))),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const refreshes = srv.calls.filter((c) => c.path === '/api/v1/auth/refresh');
    expect(refreshes).toHaveLength(1);
    expect(srv.jar.cookie).toBe('refresh-2');
    expect(srv.calls.filter((c) => c.path !== '/api/v1/auth/refresh').map((c) => c.auth)).toEqual([
      ...Array(5).fill('Bearer stale'),
      ...Array(5).fill('Bearer access-2'),
    ]);
  });

  it('clears the session with the expiry notice when refresh fails', async () => {
    const server = fakeServer({ refreshSucceeds: false });
    const storage = memoryStorage();
    const s = new SessionManager(server.fetchImpl, storage);
    s.signIn({ accessToken: 'stale', user: { id: 1, username: 'a', role: 'viewer' } });
    const seen: string[] = [];
    s.subscribe(() => seen.push(s.getState().status));
    const res = await s.fetch(new Request('http://localhost/api/v1/things'));
    expect(res.status).toBe(401);
    expect(s.getState()).toEqual({ status: 'signed-out', user: null, notice: SESSION_EXPIRED_NOTICE });
    expect(storage.map.has(SESSION_MARKER_KEY)).toBe(false);
    expect(s.getAccessToken()).toBeNull();
    expect(seen).toContain('signed-out');
  });

  it('does not try to refresh when login itself answers 401, and sends login with the CSRF header', async () => {
    const calls: { path: string; csrf: string | null }[] = [];
    const s = new SessionManager(async (req) => {
      calls.push({ path: new URL(req.url).pathname, csrf: req.headers.get(CSRF_HEADER) });
      return json(401, { title: 'Invalid username or password' });
    }, memoryStorage());
    const res = await s.fetch(new Request('http://localhost/api/v1/auth/login', { method: 'POST', body: '{}' }));
    expect(res.status).toBe(401);
    expect(calls).toEqual([{ path: '/api/v1/auth/login', csrf: '1' }]);
  });

  it('sends the CSRF header on auth paths only', async () => {
    const server = fakeServer();
    const { s } = signedIn(server);
    await s.fetch(new Request('http://localhost/api/v1/things'));
    expect(server.calls[0].csrf).toBeNull();
  });

  it('logout ends the cookie session on the server and forgets it locally', async () => {
    const server = fakeServer();
    const { s, storage } = signedIn(server);
    await s.logout();
    const logout = server.calls.find((c) => c.path === '/api/v1/auth/logout');
    expect(logout).toMatchObject({ auth: 'Bearer access-1', csrf: '1', body: '' });
    expect(server.jar.cookie).toBeNull();
    expect(storage.map.has(SESSION_MARKER_KEY)).toBe(false);
    expect(s.getState().status).toBe('signed-out');
    expect(s.getState().notice).toBeNull();
  });

  it('bootstrap trades the session cookie once, even when called twice', async () => {
    const server = fakeServer();
    const storage = memoryStorage({ [SESSION_MARKER_KEY]: '1' });
    const fetchImpl = async (req: Request) => {
      if (new URL(req.url).pathname === '/api/v1/auth/me') {
        server.calls.push({ path: '/api/v1/auth/me', auth: req.headers.get('Authorization'), csrf: req.headers.get(CSRF_HEADER) });
        return json(200, { id: 7, username: 'ops', role: 'operator', email: 'o@x', fullName: 'O', createdAt: '' });
      }
      return server.fetchImpl(req);
    };
    const s = new SessionManager(fetchImpl, storage);
    await Promise.all([s.bootstrap(), s.bootstrap()]);
    expect(server.calls.filter((c) => c.path === '/api/v1/auth/refresh')).toHaveLength(1);
    expect(s.getState()).toMatchObject({ status: 'signed-in', user: { id: 7, username: 'ops', role: 'operator' } });
  });

  it('bootstrap with a rejected cookie ends signed out with the expiry notice', async () => {
    const server = fakeServer({ refreshSucceeds: false });
    const storage = memoryStorage({ [SESSION_MARKER_KEY]: '1' });
    const s = new SessionManager(server.fetchImpl, storage);
    await s.bootstrap();
    expect(s.getState()).toEqual({ status: 'signed-out', user: null, notice: SESSION_EXPIRED_NOTICE });
    expect(storage.map.has(SESSION_MARKER_KEY)).toBe(false);
  });

  it('bootstrap in a browser that never signed in ends signed out without asking the server', async () => {
    const calls: string[] = [];
    const s = new SessionManager(async (req) => {
      calls.push(req.url);
      return json(500, {});
    }, memoryStorage());
    await s.bootstrap();
    expect(s.getState().status).toBe('signed-out');
    expect(calls).toEqual([]);
  });
});
