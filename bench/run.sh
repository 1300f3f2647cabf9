#!/usr/bin/env bash
# Shared by the benchmark scripts: builds the server jar and the load generator (test scope) when they
# are out of date, then runs the generator class given as the only argument, and stops whatever it
# started when it ends or is interrupted.
set -euo pipefail
MAIN=${1:?usage: bench/run.sh <generator main class>}
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${BENCH_OUT:-$ROOT/target/bench}
mkdir -p "$OUT"

# 10,000 sockets on each side of the loopback.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" -lt 12000 ]; then
  echo "warning: ulimit -n is $(ulimit -n); 10,000 connections need more" >&2
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

# shellcheck disable=SC2086 # BENCH_GENERATOR_OPTS holds several JVM options
java -Xms1g -Xmx2g ${BENCH_GENERATOR_OPTS:-} -cp "$CP" "$MAIN" &
GEN_PID=$!
wait "$GEN_PID"
