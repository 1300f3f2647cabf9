#!/usr/bin/env bash
# Long fuzzing runs of the Jazzer fuzz tests (the build fuzzes each for 4 s only).
# usage: bash bench/fuzz.sh [TestClass ...]    (default: every *FuzzTest)
#   FUZZ_TIME=10m   how long each test fuzzes (Jazzer duration: 30s, 10m, 2h)
#   FUZZ_KEEP=1     afterwards, copy the inputs the run found interesting into the test's corpus
#                   (src/test/resources/<package>/<Class>Inputs/<method>/), to commit them
set -euo pipefail
cd "$(dirname "$0")/.."
TIME=${FUZZ_TIME:-10m}
INSTRUMENT='de.werkraum.**:com.fasterxml.jackson.core.**:io.vertx.core.json.**'
if [ $# -eq 0 ]; then
  set -- $(find src/test/java -name '*FuzzTest.java' -exec basename {} .java \; | sort)
fi
mvn -B -q -DskipNpm=true test-compile
for test in "$@"; do
  echo "fuzzing $test for $TIME"
  # -Dtest turns the in-build profile off; JAZZER_FUZZ=1 makes the named test fuzz instead of only
  # replaying its corpus. A finding fails the run and is written to the test's Inputs folder.
  JAZZER_FUZZ=1 mvn -B -q -DskipNpm=true surefire:test -Dtest="$test" \
    -Djazzer.max_duration="$TIME" -Djazzer.instrumentation_includes="$INSTRUMENT"
  if [ "${FUZZ_KEEP:-0}" = 1 ]; then
    for dir in .cifuzz-corpus/*."$test"/*/; do
      [ -d "$dir" ] || continue
      class=$(basename "$(dirname "$dir")")
      method=$(basename "$dir")
      target="src/test/resources/$(dirname "${class//.//}")/${test}Inputs/$method"
      mkdir -p "$target"
      cp -n "$dir"* "$target"/ 2>/dev/null || true
      echo "corpus: $(ls "$target" | wc -l) inputs in $target"
    done
  fi
done
