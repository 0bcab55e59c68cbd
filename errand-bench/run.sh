#!/usr/bin/env bash
# Runs the Errand benchmarks jar on a JDK 21 or newer (the machine's default java may be older).
#
#   errand-bench/run.sh ThroughputBenchmark -f 1 -wi 2 -i 3   # any JMH arguments
#   errand-bench/run.sh memory [tasks]                         # io.errand.bench.WaitingTaskMemory
#
# The JDK is the first of: $JAVA_HOME, then the newest JDK 21+ under /usr/lib/jvm, then `java` on
# the PATH; whichever it is must be 21 or newer. Build the jar first:
#   ./mvnw -B -q -pl errand-bench -am package -DskipTests
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/errand-bench.jar"

feature_version() { # prints the feature version of the java binary $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1 || echo 0
}

find_java() {
  local candidates=()
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME/bin/java")
  local d
  for d in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidates+=("${d%/}/bin/java")
  done
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  local c v
  for c in "${candidates[@]}"; do
    [[ -x "$c" ]] || continue
    v="$(feature_version "$c")"
    if [[ "${v:-0}" -ge 21 ]]; then
      echo "$c"
      return 0
    fi
  done
  return 1
}

if [[ ! -f "$jar" ]]; then
  echo "no $jar: build it with ./mvnw -B -q -pl errand-bench -am package -DskipTests" >&2
  exit 1
fi
if ! java_bin="$(find_java)"; then
  echo "no JDK 21 or newer found (JAVA_HOME, /usr/lib/jvm/*, PATH)" >&2
  exit 1
fi
echo "# using $java_bin ($("$java_bin" -version 2>&1 | head -n1))" >&2

if [[ "${1:-}" == "memory" ]]; then
  shift
  exec "$java_bin" -Xms2g -Xmx2g -cp "$jar" io.errand.bench.WaitingTaskMemory "$@"
fi
exec "$java_bin" -jar "$jar" "$@"
