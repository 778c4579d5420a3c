#!/usr/bin/env bash
# Runs every Jazzer fuzz target for a set time, one after another, and prints per target the
# executions run and the findings. Usage: fuzz/run.sh [SECONDS_PER_TARGET] [FILTER]
#   SECONDS_PER_TARGET  how long to fuzz each target (default 60)
#   FILTER              run only targets whose Class#method contains this text
# Extra Maven options come from MAVEN_ARGS (e.g. MAVEN_ARGS=-o for an offline build).
# A finding fails its target; Jazzer stores the input under the target's seed corpus
# (src/test/resources/<package>/<Class>Inputs/<method>/crash-*), where the regular test run
# replays it from then on. The corpus each run grows is kept in <module>/.cifuzz-corpus/.
set -uo pipefail

seconds="${1:-60}"
filter="${2:-}"
cd "$(dirname "$0")/.."

targets=(
  "mpc-node io.cleanroom.node.data.CsvReaderFuzzTest#records"
  "mpc-node io.cleanroom.node.data.BankLoaderFuzzTest#load"
  "mpc-node io.cleanroom.node.config.NodeConfigFuzzTest#load"
  "mpc-node io.cleanroom.node.study.CoordinatorLinkFuzzTest#session"
  "mpc-node io.cleanroom.node.study.NodeStatusServiceFuzzTest#calls"
  "coordinator io.cleanroom.coordinator.config.CoordinatorConfigFuzzTest#load"
  "model-eval io.cleanroom.eval.policy.PolicyReaderFuzzTest#parse"
  "protocol io.cleanroom.protocol.log.LogEntryFuzzTest#decode"
  "protocol io.cleanroom.protocol.log.CheckpointFuzzTest#decode"
  "coordinator io.cleanroom.coordinator.log.LogVerifierFuzzTest#entries"
  "coordinator io.cleanroom.coordinator.log.LogVerifierFuzzTest#checkpoints"
  "protocol io.cleanroom.protocol.transport.InboxFuzzTest#accept"
  "coordinator io.cleanroom.coordinator.dealer.DealerServiceFuzzTest#randomness"
  "coordinator io.cleanroom.coordinator.linkage.LinkageServiceFuzzTest#upload"
  "coordinator io.cleanroom.coordinator.session.NodeSessionsFuzzTest#session"
  "coordinator io.cleanroom.coordinator.study.OperatorAndStatusFuzzTest#requests"
)

# Coverage feedback comes from our code and the parsers it relies on.
instrument="io.cleanroom.**,com.google.protobuf.**,com.fasterxml.jackson.**"
logs=out/fuzz
mkdir -p "$logs"
failed=0
printf '%-62s %12s %8s  %s\n' target executions seconds findings
for t in "${targets[@]}"; do
  module="${t%% *}"
  test="${t#* }"
  [[ -n "$filter" && "$test" != *"$filter"* ]] && continue
  log="$logs/${test##*.}.log"
  JAZZER_FUZZ=1 ./mvnw -B -Dspotless.check.skip=true -pl "$module" -am test \
    -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.max_duration="${seconds}s" -Djazzer.instrument="$instrument" >"$log" 2>&1
  status=$?
  done_line="$(grep -aE '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1)"
  runs="$(sed -E 's/^Done ([0-9]+) runs in ([0-9]+).*/\1/' <<<"$done_line")"
  secs="$(sed -E 's/^Done ([0-9]+) runs in ([0-9]+).*/\2/' <<<"$done_line")"
  if [[ $status -eq 0 ]]; then
    findings=none
  else
    failed=1
    findings="$(grep -a -m1 -E '^== Java Exception:|^== Java Assertion Error|FuzzTestFindingException|BUILD FAILURE' "$log")"
    findings="${findings:-failed} (see $log)"
  fi
  printf '%-62s %12s %8s  %s\n' "$test" "${runs:-?}" "${secs:-?}" "$findings"
done
exit $failed
