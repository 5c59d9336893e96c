#!/usr/bin/env bash
# The client benchmarks, one after another (each starts and removes its own sshd and user).
set -euo pipefail
d=$(dirname "$0")
for b in run-latency throughput fanout memory reuse kex; do
    echo "== $b"
    "$d/$b.sh"
done
