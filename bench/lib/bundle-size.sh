#!/usr/bin/env bash
# Initial JavaScript of ui/dist: the scripts index.html loads (module script + modulepreload links), raw and gzip
# (zlib level 6 here, and Vite's own figures from its build log if given).   bench/lib/bundle-size.sh [vite-build.log]
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 - "${1:-}" <<'PY'
import gzip, os, re, sys
html = open("ui/dist/index.html").read()
files = re.findall(r'<script[^>]+src="/?([^"]+\.js)"', html) + re.findall(r'<link[^>]+rel="modulepreload"[^>]+href="/?([^"]+\.js)"', html)
css = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="/?([^"]+\.css)"', html)
vite = {}
if sys.argv[1] and os.path.exists(sys.argv[1]):
    for line in open(sys.argv[1]):
        m = re.search(r'dist/(\S+)\s+([\d.,]+) kB.*gzip:\s+([\d.,]+) kB', line)
        if m: vite[m.group(1)] = float(m.group(3).replace(",", ""))
print("| file loaded by index.html | raw kB | gzip kB (level 6) | gzip kB (Vite) |")
print("|---|---|---|---|")
tr = tg = tv = 0
for f in files + css:
    b = open(os.path.join("ui/dist", f), "rb").read()
    g = len(gzip.compress(b, 6)) / 1000
    v = vite.get(f)
    if f.endswith(".js"):
        tr += len(b) / 1000; tg += g; tv += v or 0
    print(f"| `{f}` | {len(b)/1000:.1f} | {g:.1f} | {'' if v is None else f'{v:.1f}'} |")
print(f"| **initial JS** ({len(files)} files) | **{tr:.1f}** | **{tg:.1f}** | **{tv:.1f}** |")
PY
