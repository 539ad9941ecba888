#!/usr/bin/env bash
# Builds gevent4j and runs the benchmarks; prints JSON lines in the peers' format (one per workload and
# implementation, plus "meta" and "host" lines) on stdout. Build output, JMH's progress and reports go to stderr.
#
#   benchmarks/run.sh                        # everything, once: ~12-13 min on 2 quiet cores after the build
#   benchmarks/run.sh --repeat 3             # the whole set 3 times, then the noise report: ~38 min
#   benchmarks/run.sh --only W1,W6           # some workloads: W1 W2 W2b W3 W4 W5 W6 W6io W7 W8 W8h2 L8 (any case)
#   benchmarks/run.sh --impls gevent4j-java,kotlin-raw-eventloop
#   benchmarks/run.sh --own --only W4        # W1-W5 in the own harness instead (one JVM per implementation, quick)
#   benchmarks/run.sh > benchmarks/results/run-$(date +%F).jsonl
#
# Two harnesses:
#  - W1 W2 W2b W3 W4 W5 (micro) run under JMH (io.gevent4j.benchmarks.MicroBenchmarks): BENCH_FORKS forks per
#    implementation and workload, each BENCH_JMH_WI warm-up and BENCH_JMH_I measured iterations of BENCH_JMH_TIME
#    (the HANDOFF column: BENCH_HANDOFF_WI + BENCH_HANDOFF_I single invocations, JMH's single-shot mode);
#    JMH's JSON result becomes the peers' JSON lines (tools/jmh_lines.py: value = JMH's score, with its error,
#    99.9% interval and the per-fork means). Implementations (JMH parameter impl):
#      gevent4j-java, gevent4j-java-handoff (the same in HANDOFF mode), gevent4j-kotlin, kotlin-raw-eventloop,
#      vthreads-raw; also accepted: gevent4j-java-nomonitor, gevent4j-kotlin-nomonitor
#  - W6 W6io W8 W8h2 L8 (macro) run in the own harness (io.gevent4j.benchmarks.Bench), BENCH_JVMS times, each time
#    in a fresh JVM per implementation with BENCH_WARMUP discarded and BENCH_REPS measured repetitions;
#    tools/fresh_jvms.py reports the median over the JVMs and their spread. W7 (memory) runs BENCH_JVMS fresh JVMs
#    per implementation, one repetition each. Implementations:
#      gevent4j-java, gevent4j-kotlin (all), gevent4j-java-jdksock (W8 L8), kotlin-raw-eventloop (W6 W7),
#      vthreads-raw (W6 W7 W8 L8), netty-1loop (W8 L8); also accepted: vthreads-raw-1carrier
# Then tools/chart.py draws the run as an SVG chart (BENCH_CHART).
# --repeat N runs both N times (lines tagged "run": k) and prints tools/noise.py's report on stderr (the ratio to
# raw kotlinx per workload and implementation, and how much it moves between the runs) and as JSON lines.
# Every JVM that measures gets the same flags: --add-opens java.base/java.lang=ALL-UNNAMED -Xms1g -Xmx1g
# -XX:+AlwaysPreTouch, then JAVA_OPTS (W7's children drop the pre-touch: they measure RSS growth).
#
# Environment:
#   JAVA_HOME          used when it is a JDK >= 21, else the newest JDK >= 21 under /usr/lib/jvm
#   BENCH_FORKS=3 BENCH_JMH_WI=2 BENCH_JMH_I=2 BENCH_JMH_TIME=500ms   JMH's forks, iterations, iteration time
#   BENCH_HANDOFF_WI=1 BENCH_HANDOFF_I=1   the HANDOFF column's warm-up and measured single invocations per fork
#   BENCH_JVMS=3 BENCH_WARMUP=1 BENCH_REPS=1   fresh JVMs and repetitions of the macro workloads
#   BENCH_SKIP_BUILD=1 skip the Maven build (use what is in benchmarks/target)
#   BENCH_LIB=dir BENCH_TAG=@rev   run on the jars in dir instead of benchmarks/target/lib (an older gevent4j's
#                      api and kotlin jars beside the same dependencies), "@rev" appended to the impl names
#   BENCH_PRETOUCH=1   -XX:+AlwaysPreTouch for the timing JVMs (0: off)
#   BENCH_CHART=benchmarks/target/bench-chart.svg   where the SVG chart goes (tools/chart.py: log scale, each
#                      workload's cost relative to gevent's, beside eventlet, raw kotlinx, raw vthreads, Netty)
#   MVN_ARGS="-o"      extra Maven arguments (e.g. offline)
#   JAVA_OPTS=""       extra JVM flags, appended after the default ones
#   BENCH_IMPL_TIMEOUT=900 BENCH_CHILD_TIMEOUT=120 BENCH_REP_TIMEOUT=120   seconds (own harness)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit "${1:-2}"; }

ONLY="" IMPLS_ARG="${IMPLS:-}" REPEAT=1 OWN=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --only) ONLY=${2:?--only needs a list}; shift 2 ;;
    --impls) IMPLS_ARG=${2:?--impls needs a list}; shift 2 ;;
    --repeat) REPEAT=${2:?--repeat needs a count}; shift 2 ;;
    --own) OWN=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage 2 ;;
  esac
done
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --repeat must be a positive count, not '$REPEAT'" >&2; exit 2; }

# the project's JDK finder: JAVA_HOME when >= 21, else the newest under /usr/lib/jvm (stops with a message)
. "$ROOT/scripts/find-jdk.sh" >&2
echo "[run.sh] JDK: $JAVA_HOME" >&2
JAVA="$JAVA_HOME/bin/java"

# BENCH_LIB: the jars the benchmarks run on (e.g. an older gevent4j's, with BENCH_TAG naming it)
CP="$HERE/target/classes:${BENCH_LIB:-$HERE/target/lib}/*"
# -XX:+AlwaysPreTouch faults the whole heap in at start-up. Without it, a repetition that allocates into young
# regions the JVM has not touched yet pays a page fault per 4 KB page, which on this VM doubles some repetitions
# (W4 Java: 462-960 ns/item within one JVM; Kotlin W2: 199-409 ns); with it the repetitions agree within a few
# percent. It applies to every implementation alike. W7's child JVMs drop it: they measure RSS growth.
# The heap is 1 GB (every workload fits): pre-touching costs each JVM about 2 s here (2 GB: 3.8 s), and JMH
# starts 90 of them per run.
PRETOUCH=""
[[ "${BENCH_PRETOUCH:-1}" == 1 ]] && PRETOUCH="-XX:+AlwaysPreTouch"
# shellcheck disable=SC2206
FLAGS=(--add-opens java.base/java.lang=ALL-UNNAMED -Xms1g -Xmx1g $PRETOUCH ${JAVA_OPTS:-})


lower() { tr '[:upper:]' '[:lower:]' <<<"$1"; }
words() { tr ',' ' ' <<<"$1"; }
has() { local x; for x in $2; do [[ "$(lower "$x")" == "$(lower "$1")" ]] && return 0; done; return 1; }

declare -A JMH_NAME=([W1]=W1_spawn_join [W2]=W2_switch_event [W2b]=W2b_switch_channel [W3]=W3_yield
                     [W4]=W4_pool_map [W5]=W5_queue)
MICRO_ALL="W1 W2 W2b W3 W4 W5"
MACRO_ALL="W6 W6io W7 W8 W8h2 L8"
MICRO_IMPLS_ALL="gevent4j-java gevent4j-java-handoff gevent4j-kotlin kotlin-raw-eventloop vthreads-raw"
MICRO_IMPLS_EXTRA="gevent4j-java-nomonitor gevent4j-kotlin-nomonitor"
MACRO_IMPLS_ALL="gevent4j-java gevent4j-kotlin gevent4j-java-jdksock kotlin-raw-eventloop vthreads-raw netty-1loop"
MACRO_IMPLS_EXTRA="vthreads-raw-1carrier"

if [[ -n "$ONLY" ]]; then
  for k in $(words "$ONLY"); do
    has "$k" "$MICRO_ALL $MACRO_ALL" || { echo "run.sh: --only: unknown workload '$k' (known: $MICRO_ALL $MACRO_ALL)" >&2; exit 2; }
  done
fi
pick() { # pick ALL SELECTION -> the members of ALL named in SELECTION (all of ALL when SELECTION is empty)
  local out="" x
  for x in $1; do { [[ -z "$2" ]] || has "$x" "$(words "$2")"; } && out+="$x "; done
  echo "$out"
}
MICRO=$(pick "$MICRO_ALL" "$ONLY")
MACRO=$(pick "$MACRO_ALL" "$ONLY")
if [[ -n "$IMPLS_ARG" ]]; then
  for i in $(words "$IMPLS_ARG"); do
    has "$i" "$MICRO_IMPLS_ALL $MICRO_IMPLS_EXTRA $MACRO_IMPLS_ALL $MACRO_IMPLS_EXTRA" \
      || { echo "run.sh: --impls: unknown implementation '$i'" >&2; exit 2; }
  done
  MICRO_IMPLS=$(pick "$MICRO_IMPLS_ALL $MICRO_IMPLS_EXTRA" "$IMPLS_ARG")
  MACRO_IMPLS=$(pick "$MACRO_IMPLS_ALL $MACRO_IMPLS_EXTRA" "$IMPLS_ARG")
else
  MICRO_IMPLS=$MICRO_IMPLS_ALL
  MACRO_IMPLS=$MACRO_IMPLS_ALL
fi

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  echo "[run.sh] building (mvn -q -B install -DskipTests -pl benchmarks -am)" >&2
  # shellcheck disable=SC2086
  (cd "$ROOT" && mvn -q -B ${MVN_ARGS:-} install -DskipTests -Dmaven.source.skip=true -Dmaven.javadoc.skip=true \
    -Ddokka.skip=true -pl benchmarks -am) >&2
fi

if [[ "$OWN" == 1 ]]; then
  args=()
  [[ -n "$ONLY" ]] && args+=(--only "$ONLY")
  [[ -n "$IMPLS_ARG" ]] && args+=(--impls "$IMPLS_ARG")
  exec "$JAVA" "${FLAGS[@]}" -cp "$CP" io.gevent4j.benchmarks.Bench "${args[@]}"
fi

FORKS=${BENCH_FORKS:-3} WI=${BENCH_JMH_WI:-2} MI=${BENCH_JMH_I:-2} ITIME=${BENCH_JMH_TIME:-500ms}
HWI=${BENCH_HANDOFF_WI:-1} HMI=${BENCH_HANDOFF_I:-1}
JVMS=${BENCH_JVMS:-3}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gevent4j-bench.XXXXXX")
# kept when something failed: JMH's JSON and the harness's lines of the runs that did finish are in it
trap 'if [[ -e "$TMP/failed" ]]; then echo "[run.sh] raw results kept in $TMP" >&2; else rm -rf "$TMP"; fi' EXIT

phase() { # phase NAME RUN SECONDS: a host line with a phase's wall time (the budget's evidence)
  printf '{"impl": "host", "workload": "phase", "phase": "%s", "run": %s, "wall_s": %s}\n' "$1" "$2" "$3"
}

jmh() { # jmh NAMES IMPLS RESULT OPTIONS...: one JMH session; a failure is reported and marks the run failed
  local names=$1 impls=$2 result=$3; shift 3
  "$JAVA" -Xmx512m -cp "$CP" org.openjdk.jmh.Main "io\\.gevent4j\\.benchmarks\\.MicroBenchmarks\\.($names)\$" \
    -f "$FORKS" -foe true -p impl="$(tr ' ' ',' <<<"$impls")" -jvmArgs "${FLAGS[*]}" \
    -rf json -rff "$result" "$@" >&2 && return 0
  echo "[run.sh] JMH failed for $impls (its output above)" >&2
  printf '{"impl": "error", "workload": "jmh", "impls": "%s"}\n' "$impls"
  touch "$TMP/failed"
  return 1
}

run_once() { # run_once K TAG...: one run of the whole selection, its JSON lines on stdout
  local r=$1; shift
  local t0 t1
  if [[ -n "${MICRO// }" && -n "${MICRO_IMPLS// }" ]]; then
    local names="" w i fast="" slow="" results=()
    for w in $MICRO; do names+="${names:+|}${JMH_NAME[$w]}"; done
    for i in $MICRO_IMPLS; do if [[ "$i" == gevent4j-java-handoff ]]; then slow+="$i "; else fast+="$i "; fi; done
    t0=$(date +%s)
    if [[ -n "$fast" ]]; then
      echo "[run.sh] run $r: JMH $MICRO/ impls $fast/ $FORKS forks x ($WI warm-up + $MI) x $ITIME" >&2
      jmh "$names" "${fast% }" "$TMP/jmh-$r.json" -bm avgt -wi "$WI" -i "$MI" -w "$ITIME" -r "$ITIME" \
        && results+=("$TMP/jmh-$r.json")
    fi
    if [[ -n "$slow" ]]; then
      # HANDOFF hands every switch between threads: one invocation is seconds (W2b: 400,000 hand-offs at ~25 us),
      # so its forks time single invocations (JMH's single-shot mode) instead of filling timed iterations.
      echo "[run.sh] run $r: JMH $MICRO/ impls $slow/ $FORKS forks x ($HWI warm-up + $HMI) single invocations" >&2
      jmh "$names" "${slow% }" "$TMP/jmh-handoff-$r.json" -bm ss -wi "$HWI" -i "$HMI" \
        && results+=("$TMP/jmh-handoff-$r.json")
    fi
    t1=$(date +%s)
    [[ ${#results[@]} -gt 0 ]] && python3 "$HERE/tools/jmh_lines.py" "${results[@]}" "$@"
    phase jmh "$r" $((t1 - t0))
  fi
  local timed="" w7=0 w
  for w in $MACRO; do if [[ "$w" == W7 ]]; then w7=1; else timed+="${timed:+,}$w"; fi; done
  if [[ -n "$timed" && -n "${MACRO_IMPLS// }" ]]; then
    t0=$(date +%s)
    local j
    for ((j = 1; j <= JVMS; j++)); do
      echo "[run.sh] run $r: $timed, fresh JVMs $j of $JVMS" >&2
      BENCH_WARMUP=${BENCH_WARMUP:-1} BENCH_REPS=${BENCH_REPS:-1} \
        "$JAVA" "${FLAGS[@]}" -cp "$CP" io.gevent4j.benchmarks.Bench --only "$timed" \
        --impls "$(tr ' ' ',' <<<"${MACRO_IMPLS% }")" > "$TMP/macro-$r-$j.jsonl" || touch "$TMP/failed"
    done
    t1=$(date +%s)
    python3 "$HERE/tools/fresh_jvms.py" "$@" "$TMP"/macro-"$r"-*.jsonl
    phase macro "$r" $((t1 - t0))
  fi
  if [[ "$w7" == 1 && -n "${MACRO_IMPLS// }" ]]; then
    echo "[run.sh] run $r: W7, $JVMS fresh JVMs per implementation" >&2
    t0=$(date +%s)
    BENCH_REPS=$JVMS "$JAVA" "${FLAGS[@]}" -cp "$CP" io.gevent4j.benchmarks.Bench --only W7 \
      --impls "$(tr ' ' ',' <<<"${MACRO_IMPLS% }")" > "$TMP/w7-$r.jsonl" || touch "$TMP/failed"
    t1=$(date +%s)
    python3 "$HERE/tools/fresh_jvms.py" "$@" "$TMP/w7-$r.jsonl"
    phase w7 "$r" $((t1 - t0))
  fi
}

for ((r = 1; r <= REPEAT; r++)); do
  tags=()
  [[ "$REPEAT" -gt 1 ]] && tags+=(--run "$r")
  [[ -n "${BENCH_TAG:-}" ]] && tags+=(--tag "$BENCH_TAG")
  run_once "$r" "${tags[@]}"
done | tee "$TMP/all.jsonl"

if [[ "$REPEAT" -gt 1 ]]; then
  python3 "$HERE/tools/noise.py" "$TMP/all.jsonl" >&2
  python3 "$HERE/tools/noise.py" "$TMP/all.jsonl" --json
fi
# the chart: median over the runs, beside gevent and eventlet (the peers' run 1, copied into results/peers)
CHART=${BENCH_CHART:-$HERE/target/bench-chart.svg}
if python3 "$HERE/tools/chart.py" "$TMP/all.jsonl" --peers "$HERE/results/peers/run1.jsonl" --out "$CHART"; then
  echo "[run.sh] chart: $CHART" >&2
fi
# a failed implementation in the own harness prints "impl": "error" lines (passed through above) and fails the run
if [[ -e "$TMP/failed" ]]; then
  echo "[run.sh] some implementation failed: see the \"impl\": \"error\" lines" >&2
  exit 1
fi
