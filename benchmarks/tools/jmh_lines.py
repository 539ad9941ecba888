#!/usr/bin/env python3
"""JMH's JSON result (MicroBenchmarks) -> the peers' JSON lines, on stdout.

  python3 jmh_lines.py jmh-result.json [more.json ...] [--run K] [--tag TAG]

One line per (implementation, workload), in the format of /work/shared/bench/peers (so table.py puts gevent4j
beside gevent and eventlet):
  impl, workload, unit          the JMH parameter `impl`, the benchmark method's name (W1_spawn_join ...), the
                                peers' unit (JMH's ns/op with @OperationsPerInvocation = ns per greenlet, ...)
  value                         JMH's score: the mean over every measured iteration of every fork (the HANDOFF
                                column's iterations are single invocations: JMH's single-shot mode)
  error                         JMH's score error: half the width of its 99.9% confidence interval
  ci999                         that interval, [low, high]
  forks                         each fork's mean (the spread between JVMs, which one JVM's repetitions cannot show)
  reps, reps_n, min, max        every measured iteration of every fork, in fork order; their count, min and max
  warmup                        warm-up iterations per fork
  harness, jmh                  "jmh", and the run's shape (forks, iterations and their time, JVM flags, JDK)
  run                           K, when given (benchmarks/run.sh --repeat)
--tag TAG is appended to every impl name (BENCH_TAG: e.g. "@9d7d8f2" for a run against an older gevent4j's jars).
"""
import json
import math
import statistics
import sys

UNITS = {
    "W1_spawn_join": "ns/greenlet",
    "W2_switch_event": "ns/handoff",
    "W2b_switch_channel": "ns/handoff",
    "W3_yield": "ns/sleep0",
    "W4_pool_map": "ns/item",
    "W5_queue": "ns/item",
}


def num(x):
    """JMH writes NaN as the string "NaN" (one fork, or one iteration): None then."""
    if isinstance(x, str) or x is None:
        return None
    return None if math.isnan(x) else x


def r3(x):
    return None if x is None else round(x, 3)


def lines(results, run=None, tag=""):
    out = []
    for r in results:
        workload = r["benchmark"].rsplit(".", 1)[1]
        if workload not in UNITS:
            raise SystemExit(f"jmh_lines.py: unknown benchmark {r['benchmark']}")
        if r["primaryMetric"]["scoreUnit"] != "ns/op":
            raise SystemExit(f"jmh_lines.py: {r['benchmark']} is in {r['primaryMetric']['scoreUnit']}, not ns/op")
        pm = r["primaryMetric"]
        raw = pm["rawData"]  # one list per fork, one score per measured iteration
        reps = [x for fork in raw for x in fork]
        ci = [num(c) for c in pm["scoreConfidence"]]
        line = {
            "impl": r["params"]["impl"] + tag,
            "workload": workload,
            "unit": UNITS[workload],
            "value": r3(pm["score"]),
            "error": r3(num(pm["scoreError"])),
            "ci999": [r3(c) for c in ci],
            "forks": [r3(statistics.fmean(f)) for f in raw],
            "min": r3(min(reps)),
            "max": r3(max(reps)),
            "reps": [r3(x) for x in reps],
            "reps_n": len(reps),
            "warmup": r["warmupIterations"],
            "harness": "jmh",
            "jmh": {
                "version": r["jmhVersion"],
                "mode": r["mode"],
                "forks": r["forks"],
                "warmup": f"{r['warmupIterations']} x {r['warmupTime']}",
                "measurement": f"{r['measurementIterations']} x {r['measurementTime']}",
                "jvm_args": r["jvmArgs"],
                "jdk": r["jdkVersion"],
            },
        }
        if run is not None:
            line["run"] = run
        out.append(line)
    return out


def main(argv):
    if not argv or argv[0].startswith("-"):
        raise SystemExit(__doc__)
    run, tag, paths, i = None, "", [], 0
    while i < len(argv):
        if argv[i] == "--run" and i + 1 < len(argv):
            run = int(argv[i + 1])
            i += 2
        elif argv[i] == "--tag" and i + 1 < len(argv):
            tag = argv[i + 1]
            i += 2
        elif argv[i].startswith("-"):
            raise SystemExit(f"jmh_lines.py: unknown argument {argv[i]}\n{__doc__}")
        else:
            paths.append(argv[i])
            i += 1
    results = []
    for p in paths:
        with open(p) as f:
            results += json.load(f)
    for line in lines(results, run, tag):
        print(json.dumps(line))


if __name__ == "__main__":
    main(sys.argv[1:])
