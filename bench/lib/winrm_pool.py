#!/usr/bin/python3
"""pywinrm side of bench/winrm-fanout.sh: one Session.run_ps per endpoint in a thread pool, how most scripts use it.

  winrm_pool.py USER PASSWORD SCRIPT PORT [PORT...]   prints {"ms": wall, "ok": endpoints with exit 0 and output}

Runs with Debian's python3-winrm (NTLM with message encryption over HTTP); ntlm-auth needs MD4, which Debian's
OpenSSL 3 keeps in its legacy provider: run it with OPENSSL_CONF activating that provider (the bench script does).
"""
import json, sys, time
from concurrent.futures import ThreadPoolExecutor

import winrm

user, password, script, ports = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]


def one(port):
    session = winrm.Session(f"http://127.0.0.1:{port}/wsman", auth=(user, password), transport="ntlm",
                            message_encryption="always")
    r = session.run_ps(script)
    return r.status_code == 0 and bool(r.std_out.strip())


started = time.perf_counter()
with ThreadPoolExecutor(max_workers=len(ports)) as pool:
    results = list(pool.map(one, ports))
print(json.dumps({"ms": round((time.perf_counter() - started) * 1000), "ok": sum(results), "endpoints": len(ports)}))
