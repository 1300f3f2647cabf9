#!/usr/bin/env bash
# The room benchmark of issue 3: idle connections, 25,000 deliveries/s, and a step series against the
# real server and a bare Vert.x baseline, measured the same way in one go (see docs/performance.md).
#
#   bash bench/rooms.sh            full run: 3 series, about 20-25 minutes
#   QUICK=1 bash bench/rooms.sh    one short series, about 3 minutes
#
# Any BENCH_* variable overrides a setting (BENCH_SERIES, BENCH_CONNECTIONS, BENCH_ROOMS, BENCH_LOAD_RATE,
# BENCH_STEPS, BENCH_WARMUP, BENCH_MEASURE, BENCH_STEP_WARMUP, BENCH_STEP_MEASURE, BENCH_SERVERS,
# BENCH_SCENARIOS, BENCH_PG_STATS=1, BENCH_REAL_ENV, BENCH_SKIP_BUILD=1, ...). Traffic stays on localhost.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${QUICK:-0}" = 1 ]; then
  export BENCH_SERIES=${BENCH_SERIES:-1}
  export BENCH_WARMUP=${BENCH_WARMUP:-5}
  export BENCH_MEASURE=${BENCH_MEASURE:-10}
  export BENCH_STEPS=${BENCH_STEPS:-25000,40000,60000}
  export BENCH_STEP_WARMUP=${BENCH_STEP_WARMUP:-3}
  export BENCH_STEP_MEASURE=${BENCH_STEP_MEASURE:-8}
  export BENCH_DRAIN=${BENCH_DRAIN:-8}
  export BENCH_QUIET_WAIT=${BENCH_QUIET_WAIT:-5}
fi
exec bash bench/run.sh de.werkraum.bench.RoomBench
