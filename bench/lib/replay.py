#!/usr/bin/env python3
"""Client side of bench/run-replay.sh (standard library only).

  replay.py run BASE TOKEN JOB                  starts a run of JOB, waits for its final status; prints a JSON line
  replay.py replay BASE TOKEN RUN EXPECTED      reads GET /runs/{RUN}/events to its end as a late subscriber, timed, then
                                                checks it (every line once, FirstLine consecutive per step); prints a JSON line
  replay.py get BASE TOKEN RUN                  times GET /runs/{RUN}; prints a JSON line
  replay.py download BASE TOKEN RUN TARGET      times GET /runs/{RUN}/targets/{TARGET}/output; prints a JSON line
  replay.py single DB RUN                       copies the finished run RUN in the SQLite database DB (the host may run) into
                                                a new run whose output events hold one line each (the worst case: a target
                                                printing slower than the executor reports); prints the new run's id
"""
import http.client, json, sqlite3, sys, time, urllib.parse

FINAL = {"succeeded", "failed", "cancelled", "timed_out"}


def connect(base):
    u = urllib.parse.urlparse(base)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=600), u.path


def call(base, token, method, path, body=None):
    conn, prefix = connect(base)
    conn.request(method, prefix + path, None if body is None else json.dumps(body),
                 {"authorization": f"Bearer {token}", "content-type": "application/json"})
    r = conn.getresponse()
    text = r.read()
    conn.close()
    if r.status >= 300:
        raise RuntimeError(f"{method} {path}: {r.status} {text[:300]!r}")
    return json.loads(text) if text else None


def run(base, token, job):
    start = time.perf_counter()
    run_id = call(base, token, "POST", f"/jobs/{job}/runs", {"parameters": {}})["id"]
    while True:
        doc = call(base, token, "GET", f"/runs/{run_id}")
        if doc["status"] in FINAL:
            break
        time.sleep(0.25)
    return {"run": run_id, "s": round(time.perf_counter() - start, 1), "status": doc["status"], "targets": len(doc["targets"])}


def timed_get(base, token, path):
    """Seconds from sending the request to the last byte of the body, and the body."""
    conn, prefix = connect(base)
    start = time.perf_counter()
    conn.request("GET", prefix + path, None, {"authorization": f"Bearer {token}"})
    r = conn.getresponse()
    first = None
    parts = []
    while True:
        chunk = r.read1(1 << 16)
        if not chunk:
            break
        if first is None:
            first = time.perf_counter() - start
        parts.append(chunk)
    total = time.perf_counter() - start
    conn.close()
    if r.status != 200:
        raise RuntimeError(f"GET {path}: {r.status}")
    return first, total, b"".join(parts)


def replay(base, token, run_id, expected):
    first, total, body = timed_get(base, token, f"/runs/{run_id}/events")
    frames = [f for f in body.decode("utf-8").split("\n\n") if f.strip()]
    kinds, lines, chunks, next_line, last_id = {}, 0, 0, {}, 0
    for frame in frames:
        fields = dict(line.split(": ", 1) for line in frame.split("\n") if not line.startswith(":"))
        e = json.loads(fields["data"])
        assert e["kind"] == fields["event"], frame[:200]
        kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
        if "id" in fields:
            assert int(fields["id"]) > last_id, "ids out of order"
            last_id = int(fields["id"])
        if e["kind"] == "status_changed" and e["scope"] == "step" and e["status"] == "running":
            next_line[(e["targetId"], e["step"])] = 1
        if e["kind"] == "output":
            key = (e["targetId"], e["step"])
            assert e["firstLine"] == next_line[key], f"gap or repeat at {key}: {e['firstLine']} after {next_line[key] - 1}"
            next_line[key] += len(e["lines"])
            lines += len(e["lines"])
            chunks += 1
    assert frames[-1].startswith("event: end"), frames[-1][:200]
    assert lines == expected, f"{lines} lines, expected {expected}"
    return {"ms_to_end": round(total * 1000), "ms_to_first_byte": round(first * 1000), "events": len(frames), "output_events": chunks,
            "lines": lines, "mb": round(len(body) / 1e6, 1), "kinds": kinds}


def get(base, token, run_id):
    first, total, body = timed_get(base, token, f"/runs/{run_id}")
    doc = json.loads(body)
    return {"ms": round(total * 1000), "kb": round(len(body) / 1e3), "lastEventId": doc["lastEventId"], "targets": len(doc["targets"])}


def download(base, token, run_id, target):
    first, total, body = timed_get(base, token, f"/runs/{run_id}/targets/{target}/output")
    return {"ms": round(total * 1000), "lines": body.count(b"\n"), "kb": round(len(body) / 1e3)}


def single(db, src):
    con = sqlite3.connect(db, timeout=30)
    with con:
        def columns(table):
            return [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] != "Id"]
        cols = columns("job_runs")
        con.execute(f'INSERT INTO job_runs ({", ".join(chr(34) + c + chr(34) for c in cols)}) SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM job_runs WHERE "Id" = ?', (src,))
        new = con.execute("SELECT max(Id) FROM job_runs").fetchone()[0]
        for table in ("job_run_targets", "job_run_steps"):
            cols = [c for c in columns(table) if c != "RunId"]
            names = ", ".join(f'"{c}"' for c in cols)
            con.execute(f'INSERT INTO {table} ("RunId", {names}) SELECT ?, {names} FROM {table} WHERE "RunId" = ? ORDER BY "Id"', (new, src))
        # Every output chunk becomes one row per line, in order, numbered as the executor would have.
        con.execute("""
            INSERT INTO job_run_events (RunId, Kind, TargetId, StepIndex, Stream, Text, At)
            SELECT ?, e.Kind, e.TargetId, e.StepIndex, e.Stream,
                   CASE WHEN e.Kind = 'output' THEN json_object('kind', 'output', 'targetId', e.TargetId, 'step', e.StepIndex,
                        'stream', json_extract(e.Text, '$.stream'), 'firstLine', json_extract(e.Text, '$.firstLine') + l.key,
                        'lines', json_array(l.value), 'id', 0, 'at', json_extract(e.Text, '$.at')) ELSE e.Text END,
                   e.At
            FROM job_run_events e, json_each(CASE WHEN e.Kind = 'output' THEN json_extract(e.Text, '$.lines') ELSE '[0]' END) l
            WHERE e.RunId = ? ORDER BY e.Id, l.key""", (new, src))
    return new


if __name__ == "__main__":
    cmd, base, token, *rest = sys.argv[1:]
    if cmd == "run":
        print(json.dumps(run(base, token, int(rest[0]))))
    elif cmd == "replay":
        print(json.dumps(replay(base, token, int(rest[0]), int(rest[1]))))
    elif cmd == "get":
        print(json.dumps(get(base, token, int(rest[0]))))
    elif cmd == "single":
        print(single(base, int(token)))
    elif cmd == "download":
        print(json.dumps(download(base, token, int(rest[0]), int(rest[1]))))
    else:
        sys.exit(f"unknown command {cmd}")
