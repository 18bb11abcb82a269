// The browser alone: a stand-in for the host that serves ui/dist and just what the run page needs, so the
// run view's cost is measured without a host, sshd or database on the same cores (bench/ui-runview-replay.sh).
//   PORT=5090 OPSC_ADMIN_PASSWORD=... node e2e-bench/mock-backend.mjs
// Auth as the host does it for a browser (login → access token + HttpOnly refresh cookie; refresh; me; logout).
// POST /api/v1/bench/runs {targets, lines, seconds, failEvery, dropEveryMs} starts a generated run "now": GET /api/v1/runs/{id}
// is its RunDto and GET /api/v1/runs/{id}/events streams it in the typed RunStreamEvent format
// (`id: <id>\nevent: <kind>\ndata: <record>\n\n`), replaying what already "happened" and then live at its pace:
// every target prints `lines` lines evenly over `seconds`, flushed as one chunk per target every CHUNK_MS (as the
// host batches a target's lines). ?after=<id> resumes. …/targets/{t}/output and …/steps/{i}/output are text/plain.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const port = Number(process.env.PORT ?? 5090);
const adminPassword = process.env.OPSC_ADMIN_PASSWORD ?? 'Admin-Password-123';
const dist = fileURLToPath(new URL('../dist', import.meta.url));
const CHUNK_MS = Number(process.env.CHUNK_MS ?? 100);
const TICK_MS = 25;
const admin = { id: 1, username: 'admin', email: 'admin@example.test', fullName: 'Administrator', role: 'admin', disabled: false, createdAt: new Date().toISOString() };
const access = new Set();
const refresh = new Set();
const runs = new Map();
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };

const send = (res, status, body, type = 'application/json') => {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
};
const problem = (res, status, title) => send(res, status, { status, title }, 'application/problem+json');
const cookieToken = (req) => /(?:^|;\s*)opsc_refresh=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
const issue = (res) => {
  const a = randomUUID(), r = randomUUID();
  access.add(a);
  refresh.add(r);
  res.setHeader('Set-Cookie', `opsc_refresh=${r}; Path=/api/v1/auth; HttpOnly; SameSite=Strict`);
  return { accessToken: a, refreshToken: null, tokenType: 'Bearer', expiresIn: 900, user: { id: admin.id, username: admin.username, role: admin.role } };
};
const readBody = async (req) => {
  let s = '';
  for await (const c of req) s += c;
  try { return s ? JSON.parse(s) : {}; } catch { return {}; }
};

/** Line `n` of target `t` (deterministic, so the download and the stream agree). */
const lineText = (run, t, n) => `line ${n} of ${run.lines} from stream-${t} ${String((n * 7919 + t * 104729) % 1000000).padStart(6, '0')} ${'x'.repeat(20 + ((n * 31 + t) % 40))}`;
const fails = (run, t) => run.failEvery > 0 && t % run.failEvery === run.failEvery - 1;

/** Every event of the run with its time (ms after the start), in id order. Records are built when sent. */
function plan(run) {
  const events = [];
  const at = (ms) => new Date(run.start + ms).toISOString();
  const add = (ms, record) => events.push({ ms, record: { ...record, at: at(ms) } });
  const T = run.targets, duration = run.seconds * 1000;
  add(0, { kind: 'queued', waitReason: null });
  add(20, { kind: 'status_changed', scope: 'run', targetId: null, step: null, status: 'running', startedAt: at(20), finishedAt: null, exitCode: null, error: null, attempt: null });
  add(40, {
    kind: 'targets_resolved', problems: [],
    targets: Array.from({ length: T }, (_, t) => ({ targetId: t + 1, targetName: `stream-${t}`, hostname: '127.0.0.1', steps: [{ index: 0, name: 'stream' }] })),
  });
  const startOf = (t) => 60 + ((t * 37) % 400); // targets connect over the first ~0.5 s, as a fleet does
  const timeline = [];
  for (let t = 0; t < T; t++) {
    const s = startOf(t);
    timeline.push([s, () => ({ kind: 'status_changed', scope: 'target', targetId: t + 1, step: null, status: 'running', startedAt: at(s), finishedAt: null, exitCode: null, error: null, attempt: 1 })]);
    timeline.push([s + 1, () => ({ kind: 'status_changed', scope: 'step', targetId: t + 1, step: 0, status: 'running', startedAt: at(s), finishedAt: null, exitCode: null, error: null, attempt: 1 })]);
    // One chunk per target per CHUNK_MS with the lines printed since the last one.
    let printed = 0;
    for (let ms = CHUNK_MS; printed < run.lines; ms += CHUNK_MS) {
      const upto = Math.min(run.lines, Math.ceil((ms / duration) * run.lines));
      if (upto <= printed) continue;
      const first = printed + 1, count = upto - printed;
      const stderr = fails(run, t) && upto === run.lines;
      timeline.push([s + ms, () => ({ kind: 'output', targetId: t + 1, step: 0, stream: stderr ? 'stderr' : 'stdout', firstLine: first, lines: Array.from({ length: count }, (_, i) => (stderr && i === count - 1 ? `error: stream-${t} failed` : lineText(run, t, first + i))) })]);
      printed = upto;
    }
    const end = s + duration + CHUNK_MS;
    const status = fails(run, t) ? 'failed' : 'succeeded';
    timeline.push([end, () => ({ kind: 'status_changed', scope: 'step', targetId: t + 1, step: 0, status, startedAt: at(s), finishedAt: at(end), exitCode: status === 'failed' ? 1 : 0, error: null, attempt: 1 })]);
    timeline.push([end + 1, () => ({ kind: 'status_changed', scope: 'target', targetId: t + 1, step: null, status, startedAt: at(s), finishedAt: at(end), exitCode: null, error: status === 'failed' ? 'step 1 exited with 1' : null, attempt: 1 })]);
  }
  timeline.sort((a, b) => a[0] - b[0]);
  for (const [ms, make] of timeline) events.push({ ms, make });
  const last = events[events.length - 1].ms + 20;
  run.status = run.failEvery > 0 && T >= run.failEvery ? 'failed' : 'succeeded';
  add(last, { kind: 'status_changed', scope: 'run', targetId: null, step: null, status: run.status, startedAt: at(20), finishedAt: at(last), exitCode: null, error: null, attempt: null });
  run.endMs = last;
  events.forEach((e, i) => (e.id = i + 1));
  return events;
}

const frame = (run, e) => {
  const record = e.record ?? { ...e.make(), at: new Date(run.start + e.ms).toISOString() };
  return `id: ${e.id}\nevent: ${record.kind}\ndata: ${JSON.stringify({ ...record, id: e.id })}\n\n`;
};

function stream(req, res, run, after) {
  if (process.env.MOCK_LOG) console.log(`events run=${run.id} after=${after}`);
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
  let next = run.events.findIndex((e) => e.id > after);
  if (next < 0) next = run.events.length;
  const tick = () => {
    const now = Date.now() - run.start;
    let out = '';
    while (next < run.events.length && run.events[next].ms <= now) out += frame(run, run.events[next++]);
    if (next >= run.events.length) {
      out += `event: end\ndata: ${JSON.stringify({ kind: 'end', id: 0, at: new Date().toISOString(), status: run.status })}\n\n`;
      clearInterval(timer);
      res.end(out);
      return;
    }
    if (out) res.write(out);
  };
  const timer = setInterval(tick, TICK_MS);
  // dropEveryMs: the connection breaks mid-stream (as a proxy or a restart would), to exercise ?after= resumes.
  const drop = run.dropEveryMs > 0 ? setTimeout(() => { clearInterval(timer); res.destroy(); }, run.dropEveryMs) : undefined;
  req.on('close', () => { clearInterval(timer); clearTimeout(drop); });
  tick();
}

function runDto(run) {
  const done = Date.now() - run.start >= run.endMs;
  return {
    id: run.id, jobId: 1, jobName: `stream-${run.targets}x${run.lines}`, status: done ? run.status : 'running', trigger: 'manual', requestedBy: 'admin',
    queuedAt: new Date(run.start).toISOString(), startedAt: new Date(run.start + 20).toISOString(), finishedAt: done ? new Date(run.start + run.endMs).toISOString() : null,
    parameters: {}, waitReason: null, error: null, cancelRequested: false, rerunOf: null, lastEventId: 0,
    targets: Array.from({ length: run.targets }, (_, t) => ({ targetId: t + 1, targetName: `stream-${t}`, hostname: '127.0.0.1', status: done ? (fails(run, t) ? 'failed' : 'succeeded') : 'running', attempt: 1, startedAt: null, finishedAt: null, error: null,
      steps: [{ index: 0, name: 'stream', status: done ? (fails(run, t) ? 'failed' : 'succeeded') : 'running', exitCode: null, stdout: '', stderr: '', outputTruncated: false, startedAt: null, finishedAt: null, error: null }] })),
  };
}

createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const p = url.pathname;
  if (p === '/health') return send(res, 200, { status: 'healthy', service: 'opsconductor (bench mock)', version: '0.0.0-mock', checks: {} });
  if (p.startsWith('/api/')) {
    const body = req.method === 'POST' ? await readBody(req) : {};
    if (p === '/api/v1/auth/login' && req.method === 'POST')
      return body.username === 'admin' && body.password === adminPassword ? send(res, 200, issue(res)) : problem(res, 401, 'Unauthorized');
    if (p === '/api/v1/auth/refresh' && req.method === 'POST') {
      const token = cookieToken(req);
      if (!refresh.delete(token)) return problem(res, 401, 'Unauthorized');
      return send(res, 200, issue(res));
    }
    if (!access.has((req.headers.authorization ?? '').replace('Bearer ', ''))) return problem(res, 401, 'Unauthorized');
    if (p === '/api/v1/auth/logout') return send(res, 204);
    if (p === '/api/v1/auth/me') return send(res, 200, admin);
    if (p === '/api/v1/bench/runs' && req.method === 'POST') {
      const run = { id: runs.size + 1, start: Date.now(), targets: Number(body.targets ?? 200), lines: Number(body.lines ?? 40), seconds: Number(body.seconds ?? 8), failEvery: Number(body.failEvery ?? 0), dropEveryMs: Number(body.dropEveryMs ?? 0) };
      run.events = plan(run);
      runs.set(run.id, run);
      return send(res, 202, { id: run.id, events: run.events.length, endMs: run.endMs });
    }
    const m = p.match(/^\/api\/v1\/runs\/(\d+)(?:(\/events)|\/targets\/(\d+)(?:\/steps\/(\d+))?\/output)?$/);
    const run = m && runs.get(Number(m[1]));
    if (m && !run) return problem(res, 404, 'Not Found');
    if (m && m[2]) return stream(req, res, run, Number(url.searchParams.get('after') ?? 0));
    if (m && m[3]) {
      const t = Number(m[3]) - 1;
      const text = Array.from({ length: run.lines }, (_, i) => lineText(run, t, i + 1)).join('\n') + '\n';
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Disposition': `attachment; filename="run-${run.id}-stream-${t}${m[4] ? `-step-${Number(m[4]) + 1}` : ''}.txt"` });
      return res.end(text);
    }
    if (m) return send(res, 200, runDto(run));
    // The rest of the app (dashboard, lists) is not measured here: empty pages.
    if (req.method === 'GET') return send(res, 200, { items: [], total: 0, page: 1, pageSize: 50 });
    return problem(res, 404, 'Not Found');
  }
  const file = normalize(join(dist, p));
  const data = file.startsWith(dist) ? await readFile(file).catch(() => null) : null;
  if (data && extname(file)) {
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream', 'Cache-Control': p.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache' });
    return res.end(data);
  }
  res.writeHead(200, { 'Content-Type': 'text/html', 'Cache-Control': 'no-cache' });
  res.end(await readFile(join(dist, 'index.html')));
}).listen(port, '127.0.0.1', () => console.log(`bench mock backend on http://127.0.0.1:${port}`));
