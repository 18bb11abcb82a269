"""Creates schedules through the API in parallel (keep-alive connections, one per worker thread).

    python3 bench/lib/schedules.py BASE TOKEN COUNT JOB_IDS CRON [WORKERS]

JOB_IDS is comma-separated; schedule i binds JOB_IDS[i % len]. CRON is used as is, except "spread": a 6-field cron
firing at second i % 60 of every minute. Prints {"created": N, "seconds": S} as JSON; any non-201 answer aborts.
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

base, token, count, job_ids, cron = sys.argv[1], sys.argv[2], int(sys.argv[3]), [int(j) for j in sys.argv[4].split(",")], sys.argv[5]
workers = int(sys.argv[6]) if len(sys.argv) > 6 else 8
url = urllib.parse.urlparse(base)
headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
lock = threading.Lock()
state = {"next": 0, "error": None}


def take():
    with lock:
        if state["error"] is not None or state["next"] >= count:
            return None
        i = state["next"]
        state["next"] += 1
        return i


def work():
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    while (i := take()) is not None:
        body = {"name": f"bench-{i:05d}", "jobId": job_ids[i % len(job_ids)], "cron": f"{i % 60} * * * * *" if cron == "spread" else cron}
        conn.request("POST", url.path + "/schedules", json.dumps(body), headers)
        response = conn.getresponse()
        text = response.read()
        if response.status != 201:
            with lock:
                state["error"] = f"POST /schedules {i}: {response.status} {text[:300]!r}"
            return


start = time.monotonic()
threads = [threading.Thread(target=work) for _ in range(workers)]
for t in threads:
    t.start()
for t in threads:
    t.join()
if state["error"]:
    sys.exit(state["error"])
print(json.dumps({"created": count, "seconds": round(time.monotonic() - start, 1)}))
