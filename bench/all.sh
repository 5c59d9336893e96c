#!/usr/bin/env bash
# Every benchmark of issue 4, one after another (each starts and removes its own sshd and user).
set -euo pipefail
d=$(dirname "$0")
for b in run-latency throughput fanout memory; do
    echo "== $b"
    "$d/$b.sh"
done
