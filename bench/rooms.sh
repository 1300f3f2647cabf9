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
ROOT=$(pwd)
OUT=${BENCH_OUT:-$ROOT/target/bench}
mkdir -p "$OUT"

# 10,000 sockets on each side of the loopback.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" -lt 12000 ]; then
  echo "warning: ulimit -n is $(ulimit -n); 10,000 connections need more" >&2
fi

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

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  if [ ! -f target/werkraum.jar ] || [ -n "$(find src/main webroot pom.xml -newer target/werkraum.jar -print -quit)" ]; then
    echo "building target/werkraum.jar"
    mvn -B -q -DskipTests package
  fi
  echo "compiling the load generator (test scope)"
  mvn -B -q -DskipNpm=true test-compile
fi
CP_FILE="$OUT/classpath.txt"
mvn -B -q dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test
CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$CP_FILE")"

PIDS="$OUT/pids-$$.txt"
: > "$PIDS"
export BENCH_PID_FILE="$PIDS" BENCH_OUT="$OUT" BENCH_JAR="${BENCH_JAR:-$ROOT/target/werkraum.jar}"
GEN_PID=""

# The generator stops what it started (also from its shutdown hook on SIGTERM). This is the net under it:
# only the pids it recorded, and only if they are still our servers or our PostgreSQL.
cleanup() {
  if [ -n "$GEN_PID" ] && kill -0 "$GEN_PID" 2>/dev/null; then
    kill -TERM "$GEN_PID" 2>/dev/null || true
    wait "$GEN_PID" 2>/dev/null || true
  fi
  while read -r what pid; do
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -e werkraum-bench -e BareRoomServer; then
      if [ "$what" = postgres ]; then kill -INT "$pid" 2>/dev/null || true; else kill -TERM "$pid" 2>/dev/null || true; fi
    fi
  done < "$PIDS"
  rm -f "$PIDS"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

java -Xms1g -Xmx2g -cp "$CP" de.werkraum.bench.RoomBench &
GEN_PID=$!
wait "$GEN_PID"
