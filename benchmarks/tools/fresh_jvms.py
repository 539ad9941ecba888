#!/usr/bin/env python3
"""The macro workloads' lines of several harness runs (one fresh JVM per implementation each) -> one line each.

  python3 fresh_jvms.py [--run K] [--tag TAG] harness-1.jsonl harness-2.jsonl harness-3.jsonl

Each input is one `Bench` launcher run (its lines: one per implementation and workload, from one JVM per
implementation). Output, on stdout, one line per (implementation, workload) in the peers' format:
  value        the median, over the JVMs, of each JVM's value (itself the median of that JVM's repetitions)
  jvms         each JVM's value, in run order
  spread       (max - min) / median of `jvms`: how much the figure moves from one JVM to the next
  medians      every metric's median over the JVMs' medians
  jvm_lines    how many JVMs gave the line
and the rest of the first JVM's line (unit, value_key, warmup, reps_n; `reps` becomes every JVM's repetitions).
W7 already runs one fresh JVM per repetition, so a single input suffices for it: its `jvms` are its repetitions.
Lines that are not results (host, meta, error, contention) pass through with `"jvm": <input index>`, so a failure
in any JVM stays visible. `run` is added when given (benchmarks/run.sh --repeat); TAG is appended to every
implementation's name (BENCH_TAG).
"""
import json
import statistics
import sys


def read(path):
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                yield json.loads(line)


def spread(xs):
    m = statistics.median(xs)
    return round((max(xs) - min(xs)) / m, 4) if m else None


def combine(paths, run=None, tag=""):
    passthrough = []
    groups = {}
    order = []
    for j, p in enumerate(paths, 1):
        for r in read(p):
            impl, wl = r.get("impl"), r.get("workload")
            if impl in ("host", "error") or wl == "meta":
                r["jvm"] = j
                passthrough.append(r)
                continue
            if tag and impl:
                r["impl"] = impl = impl + tag
            key = (impl, wl)
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append(r)
    out = []
    for key in order:
        rs = groups[key]
        first = dict(rs[0])
        if first.get("fresh_process_per_rep") and len(rs) == 1:
            key_name = first.get("value_key")
            jvms = [rep[key_name] for rep in first["reps"]] if key_name else list(first["reps"])
        else:
            jvms = [r["value"] for r in rs]
            first["value"] = statistics.median(jvms)
            first["min"] = min(r["min"] for r in rs)
            first["max"] = max(r["max"] for r in rs)
            first["reps"] = [x for r in rs for x in r["reps"]]
            if "medians" in first:
                first["medians"] = {k: statistics.median(r["medians"][k] for r in rs) for k in first["medians"]}
            if "open_fds" in first:
                first["open_fds"] = [r["open_fds"] for r in rs]
        first["jvms"] = jvms
        first["spread"] = spread(jvms)
        first["jvm_lines"] = len(rs)
        if run is not None:
            first["run"] = run
        out.append(first)
    for r in passthrough:
        if run is not None:
            r["run"] = run
    return out, passthrough


def main(argv):
    run, tag = None, ""
    while argv[:1] in (["--run"], ["--tag"]) and len(argv) > 1:
        if argv[0] == "--run":
            run = int(argv[1])
        else:
            tag = argv[1]
        argv = argv[2:]
    if not argv:
        raise SystemExit(__doc__)
    out, passthrough = combine(argv, run, tag)
    for r in passthrough + out:
        print(json.dumps(r))


if __name__ == "__main__":
    main(sys.argv[1:])
