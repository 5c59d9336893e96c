#!/usr/bin/env bash
# What trusting a host by its certificate costs the caller: delegator run against one private sshd
# serving a HostCertificate, with known_hosts pinning its key vs holding only @cert-authority for
# its host CA (the certificate is then checked: signature, type, validity, principals, revocations).
# Compare user+sys more than the mean on a loaded machine.
# Usage (root): bench/host-certificate-cost.sh [RUNS]
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
runs=${1:-20}
start_sshd
p=${ports[0]}
ssh-keygen -q -t ed25519 -N '' -C bench-host-ca -f "$base/host_ca"
ssh-keygen -q -h -s "$base/host_ca" -I bench -n 127.0.0.1 -V -5m:+1h "$base/sshd/host_key.pub"
echo "HostCertificate $base/sshd/host_key-cert.pub" >>"$base/sshd/config0"
kill -HUP "${sshd_pids[0]}"
for _ in $(seq 1 100); do [ "$(grep -c 'Server listening' "$base/sshd/log0")" -ge 2 ] && break; sleep 0.05; done
pinned=$known_hosts
ca_only="$base/caller/known_hosts_ca"
echo "@cert-authority [127.0.0.1]:* $(cut -d' ' -f1,2 "$base/host_ca.pub")" >"$ca_only"
warm_archive "$p"
export -f delegator_cmd
export key user delegator
for kh in "$pinned" "$ca_only"; do
    known_hosts=$kh delegator_cmd "$p" echo hi >/dev/null || { echo "bench: run with $kh failed" >&2; exit 1; }
done
hyperfine -N --warmup 3 --runs "$runs" --export-json "$base/hostcert.json" \
    -n "pinned" "env known_hosts=$pinned bash -c 'delegator_cmd $p echo hi'" \
    -n "@cert-authority" "env known_hosts=$ca_only bash -c 'delegator_cmd $p echo hi'"
python3 - "$base/hostcert.json" <<'PY'
import json, sys
for x in json.load(open(sys.argv[1]))["results"]:
    print(f"{x['command']:18s} mean {x['mean']*1000:7.1f} ms  median {x['median']*1000:7.1f} ms  "
          f"user+sys {(x['user']+x['system'])*1000:6.1f} ms")
PY
