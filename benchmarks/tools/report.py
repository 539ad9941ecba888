#!/usr/bin/env python3
"""Markdown tables for docs/performance.md from benchmarks/run.sh's lines (one run, or several tagged "run": k).

  python3 report.py lines.jsonl

Two tables on stdout:
 - values: per workload and implementation, the median over the runs, then in brackets the runs' range
   (min-max of the runs' values) and JMH's error as a share of the score (the median over the runs; W1-W5) or
   the spread between fresh JVMs (the median over the runs; W6-L8);
 - ratios: per workload, each implementation's value over raw kotlinx's in the same run (Netty's for W8, W8h2
   and L8), the median over the runs and their range. Throughput (W8, W8h2) is inverted so that every ratio
   reads "times the reference's cost".
"""
import statistics

from results import result_lines
import sys

ORDER = ["gevent4j-java", "gevent4j-java-handoff", "gevent4j-kotlin", "gevent4j-java-jdksock",
         "kotlin-raw-eventloop", "vthreads-raw", "vthreads-raw-1carrier", "netty-1loop"]
HIGHER_IS_BETTER = {"W8_echo", "W8_echo_2hubs"}
REFERENCES = ["kotlin-raw-eventloop", "netty-1loop"]


def load(path):
    runs = {}
    units = {}
    for r in result_lines(path):
        if r.get("value") is not None:
            runs.setdefault(r.get("run", 1), {})[(r["impl"], r["workload"])] = r
            units[r["workload"]] = r["unit"]
    return runs, units


def fmt(x):
    a = abs(x)
    return f"{x:,.0f}" if a >= 1000 else f"{x:.0f}" if a >= 100 else f"{x:.1f}" if a >= 10 else f"{x:.2f}"


def noise_of(r):
    if r.get("harness") == "jmh":
        e = r.get("error")
        return None if e is None or not r["value"] else e / r["value"]
    return r.get("spread")


def main(argv):
    if len(argv) != 1:
        raise SystemExit(__doc__)
    runs, units = load(argv[0])
    ids = sorted(runs)
    workloads = []
    impls = []
    for k in ids:
        for impl, wl in runs[k]:
            if wl not in workloads:
                workloads.append(wl)
            if impl not in impls:
                impls.append(impl)
    base = lambda i: i.split("@")[0]  # a BENCH_TAG run names its implementations "name@tag"
    impls.sort(key=lambda i: (ORDER.index(base(i)) if base(i) in ORDER else len(ORDER), i))
    print(f"Values: median of {len(ids)} run(s) (range of the runs; JMH's error / the spread between fresh JVMs)\n")
    print("| workload | unit | " + " | ".join(impls) + " |")
    print("|---|---|" + "---|" * len(impls))
    for wl in workloads:
        cells = []
        for impl in impls:
            rs = [runs[k][(impl, wl)] for k in ids if (impl, wl) in runs[k]]
            if not rs:
                cells.append("–")
                continue
            vs = [r["value"] for r in rs]
            ns = [n for n in (noise_of(r) for r in rs) if n is not None]
            cell = fmt(statistics.median(vs))
            extra = []
            if len(vs) > 1:
                extra.append(f"{fmt(min(vs))}–{fmt(max(vs))}")
            if ns:
                extra.append(("±" if rs[0].get("harness") == "jmh" else "jvms ") + f"{statistics.median(ns):.0%}")
            cells.append(cell + (f" ({'; '.join(extra)})" if extra else ""))
        print(f"| {wl} | {units[wl]} | " + " | ".join(cells) + " |")
    print(f"\nRatios to the reference in the same run (raw kotlinx; Netty for W8, W8h2, L8): median (range)\n")
    others = [i for i in impls if base(i) not in REFERENCES]
    print("| workload | reference | " + " | ".join(others) + " |")
    print("|---|---|" + "---|" * len(others))
    for wl in workloads:
        ref = next((i for x in REFERENCES for i in impls if base(i) == x and any((i, wl) in runs[k] for k in ids)),
                   None)
        if ref is None:
            continue
        cells = []
        for impl in others:
            xs = []
            for k in ids:
                a, b = runs[k].get((impl, wl)), runs[k].get((ref, wl))
                if a and b and a["value"] and b["value"]:
                    xs.append(b["value"] / a["value"] if wl in HIGHER_IS_BETTER else a["value"] / b["value"])
            if not xs:
                cells.append("–")
            elif len(xs) == 1:
                cells.append(f"{xs[0]:.2f}")
            else:
                cells.append(f"{statistics.median(xs):.2f} ({min(xs):.2f}–{max(xs):.2f})")
        print(f"| {wl} | {ref} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
