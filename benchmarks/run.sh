#!/usr/bin/env bash
# Builds gevent4j and runs the benchmarks; prints JSON lines (one per workload and implementation, plus
# "meta" and "host" lines) on stdout. Build output and diagnostics go to stderr.
#
#   benchmarks/run.sh                        # everything: W1 W2 W2b W3 W4 W5 W7 x 4 implementations (~2-4 min, 2 cores)
#   benchmarks/run.sh --only W1,W3           # some workloads (W1 W2 W2b W3 W4 W5 W7)
#   benchmarks/run.sh --impls gevent4j-java,vthreads-raw
#   benchmarks/run.sh > benchmarks/results/run-$(date +%F).jsonl
#
# Environment:
#   JAVA_HOME          used when it is a JDK >= 21, else the newest JDK >= 21 under /usr/lib/jvm
#   BENCH_WARMUP=1 BENCH_REPS=5   discarded / measured repetitions (median of REPS is reported)
#   IMPLS="gevent4j-java gevent4j-kotlin kotlin-raw-eventloop vthreads-raw"
#   BENCH_SKIP_BUILD=1 skip the Maven build (use what is in benchmarks/target)
#   BENCH_PRETOUCH=1   -XX:+AlwaysPreTouch for the timing JVMs (0: off; W7's memory children never use it)
#   MVN_ARGS="-o"      extra Maven arguments (e.g. offline)
#   JAVA_OPTS=""       extra JVM flags, appended after the default ones
#   BENCH_IMPL_TIMEOUT=300 BENCH_CHILD_TIMEOUT=120 BENCH_REP_TIMEOUT=120   seconds
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

# the project's JDK finder: JAVA_HOME when >= 21, else the newest under /usr/lib/jvm (stops with a message)
. "$ROOT/scripts/find-jdk.sh" >&2
echo "[run.sh] JDK: $JAVA_HOME" >&2

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  echo "[run.sh] building (mvn -q -B install -DskipTests -pl benchmarks -am)" >&2
  # shellcheck disable=SC2086
  (cd "$ROOT" && mvn -q -B ${MVN_ARGS:-} install -DskipTests -pl benchmarks -am) >&2
fi

CP="$HERE/target/classes:$HERE/target/lib/*"
# -XX:+AlwaysPreTouch faults the whole heap in at start-up. Without it, a repetition that allocates into young
# regions the JVM has not touched yet pays a page fault per 4 KB page, which on this VM doubles some repetitions
# (W4 Java: 462-960 ns/item within one JVM; Kotlin W2: 199-409 ns); with it the repetitions agree within a few
# percent. It applies to every implementation alike. W7's child JVMs drop it: they measure RSS growth.
# BENCH_PRETOUCH=0 turns it off.
PRETOUCH=""
[[ "${BENCH_PRETOUCH:-1}" == 1 ]] && PRETOUCH="-XX:+AlwaysPreTouch"
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" --add-opens java.base/java.lang=ALL-UNNAMED -Xms2g -Xmx2g $PRETOUCH ${JAVA_OPTS:-} \
  -cp "$CP" io.gevent4j.benchmarks.Bench "$@"
