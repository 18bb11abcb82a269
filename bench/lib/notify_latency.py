#!/usr/bin/env python3
"""Client side of bench/notification-latency.sh (standard library only; the API client and time parsing are fanout.py's).

  notify_latency.py post BASE TOKEN JOB COUNT PARALLEL       queues COUNT runs of JOB from PARALLEL clients; prints a JSON line
  notify_latency.py measure BASE TOKEN JOB SMTP4DEV_URL TO   waits for every run of JOB and its mail, then prints the figures

Latency is smtp4dev's receivedDate (when the SMTP server accepted the message) minus the run's finishedAt (as stored
in the jobs database), per run; a run without a message is lost, a run with more than one is duplicated.
"""
import json, os, statistics, sys, threading, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fanout import FINAL, Api, stamp  # noqa: E402


def post(base, token, job, count, parallel):
    ids, refused, lock, start = [], [], threading.Lock(), time.time()

    def worker(n):
        api = Api(base, token)
        for _ in range(n):
            try:
                run_id = api.call("POST", f"/jobs/{job}/runs", {"parameters": {}})["id"]
            except RuntimeError as e:  # a refused request is counted, not a reason to stop posting
                with lock:
                    refused.append(str(e)[:120])
                continue
            with lock:
                ids.append(run_id)

    threads = [threading.Thread(target=worker, args=(count // parallel + (1 if i < count % parallel else 0),)) for i in range(parallel)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"posted": len(ids), "refused": len(refused), "first_refusal": refused[0] if refused else None, "post_s": round(time.time() - start, 2)}


def runs_of(api, job):
    out, page = [], 1
    while True:
        body = api.call("GET", f"/runs?jobId={job}&page={page}&pageSize=500")
        out += body["items"]
        if len(out) >= body["total"] or not body["items"]:
            return out
        page += 1


def messages(url):
    out, page = [], 1
    while True:
        with urllib.request.urlopen(f"{url}/api/messages?page={page}&pageSize=500", timeout=120) as r:
            body = json.load(r)
        out += body["results"]
        if page >= body["pageCount"]:
            return out
        page += 1


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(p / 100 * len(values) + 0.5)) - 1))]


def measure(base, token, job, url, to, timeout=900):
    api = Api(base, token)
    deadline = time.time() + timeout
    while True:
        runs = runs_of(api, job)
        final = [r for r in runs if r["status"] in FINAL]
        pending = api.call("GET", "/notifications?status=pending&pageSize=1")["total"]
        if (len(final) == len(runs) and pending == 0) or time.time() > deadline:
            break
        time.sleep(1)
    # The last messages may still be on their way from "sent" in the history to smtp4dev's list: a short settle.
    time.sleep(2)
    mail = [m for m in messages(url) if to in (m.get("to") or [])]
    per_run = {}
    for m in mail:
        subject = m.get("subject") or ""
        if "(run " in subject:
            run_id = int(subject.rsplit("(run ", 1)[1].split(")")[0])
            per_run.setdefault(run_id, []).append(stamp(m["receivedDate"]))
    finished = {r["id"]: stamp(r["finishedAt"]) for r in runs if r.get("finishedAt")}
    latencies = [min(per_run[i]) - f for i, f in finished.items() if i in per_run]
    ends = sorted(finished.values())
    result = {
        "runs": len(runs),
        "failed": sum(1 for r in runs if r["status"] == "failed"),
        "runs_end_span_s": round(ends[-1] - ends[0], 1) if ends else None,
        "messages": len(mail),
        "lost": sum(1 for i in finished if i not in per_run),
        "duplicated": sum(1 for i in per_run if len(per_run[i]) > 1),
        "still_pending": api.call("GET", "/notifications?status=pending&pageSize=1")["total"],
        "notifications_failed": api.call("GET", "/notifications?status=failed&pageSize=1")["total"],
    }
    if latencies:
        result.update({
            "p50_ms": round(pct(latencies, 50) * 1000),
            "p99_ms": round(pct(latencies, 99) * 1000),
            "max_ms": round(max(latencies) * 1000),
            "mean_ms": round(statistics.mean(latencies) * 1000),
            "min_ms": round(min(latencies) * 1000),
        })
    return result


def main():
    cmd, base, token = sys.argv[1:4]
    if cmd == "post":
        print(json.dumps(post(base, token, sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))))
    elif cmd == "measure":
        print(json.dumps(measure(base, token, sys.argv[4], sys.argv[5], sys.argv[6])))
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
