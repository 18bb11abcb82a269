#!/usr/bin/env python3
"""Client side of bench/run-fanout.sh: times runs through the OpsConductor API (standard library only).

  fanout.py run BASE TOKEN JOB EXPECTED_TARGETS          one run, end to end; prints a JSON line
  fanout.py latency BASE TOKEN JOB COUNT                 accept-to-start latency of COUNT runs of a `date +%s%N` job
  fanout.py concurrent BASE TOKEN JOB_ID,JOB_ID,...      posts one run of each job at once, waits for all
"""
import http.client, json, ssl, statistics, sys, threading, time, urllib.parse

FINAL = {"succeeded", "failed", "cancelled", "timed_out"}
POLL = 0.020


class Api:
    def __init__(self, base, token):
        u = urllib.parse.urlparse(base)
        self.host, self.port, self.prefix = u.hostname, u.port, u.path
        self.headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
        self.https = u.scheme == "https"
        self.conn = self.connect()

    def connect(self):
        # https: the topology's gateway with its self-signed certificate (bench on loopback only).
        if self.https:
            return http.client.HTTPSConnection(self.host, self.port, timeout=600, context=ssl._create_unverified_context())
        return http.client.HTTPConnection(self.host, self.port, timeout=600)

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body)
        for attempt in range(2):
            try:
                self.conn.request(method, self.prefix + path, data, self.headers)
                r = self.conn.getresponse()
                text = r.read()
                if r.status >= 300:
                    raise RuntimeError(f"{method} {path}: {r.status} {text[:300]!r}")
                return json.loads(text) if text else None
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = self.connect()
                if attempt:
                    raise

    def wait(self, run_id):
        while True:
            run = self.call("GET", f"/runs/{run_id}")
            if run["status"] in FINAL:
                return run
            time.sleep(POLL)


def run_once(api, job, expected):
    start = time.perf_counter_ns()
    run_id = api.call("POST", f"/jobs/{job}/runs", {"parameters": {}})["id"]
    run = api.wait(run_id)
    ms = (time.perf_counter_ns() - start) / 1e6
    targets = run["targets"]
    non_empty = sum(1 for t in targets if t["steps"] and all((s.get("stdout") or "").strip() for s in t["steps"]))
    ok = run["status"] == "succeeded" and len(targets) == expected and non_empty == expected
    return {"run": run_id, "ms": round(ms), "status": run["status"], "targets": len(targets), "stdout_non_empty": non_empty,
            "ok": ok, "error": run.get("error")}


def latency(api, job, count):
    samples = []
    for _ in range(count):
        before = time.time_ns()
        run_id = api.call("POST", f"/jobs/{job}/runs", {"parameters": {}})["id"]
        run = api.wait(run_id)
        remote = int(run["targets"][0]["steps"][0]["stdout"].strip().splitlines()[-1])
        samples.append((remote - before) / 1e6)
        time.sleep(0.05)
    q = statistics.quantiles(samples, n=10)
    return {"runs": count, "median_ms": round(statistics.median(samples), 1), "p10_ms": round(q[0], 1), "p90_ms": round(q[-1], 1),
            "min_ms": round(min(samples), 1), "max_ms": round(max(samples), 1)}


def concurrent(base, token, jobs):
    ids, errors = {}, []
    barrier = threading.Barrier(len(jobs))

    def post(job):
        try:
            a = Api(base, token)
            a.call("GET", "/executor/status")  # connection open before the barrier
            barrier.wait()
            ids[job] = a.call("POST", f"/jobs/{job}/runs", {"parameters": {}})["id"]
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))

    threads = [threading.Thread(target=post, args=(j,)) for j in jobs]
    for t in threads[:-1]:
        t.start()
    time.sleep(0.5)  # every other thread connected and waiting at the barrier
    start, start_wall = time.perf_counter_ns(), time.time()
    threads[-1].start()
    for t in threads:
        t.join()
    posted = (time.perf_counter_ns() - start) / 1e9
    if errors:
        raise RuntimeError(errors[0])
    api = Api(base, token)
    runs = {}
    while len(runs) < len(jobs):
        for job, run_id in ids.items():
            if job not in runs:
                run = api.call("GET", f"/runs/{run_id}")
                if run["status"] in FINAL:
                    runs[job] = run
        time.sleep(0.2)
    wall = (time.perf_counter_ns() - start) / 1e9
    statuses = {}
    for r in runs.values():
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    # Most runs whose [startedAt, finishedAt] overlap at one instant.
    edges = []
    for r in runs.values():
        edges.append((r["startedAt"], 1))
        edges.append((r["finishedAt"], -1))
    peak = cur = 0
    for _, d in sorted(edges, key=lambda e: (stamp(e[0]), e[1])):
        cur += d
        peak = max(peak, cur)
    started = sorted(stamp(r["startedAt"]) - start_wall for r in runs.values())
    return {"runs": len(jobs), "wall_s": round(wall, 2), "statuses": statuses, "max_running_at_once": peak,
            "all_posted_s": round(posted, 2), "first_started_s": round(started[0], 2), "last_started_s": round(started[-1], 2),
            "last_finished_s": round(max(stamp(r["finishedAt"]) for r in runs.values()) - start_wall, 2)}


def stamp(iso):
    """Seconds since the epoch of an ISO 8601 time from the API (any number of fraction digits)."""
    from datetime import datetime
    main, _, rest = iso.partition(".")
    digits = rest[:len(rest) - len(rest.lstrip("0123456789"))]
    zone = rest[len(digits):] if rest else ""
    if not rest:
        main, zone = iso[:19], iso[19:]
    return datetime.fromisoformat(main + (zone.replace("Z", "+00:00") or "+00:00")).timestamp() + (float("0." + digits) if digits else 0)


def main():
    cmd, base, token = sys.argv[1:4]
    if cmd == "run":
        print(json.dumps(run_once(Api(base, token), sys.argv[4], int(sys.argv[5]))))
    elif cmd == "latency":
        print(json.dumps(latency(Api(base, token), sys.argv[4], int(sys.argv[5]))))
    elif cmd == "concurrent":
        print(json.dumps(concurrent(base, token, sys.argv[4].split(","))))


if __name__ == "__main__":
    main()
