#!/usr/bin/env bash
# Runs the Errand benchmarks jar on a JDK 21 or newer (the machine's default java may be older).
#
#   errand-bench/run.sh ThroughputBenchmark -f 1 -wi 2 -i 3   # any JMH arguments
#   errand-bench/run.sh memory [tasks]                         # io.errand.bench.WaitingTaskMemory
#   errand-bench/run.sh live-keys [keys]                       # io.errand.bench.LiveKeysMemory
#   errand-bench/run.sh http [clients] [seconds] [samples] [warmup] # io.errand.bench.HttpBench
#   errand-bench/run.sh durable [options] [subjects]           # io.errand.bench.durable.DurableThroughput
#   errand-bench/run.sh submit-latency [options]               # io.errand.bench.durable.SubmitLatency
#   errand-bench/run.sh retention [options]                    # io.errand.bench.durable.RetentionRun
#   errand-bench/run.sh idle-soak [options]                    # io.errand.bench.IdleSoak
#   errand-bench/run.sh backlog [options]                      # io.errand.bench.durable.BacklogRun
#   errand-bench/run.sh durable pg                             # PostgreSQL cluster plan (issue 13)
#   errand-bench/run.sh pg-latency [options]                   # io.errand.bench.durable.PgLatency
#   errand-bench/run.sh pg-idle [options]                      # io.errand.bench.durable.PgIdle
#   errand-bench/run.sh pg-paths [options]                     # io.errand.bench.durable.PgWritePaths
#   errand-bench/run.sh schedules [options]                    # io.errand.bench.durable.ScheduleRun
#   errand-bench/run.sh search-latency [options]               # io.errand.bench.durable.SearchLatency
#   errand-bench/run.sh flow [rate|fairness|cost|all] [stores] [s] [rate] [tasks] # io.errand.bench.FlowRun
#
# The JDK is the first that is 21 or newer of: $JAVA_HOME, the highest-version JDK under
# /usr/lib/jvm, `java` on the PATH. Build the jar first:
#   ./mvnw -B -q -pl errand-bench -am package -DskipTests
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/errand-bench.jar"

feature_version() { # prints the feature version of the java binary $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1 || echo 0
}

find_java() {
  local c v best="" best_v=0
  # 1. JAVA_HOME, when it is 21+
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    v="$(feature_version "$JAVA_HOME/bin/java")"
    if [[ "${v:-0}" -ge 21 ]]; then
      echo "$JAVA_HOME/bin/java"
      return 0
    fi
  fi
  # 2. the highest-version JDK under /usr/lib/jvm, when it is 21+
  for c in /usr/lib/jvm/*/bin/java; do
    [[ -x "$c" ]] || continue
    v="$(feature_version "$c")"
    if [[ "${v:-0}" -gt "$best_v" ]]; then
      best="$c"
      best_v="$v"
    fi
  done
  if [[ "$best_v" -ge 21 ]]; then
    echo "$best"
    return 0
  fi
  # 3. java on the PATH, when it is 21+
  if c="$(command -v java)"; then
    v="$(feature_version "$c")"
    if [[ "${v:-0}" -ge 21 ]]; then
      echo "$c"
      return 0
    fi
  fi
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
if [[ "${1:-}" == "live-keys" ]]; then
  shift
  exec "$java_bin" -Xms1g -Xmx1g -cp "$jar" io.errand.bench.LiveKeysMemory "$@"
fi
if [[ "${1:-}" == "http" ]]; then
  shift
  exec "$java_bin" -Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED -cp "$jar" \
    io.errand.bench.HttpBench "$@"
fi
if [[ "${1:-}" == "durable" ]]; then
  shift
  exec "$java_bin" -Xmx256m --enable-native-access=ALL-UNNAMED -cp "$jar" \
    io.errand.bench.durable.DurableThroughput "$@"
fi
if [[ "${1:-}" == "submit-latency" ]]; then
  shift
  exec "$java_bin" -Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED -cp "$jar" \
    io.errand.bench.durable.SubmitLatency "$@"
fi
if [[ "${1:-}" == "retention" ]]; then
  shift
  exec "$java_bin" -Xms512m -Xmx512m --enable-native-access=ALL-UNNAMED -cp "$jar" \
    io.errand.bench.durable.RetentionRun "$@"
fi
if [[ "${1:-}" == "idle-soak" ]]; then
  shift
  exec "$java_bin" -Xms256m -Xmx256m -cp "$jar" io.errand.bench.IdleSoak "$@"
fi
if [[ "${1:-}" == "backlog" ]]; then
  shift
  exec "$java_bin" -Xms2g -Xmx2g --enable-native-access=ALL-UNNAMED -cp "$jar" \
    io.errand.bench.durable.BacklogRun "$@"
fi
if [[ "${1:-}" == "pg-latency" ]]; then
  shift
  exec "$java_bin" -Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED -cp "$jar" \
    io.errand.bench.durable.PgLatency "$@"
fi
if [[ "${1:-}" == "pg-idle" ]]; then
  shift
  exec "$java_bin" -Xms512m -Xmx512m -cp "$jar" io.errand.bench.durable.PgIdle "$@"
fi
if [[ "${1:-}" == "pg-paths" ]]; then
  shift
  exec "$java_bin" -Xms512m -Xmx512m -cp "$jar" io.errand.bench.durable.PgWritePaths "$@"
fi
if [[ "${1:-}" == "schedules" ]]; then
  shift
  exec "$java_bin" -Xms1g -Xmx1g -cp "$jar" io.errand.bench.durable.ScheduleRun "$@"
fi
if [[ "${1:-}" == "search-latency" ]]; then
  shift
  exec "$java_bin" -Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED -cp "$jar" \
    io.errand.bench.durable.SearchLatency "$@"
fi
if [[ "${1:-}" == "flow" ]]; then
  shift
  exec "$java_bin" -Xms1g -Xmx1g --enable-native-access=ALL-UNNAMED -cp "$jar" \
    io.errand.bench.FlowRun "$@"
fi
exec "$java_bin" -jar "$jar" "$@"
