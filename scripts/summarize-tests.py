#!/usr/bin/env python3
"""Adds up every suite's results (TRX from dotnet test, JUnit XML from the UI tools) into one line."""
import glob
import sys
import xml.etree.ElementTree as ET

results = sys.argv[1]
passed = failed = skipped = 0
for path in glob.glob(f"{results}/**/*.trx", recursive=True):
    counters = ET.parse(path).getroot().find(".//{*}Counters")
    if counters is None:
        continue
    total = int(counters.get("total", 0))
    p, f = int(counters.get("passed", 0)), int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    passed, failed, skipped = passed + p, failed + f, skipped + max(0, total - p - f)
for path in glob.glob(f"{results}/**/*.junit.xml", recursive=True):
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    for s in suites:
        t, f, e, sk = (int(s.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
        passed, failed, skipped = passed + t - f - e - sk, failed + f + e, skipped + sk
for path in glob.glob(f"{results}/**/*.check", recursive=True):
    # one line per extra check: "pass NAME" or "fail NAME"
    for line in open(path):
        if line.startswith("pass"):
            passed += 1
        elif line.startswith("fail"):
            failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
