#!/usr/bin/env bash
# How wide a fan-out should be by default on a 2-core caller: one request on N private sshd
# targets (default 32) with --parallel 1, 2, 4, 8, 16 and 0 (all at once). For each: mean wall
# time and the caller's CPU (user+sys of delegator run, hyperfine), and how responsive the machine
# stays meanwhile: a probe asks for a 10 ms sleep in a loop and records how late it wakes up
# (p95 and max), the delay an interactive shell or another job on the caller feels.
# The sshd targets run on the same machine, so the lag includes their work too (on a real fleet
# it is on the hosts); the caller CPU column is the client alone.
# Usage (root): bench/fanout-parallel.sh [N] [RUNS]
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
n=${1:-32}
runs=${2:-5}
for _ in $(seq 1 "$n"); do start_sshd; done
hosts_file="$base/hosts"
for p in "${ports[@]}"; do echo "127.0.0.1:$p"; done >"$hosts_file"
warm_archive "${ports[0]}"
run_fan() { # parallel
    "$delegator" run --no-audit --hosts-file "$hosts_file" --user "$user" --identity "$key" --known-hosts "$known_hosts" \
        --parallel "$1" -- echo hi >/dev/null 2>&1
}
probe() { # out-file: sleeps 10 ms in a loop until killed, writes the wake-up lateness in ms
    python3 - "$1" <<'PY' &
import signal, sys, time
lags = []
def done(*_):
    lags.sort()
    p95 = lags[int(len(lags) * 0.95)] if lags else 0
    open(sys.argv[1], "w").write(f"{p95:.1f} {lags[-1] if lags else 0:.1f}\n")
    sys.exit(0)
signal.signal(signal.SIGTERM, done)
while True:
    t = time.monotonic()
    time.sleep(0.01)
    lags.append((time.monotonic() - t - 0.01) * 1000)
PY
    probe_pid=$!
}
printf '%-10s %10s %12s %14s %12s\n' parallel "wall (s)" "caller CPU" "probe p95 ms" "probe max ms"
for par in 1 2 4 8 16 0; do
    run_fan "$par"   # warm-up
    probe "$base/lag-$par"
    sleep 0.3
    hyperfine -N --runs "$runs" --export-json "$base/p$par.json" \
        "$delegator run --no-audit --hosts-file $hosts_file --user $user --identity $key --known-hosts $known_hosts --parallel $par -- echo hi" \
        >/dev/null 2>&1
    kill -TERM "$probe_pid"; wait "$probe_pid" 2>/dev/null || true
    python3 - "$base/p$par.json" "$base/lag-$par" "$par" "$n" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
p95, mx = open(sys.argv[2]).read().split()
label = "all (%s)" % sys.argv[4] if sys.argv[3] == "0" else sys.argv[3]
print(f"{label:<10} {r['mean']:10.2f} {r['user'] + r['system']:11.2f}s {float(p95):14.1f} {float(mx):12.1f}")
PY
done
