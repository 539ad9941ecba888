#!/usr/bin/env bash
# Builds gevent4j and runs the benchmarks; prints JSON lines (one per workload and implementation, plus
# "meta" and "host" lines) on stdout. Build output and diagnostics go to stderr.
#
#   benchmarks/run.sh                        # everything: ~6 min on 2 quiet cores after the build (2-3x on a busy box)
#   benchmarks/run.sh --only W1,W3           # some workloads: W1 W2 W2b W3 W4 W5 W6 W6io W7 W8 W8h2 L8
#   benchmarks/run.sh --impls gevent4j-java,vthreads-raw
#   benchmarks/run.sh > benchmarks/results/run-$(date +%F).jsonl
#
# Workloads: W1 spawn+join, W2/W2b switch (event / channel pair), W3 sleep(0), W4 pool map, W5 queue,
# W6 timers (10k sleeps, lateness), W6io (W6 on a hub sleeping in its selector), W7 memory (fresh JVMs),
# W8 echo (200 clients x 500 round trips, one hub / loop / carrier), W8h2 (W8 on two hubs), L8 echo latency
# (one blocking client x 20,000 round trips). Each implementation runs the workloads it has:
#   gevent4j-java, gevent4j-kotlin   all of them
#   gevent4j-java-nomonitor, gevent4j-kotlin-nomonitor   W1-W5 with -Dgevent4j.monitor=false (the monitor's cost:
#                                    compare with gevent4j-java / gevent4j-kotlin of the same run)
#   gevent4j-java-jdksock            W8 L8 (Java greenlets on java.net.Socket; needs SCHEDULED_ON_HUB)
#   kotlin-raw-eventloop             W1-W7
#   vthreads-raw, vthreads-raw-1carrier   W1-W8 L8 (1carrier: its JVM gets
#                                    -Djdk.virtualThreadScheduler.parallelism=1 -Djdk.virtualThreadScheduler.maxPoolSize=1)
#   netty-1loop                      W8 L8 (one NioEventLoopGroup(1))
#
# Environment:
#   JAVA_HOME          used when it is a JDK >= 21, else the newest JDK >= 21 under /usr/lib/jvm
#   BENCH_WARMUP=1 BENCH_REPS=5   discarded / measured repetitions (median of REPS is reported)
#   IMPLS="gevent4j-java gevent4j-kotlin gevent4j-java-nomonitor gevent4j-kotlin-nomonitor gevent4j-java-jdksock kotlin-raw-eventloop vthreads-raw vthreads-raw-1carrier netty-1loop"
#   BENCH_SKIP_BUILD=1 skip the Maven build (use what is in benchmarks/target)
#   BENCH_PRETOUCH=1   -XX:+AlwaysPreTouch for the timing JVMs (0: off; W7's memory children never use it)
#   MVN_ARGS="-o"      extra Maven arguments (e.g. offline)
#   JAVA_OPTS=""       extra JVM flags, appended after the default ones
#   BENCH_IMPL_TIMEOUT=900 BENCH_CHILD_TIMEOUT=120 BENCH_REP_TIMEOUT=120   seconds
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
