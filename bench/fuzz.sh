#!/usr/bin/env bash
# Coverage-guided fuzzing with Jazzer (issue 17): each target runs for the million executions its
# @FuzzTest(maxExecutions) sets, one Maven run per target (Jazzer fuzzes one target per JVM), and
# prints executions, seconds and executions per second. The inputs that added coverage are saved
# into the target's src/test/resources/<package>/<Class>Inputs/<method>/ directory, which every
# plain test run replays as regression tests (so CI time stays bounded); a finding is saved there
# by Jazzer itself as crash-<sha1> and fails the run.
#
#   bench/fuzz.sh [FILTER]     FILTER: a substring of "module Class#method" to run fewer targets
#
# Not part of the test suite. Offline (-o) when the Maven repository already has Jazzer.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(
    "authorized-keys-gen dev.delegator.authorizedkeys.AuthorizedKeysFuzzTest#lineParserIsTotalAndKeepsEveryByte"
    "authorized-keys-gen dev.delegator.authorizedkeys.AuthorizedKeysFuzzTest#aWrittenCommandReadsBackExactlyOrIsRefused"
    "authorized-keys-gen dev.delegator.authorizedkeys.AuthorizedKeysFuzzTest#fromPatternsAndExpiryTimesAreReadTotally"
    "authorized-keys-gen dev.delegator.keys.KeyReadersFuzzTest#publicKeyLinesAreReadTotallyAndRoundTrip"
    "authorized-keys-gen dev.delegator.keys.KeyReadersFuzzTest#privateKeyFilesAreReadTotally"
    "authorized-keys-gen dev.delegator.manifest.ManifestFuzzTest#anyTextIsAManifestOrItsProblems"
    "hook-runner dev.delegator.client.ClientInputsFuzzTest#privateKeysDecodeOrAreRefused"
    "hook-runner dev.delegator.client.ClientInputsFuzzTest#knownHostsAreReadOrRefused"
)
printf '%-70s %10s %8s %8s\n' target executions seconds exec/s
for t in "${targets[@]}"; do
    [[ -n "${1:-}" && "$t" != *"$1"* ]] && continue
    module=${t%% *}
    test=${t#* }
    class=${test%#*}
    method=${test#*#}
    log=$(mktemp)
    # a modest heap: the machine is shared, and one input may use at most 64 MiB anyway
    if ! JAZZER_FUZZ=1 mvn -B -o -pl "$module" -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
            -DargLine=-Xmx768m >"$log" 2>&1; then
        echo "$t: FAILED (a finding is saved as crash-* under $module/src/test/resources); log: $log" >&2
        grep -m 5 -E 'FuzzTestFinding|== Java Exception' "$log" >&2 || true
        exit 1
    fi
    done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1)
    runs=$(sed -E 's/^Done ([0-9]+) runs.*/\1/' <<<"$done_line")
    secs=$(sed -E 's/.* in ([0-9]+) second.*/\1/' <<<"$done_line")
    rate=$(grep -oE 'exec/s: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
    printf '%-70s %10s %8s %8s\n' "$module ${class##*.}#$method" "$runs" "$secs" "$rate"
    corpus="$module/.cifuzz-corpus/$class/$method"
    saved="$module/src/test/resources/$(tr . / <<<"${class%.*}")/${class##*.}Inputs/$method"
    mkdir -p "$saved"
    if [[ -d "$corpus" ]]; then
        cp -n "$corpus"/* "$saved"/ 2>/dev/null || true
    fi
    rm -f "$log"
done
