#!/usr/bin/env bash
# Coverage-guided fuzzing with Jazzer (issue 17): each target runs for the million executions its
# @FuzzTest(maxExecutions) sets, one Maven run per target (Jazzer fuzzes one target per JVM), and
# prints executions, seconds and executions per second. The inputs that added coverage are saved
# into the target's src/test/resources/<package>/<Class>Inputs/<method>/ directory, which every
# plain test run replays as regression tests (so CI time stays bounded); a finding is saved there
# by Jazzer itself as crash-<sha1> and fails the run.
#
#   bench/fuzz.sh [FILTER]     FILTER: a substring of "module Class#method" to run fewer targets
#   FUZZ_SECONDS=N bench/fuzz.sh   stop each target after N seconds of fuzzing instead (the table
#                                  then shows the executions reached; its corpus is saved all the same)
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
    "authorized-keys-gen dev.delegator.certificates.CertificatesFuzzTest#certificatesAreReadAndCheckedTotally"
    "manifest dev.delegator.manifest.ManifestFuzzTest#anyTextIsAManifestOrItsProblems"
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
    # a modest heap: the machine is shared, and one input may use at most 64 MiB anyway; its own
    # process group, so a time budget ends Maven and the forked test JVM together
    setsid env JAZZER_FUZZ=1 mvn -B -o -pl "$module" -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
            -DargLine=-Xmx768m >"$log" 2>&1 &
    pid=$!
    status=0
    if [[ -n "${FUZZ_SECONDS:-}" ]]; then
        # the budget counts from the fuzzer's first line, not from Maven's start
        while kill -0 "$pid" 2>/dev/null && ! grep -qE '^#[0-9]+' "$log"; do sleep 1; done
        end=$((SECONDS + FUZZ_SECONDS))
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < end)); do sleep 1; done
        if kill -0 "$pid" 2>/dev/null; then
            kill -- "-$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        else
            wait "$pid" || status=$?
        fi
    else
        wait "$pid" || status=$?
    fi
    if ((status != 0)) || grep -q 'FuzzTestFinding' "$log"; then
        echo "$t: FAILED (a finding is saved as crash-* under $module/src/test/resources); log: $log" >&2
        grep -m 5 -E 'FuzzTestFinding|== Java Exception' "$log" >&2 || true
        exit 1
    fi
    if done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1) && [[ -n "$done_line" ]]; then
        runs=$(sed -E 's/^Done ([0-9]+) runs.*/\1/' <<<"$done_line")
        secs=$(sed -E 's/.* in ([0-9]+) second.*/\1/' <<<"$done_line")
    else
        runs="$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#') (stopped)"
        secs=$FUZZ_SECONDS
    fi
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
