// A stand-in for the OpsConductor host, for developing the UI before (or without) the real
// backend: serves ui/dist with SPA fallback and answers auth, users, health and empty lists
// for the other areas, following /api/v1 as documented. Not used by the real e2e run.
//   PORT=5080 OPSC_ADMIN_PASSWORD=... node e2e/mock-backend.mjs
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const port = Number(process.env.PORT ?? 5080);
const adminPassword = process.env.OPSC_ADMIN_PASSWORD ?? 'Admin-Password-123';
const dist = fileURLToPath(new URL('../dist', import.meta.url));
const users = [{ id: 1, username: 'admin', email: 'admin@example.test', fullName: 'Administrator', role: 'admin', disabled: false, createdAt: new Date().toISOString(), password: adminPassword }];
const jobs = [{ id: 1, name: 'Restart service', description: 'Restarts a systemd unit', parameters: [{ name: 'service', type: 'string', required: true }, { name: 'force', type: 'bool', required: false, default: false }], steps: [{ name: 'restart', type: 'command', script: 'systemctl restart {{service}}' }], targets: { targetIds: [], tags: ['web'] } }];
const runs = [];
const access = new Map(); // token -> user id
const refresh = new Map(); // token -> user id
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

const send = (res, status, body, type = 'application/json') => {
  res.writeHead(status, { 'Content-Type': type });
  res.end(body === undefined ? undefined : JSON.stringify(body));
};
const problem = (res, status, title, detail, errors) => send(res, status, { status, title, detail, errors }, 'application/problem+json');
const publicUser = ({ password: _p, ...u }) => u;
// Like the host: a browser (X-OpsConductor-Csrf) gets its refresh token as an HttpOnly cookie, not in the body.
const browser = (req) => Boolean(req.headers['x-opsconductor-csrf']);
const cookieToken = (req) => /(?:^|;\s*)opsc_refresh=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
const issue = (req, res, user) => {
  const a = randomUUID(), r = randomUUID();
  access.set(a, user.id);
  refresh.set(r, user.id);
  if (browser(req)) res.setHeader('Set-Cookie', `opsc_refresh=${r}; Path=/api/v1/auth; HttpOnly; SameSite=Strict`);
  return { accessToken: a, refreshToken: browser(req) ? null : r, tokenType: 'Bearer', expiresIn: 900, user: { id: user.id, username: user.username, role: user.role } };
};
const readBody = async (req) => {
  let s = '';
  for await (const c of req) s += c;
  try { return s ? JSON.parse(s) : {}; } catch { return null; }
};

createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const p = url.pathname;
  if (p === '/health') return send(res, 200, { status: 'healthy', service: 'opsconductor (mock)', version: '0.0.0-mock', checks: { database: 'healthy', executor: { status: 'healthy', description: '1 worker' } } });
  if (p.startsWith('/api/')) {
    const body = ['POST', 'PUT'].includes(req.method) ? await readBody(req) : {};
    if (body === null) return problem(res, 400, 'Malformed JSON');
    if (p === '/api/v1/auth/login' && req.method === 'POST') {
      const u = users.find((x) => x.username === body.username && x.password === body.password && !x.disabled);
      return u ? send(res, 200, issue(req, res, u)) : problem(res, 401, 'Unauthorized', 'Invalid username or password.');
    }
    if (p === '/api/v1/auth/refresh' && req.method === 'POST') {
      const token = body.refreshToken ?? (browser(req) ? cookieToken(req) : undefined);
      const id = refresh.get(token);
      if (id === undefined) return problem(res, 401, 'Unauthorized', 'Refresh token is invalid.');
      refresh.delete(token);
      return send(res, 200, issue(req, res, users.find((u) => u.id === id)));
    }
    const me = users.find((u) => u.id === access.get((req.headers.authorization ?? '').replace('Bearer ', '')));
    if (!me) return problem(res, 401, 'Unauthorized');
    if (p === '/api/v1/auth/logout') { refresh.delete(body.refreshToken ?? cookieToken(req)); return send(res, 204); }
    if (p === '/api/v1/auth/me') return send(res, 200, publicUser(me));
    if (p === '/api/v1/jobs' && req.method === 'GET') return send(res, 200, { items: jobs, total: jobs.length, page: 1, pageSize: 50 });
    if (p === '/api/v1/runs' && req.method === 'GET') return send(res, 200, { items: runs, total: runs.length, page: 1, pageSize: 50 });
    if (['/api/v1/targets', '/api/v1/credentials'].includes(p) && req.method === 'GET')
      return send(res, 200, { items: [], total: 0, page: 1, pageSize: 50 });
    const start = p.match(/^\/api\/v1\/jobs\/(\d+)\/runs$/);
    if (start && req.method === 'POST') {
      if (me.role === 'viewer') return problem(res, 403, 'Forbidden');
      const job = jobs.find((j) => j.id === Number(start[1]));
      const run = { id: runs.length + 1, jobId: job.id, jobName: job.name, status: 'succeeded', trigger: 'manual', requestedBy: me.username, queuedAt: new Date().toISOString(), startedAt: new Date().toISOString(), finishedAt: new Date(Date.now() + 1200).toISOString(), parameters: body.parameters,
        waitReason: null, error: null, cancelRequested: false, rerunOf: null,
        targets: [{ targetId: 1, targetName: 'web-1', hostname: 'web-1.example', status: 'succeeded', attempt: 1, startedAt: null, finishedAt: null, error: null,
          steps: [{ index: 0, name: 'restart', status: 'succeeded', exitCode: 0, stdout: `restarted ${body.parameters?.service}`, stderr: '', outputTruncated: false, startedAt: null, finishedAt: null, error: null }] }] };
      runs.unshift(run);
      return send(res, 202, run);
    }
    const runMatch = p.match(/^\/api\/v1\/runs\/(\d+)(\/events)?$/);
    if (runMatch) {
      const run = runs.find((r) => r.id === Number(runMatch[1]));
      if (!run) return problem(res, 404, 'Not Found');
      if (!runMatch[2]) return send(res, 200, run);
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      // The real event records (RunStreamEvent in the OpenAPI document): one frame per record, `event:` = its kind.
      const at = new Date().toISOString();
      const frames = [
        { kind: 'queued', waitReason: null },
        { kind: 'status_changed', scope: 'run', targetId: null, step: null, status: 'running', startedAt: at, finishedAt: null, exitCode: null, error: null, attempt: null },
        { kind: 'targets_resolved', targets: [{ targetId: 1, targetName: 'web-1', hostname: 'web-1.example', steps: [{ index: 0, name: 'restart' }] }], problems: [] },
        { kind: 'status_changed', scope: 'target', targetId: 1, step: null, status: 'running', startedAt: at, finishedAt: null, exitCode: null, error: null, attempt: 1 },
        { kind: 'status_changed', scope: 'step', targetId: 1, step: 0, status: 'running', startedAt: at, finishedAt: null, exitCode: null, error: null, attempt: null },
        { kind: 'output', targetId: 1, step: 0, stream: 'stdout', firstLine: 1, lines: [`restarted ${run.parameters?.service}`] },
        { kind: 'status_changed', scope: 'step', targetId: 1, step: 0, status: 'succeeded', startedAt: at, finishedAt: at, exitCode: 0, error: null, attempt: null },
        { kind: 'status_changed', scope: 'target', targetId: 1, step: null, status: 'succeeded', startedAt: at, finishedAt: at, exitCode: null, error: null, attempt: 1 },
        { kind: 'status_changed', scope: 'run', targetId: null, step: null, status: 'succeeded', startedAt: at, finishedAt: at, exitCode: null, error: null, attempt: null },
      ];
      frames.forEach((f, i) => res.write(`id: ${i + 1}\nevent: ${f.kind}\ndata: ${JSON.stringify({ ...f, id: i + 1, at })}\n\n`));
      res.write(`event: end\ndata: ${JSON.stringify({ kind: 'end', id: 0, at, status: 'succeeded' })}\n\n`);
      return res.end();
    }
    const m = p.match(/^\/api\/v1\/users(?:\/(\d+))?(\/password)?$/);
    if (m) {
      const id = m[1] ? Number(m[1]) : undefined;
      const self = id === me.id;
      if (me.role !== 'admin' && !self) return problem(res, 403, 'Forbidden');
      if (!id && req.method === 'GET') {
        const search = (url.searchParams.get('search') ?? '').toLowerCase();
        const role = url.searchParams.get('role');
        const page = Number(url.searchParams.get('page') ?? 1), pageSize = Number(url.searchParams.get('pageSize') ?? 50);
        const all = users.filter((u) => (!role || u.role === role) && (!search || `${u.username} ${u.email} ${u.fullName}`.toLowerCase().includes(search)));
        return send(res, 200, { items: all.slice((page - 1) * pageSize, page * pageSize).map(publicUser), total: all.length, page, pageSize });
      }
      if (!id && req.method === 'POST') {
        if (users.some((u) => u.username === body.username)) return problem(res, 409, 'Conflict', 'Username is already taken.');
        if (!body.password || body.password.length < 12) return problem(res, 400, 'One or more validation errors occurred.', undefined, { Password: ['Password must be at least 12 characters.'] });
        const u = { id: users.length + 1, disabled: false, createdAt: new Date().toISOString(), ...body };
        users.push(u);
        return send(res, 201, publicUser(u));
      }
      const u = users.find((x) => x.id === id);
      if (!u) return problem(res, 404, 'Not Found', `No user ${id}.`);
      if (m[2] && req.method === 'PUT') {
        if (self && body.currentPassword !== u.password) return problem(res, 400, 'One or more validation errors occurred.', undefined, { currentPassword: ['The current password is not correct.'] });
        u.password = body.newPassword;
        return send(res, 204);
      }
      if (req.method === 'GET') return send(res, 200, publicUser(u));
      if (req.method === 'PUT') { Object.assign(u, { email: body.email ?? u.email, fullName: body.fullName ?? u.fullName, ...(me.role === 'admin' ? { role: body.role ?? u.role, disabled: body.disabled ?? u.disabled } : {}) }); return send(res, 200, publicUser(u)); }
      if (req.method === 'DELETE') { users.splice(users.indexOf(u), 1); return send(res, 204); }
    }
    return problem(res, 404, 'Not Found');
  }
  const file = normalize(join(dist, p));
  const data = file.startsWith(dist) ? await readFile(file).catch(() => null) : null;
  if (data && extname(file)) { res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' }); return res.end(data); }
  res.writeHead(200, { 'Content-Type': 'text/html' });
  res.end(await readFile(join(dist, 'index.html')));
}).listen(port, '127.0.0.1', () => console.log(`mock backend on http://127.0.0.1:${port}`));
