#!/usr/bin/env bash
# Benchmark, not part of the test suite: reading a large authorized_keys file with
# `delegator authorized-keys lint` against OpenSSH's `ssh-keygen -l -f` (which parses the same
# format, options included, and fingerprints every key) in the same run, with hyperfine.
# Usage: bench/lint-vs-ssh-keygen.sh [LINES]   (default 10000)
set -euo pipefail
here=$(cd -- "$(dirname -- "$0")/.." && pwd)
lines=${1:-10000}
command -v hyperfine >/dev/null || { echo "needs hyperfine" >&2; exit 2; }
"$here/delegator" --version >/dev/null   # builds the jar if needed
jar="$here/delegator-cli/target/delegator.jar"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$lines" "$work/authorized_keys" <<'PY'
import base64, os, struct, sys
n, path = int(sys.argv[1]), sys.argv[2]
def s(b): return struct.pack('>I', len(b)) + b
with open(path, 'w') as f:
    for i in range(n):
        blob = s(b'ssh-ed25519') + s(os.urandom(32))
        f.write('restrict,from="10.0.%d.0/24",expiry-time="20990101Z",command="/usr/lib/delegator/dispatch d%d \\"x\\"" '
                'ssh-ed25519 %s bench-%d\n' % (i % 256, i, base64.b64encode(blob).decode(), i))
PY
echo "file: $lines lines, $(wc -c <"$work/authorized_keys") bytes"
# -i: lint exits 1 because the temp file lives under /tmp (world-writable: a real finding)
hyperfine --warmup 2 --runs 10 -N -i \
    "ssh-keygen -l -f $work/authorized_keys" \
    "java -jar $jar authorized-keys lint $work/authorized_keys" \
    "java -jar $jar authorized-keys lint --json $work/authorized_keys"
