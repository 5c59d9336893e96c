#!/usr/bin/env bash
# quick manual check: both clients answer the same
. "$(dirname "$0")/common.sh"
start_sshd
p=${ports[0]}
ssh_cmd "$p" echo hi; echo "ssh exit $?"
delegator_cmd "$p" echo hi; echo "delegator exit $?"
time (delegator_cmd "$p" echo hi)
time (ssh_cmd "$p" echo hi)
delegator_cmd "$p" nope; echo "delegator exit $?"
