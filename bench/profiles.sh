#!/usr/bin/env bash
# The profile benchmark of issue 5: N editors on one profile at 5 edits/s each, N stepping 25 ... 500,
# then 20 editors in a closed loop for the committed ops/s (see docs/performance.md).
#
#   bash bench/profiles.sh            full run: 3 series, about 25 minutes
#   QUICK=1 bash bench/profiles.sh    one short series, about 4 minutes
#
# Any BENCH_* variable overrides a setting: BENCH_SERIES, BENCH_EDITORS (e.g. 25,50,100), BENCH_EDIT_RATE,
# BENCH_STEP_WARMUP, BENCH_STEP_MEASURE, BENCH_CLOSED_EDITORS, BENCH_CLOSED_WARMUP, BENCH_CLOSED_MEASURE,
# BENCH_STOP_P95_MS, BENCH_SCENARIOS (steps,closed), BENCH_LOOPS, BENCH_SERVER_HEAP, BENCH_SKIP_BUILD=1,
# BENCH_SERVER_OPTS and BENCH_GENERATOR_OPTS (extra JVM options, e.g. for a flight recording).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${QUICK:-0}" = 1 ]; then
  export BENCH_SERIES=${BENCH_SERIES:-1}
  export BENCH_EDITORS=${BENCH_EDITORS:-25,100,200,400}
  export BENCH_STEP_WARMUP=${BENCH_STEP_WARMUP:-3}
  export BENCH_STEP_MEASURE=${BENCH_STEP_MEASURE:-10}
  export BENCH_CLOSED_WARMUP=${BENCH_CLOSED_WARMUP:-3}
  export BENCH_CLOSED_MEASURE=${BENCH_CLOSED_MEASURE:-10}
fi
exec bash bench/run.sh de.werkraum.bench.ProfileBench
