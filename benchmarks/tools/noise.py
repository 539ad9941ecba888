#!/usr/bin/env python3
"""The noise report of `benchmarks/run.sh --repeat N`: how much each ratio to raw kotlinx moves between runs.

  python3 noise.py lines.jsonl [--json] [--goal 0.15]

Input: the JSON lines of N runs of the whole set, each line tagged `"run": k`. Per workload and implementation,
the ratio of its value to the reference's value in the same run: raw kotlinx.coroutines (`kotlin-raw-eventloop`)
where it runs the workload, else Netty (`netty-1loop`: W8, L8), else raw virtual threads (`vthreads-raw`). The
reference's own row shows the spread of its value instead. The spread is (max - min) / median of the N ratios.
Rows over the goal (15% unless --goal) are marked. Prints a Markdown table on stdout; with --json, JSON lines
(`"impl": "host", "workload": "noise"`: table.py skips them) instead.
"""
import json
import statistics

from results import result_lines
import sys

REFERENCES = ["kotlin-raw-eventloop", "netty-1loop", "vthreads-raw"]
# throughput (higher is better): the ratio is inverted so that every ratio reads "times the reference's cost"
HIGHER_IS_BETTER = {"W8_echo", "W8_echo_2hubs"}


def load(path):
    runs = {}
    for r in result_lines(path):
        if "run" in r and r.get("value") is not None:
            runs.setdefault(r["run"], {})[(r["impl"], r["workload"])] = r["value"]
    return runs


def rows(runs, goal):
    run_ids = sorted(runs)
    keys = []
    for k in run_ids:
        for key in runs[k]:
            if key not in keys:
                keys.append(key)
    workloads = []
    for _, wl in keys:
        if wl not in workloads:
            workloads.append(wl)
    out = []
    for wl in workloads:
        impls = [i for i, w in keys if w == wl]
        # a BENCH_TAG run names its implementations "name@tag": the reference is matched on the name
        ref = next((i for r in REFERENCES for i in impls if i.split("@")[0] == r), None)
        for impl in impls:
            xs = []
            for k in run_ids:
                v = runs[k].get((impl, wl))
                rv = runs[k].get((ref, wl)) if ref else None
                if v is None or (impl != ref and not rv):
                    xs.append(None)
                elif impl == ref:
                    xs.append(v)
                elif wl in HIGHER_IS_BETTER:
                    xs.append(rv / v)
                else:
                    xs.append(v / rv)
            have = [x for x in xs if x is not None]
            med = statistics.median(have) if have else None
            sp = (max(have) - min(have)) / med if len(have) > 1 and med else None
            out.append({
                "workload": wl, "impl": impl, "reference": ref,
                "kind": "value" if impl == ref else "ratio",
                "per_run": xs, "median": med, "spread": sp,
                "over_goal": sp is not None and sp > goal,
            })
    return out


def fmt(x):
    if x is None:
        return "–"
    a = abs(x)
    return f"{x:,.0f}" if a >= 1000 else f"{x:.1f}" if a >= 10 else f"{x:.2f}"


def main(argv):
    if not argv:
        raise SystemExit(__doc__)
    goal = 0.15
    if "--goal" in argv:
        goal = float(argv[argv.index("--goal") + 1])
    runs = load(argv[0])
    if len(runs) < 2:
        raise SystemExit(f"noise.py: {argv[0]} holds {len(runs)} run(s); the report needs at least 2 (--repeat N)")
    rs = rows(runs, goal)
    if "--json" in argv:
        for r in rs:
            print(json.dumps({"impl": "host", "workload": "noise", "of_workload": r["workload"], "of_impl": r["impl"],
                              "reference": r["reference"], "kind": r["kind"], "per_run": r["per_run"],
                              "median": r["median"], "spread": r["spread"], "goal": goal,
                              "over_goal": r["over_goal"]}))
        return
    n = len(runs)
    print(f"Noise over {n} runs: per workload and implementation, the ratio to the reference in the same run "
          f"(the reference's own row: its value); spread = (max - min) / median; goal < {goal:.0%}.\n")
    print("| workload | impl | ratio to | " + " | ".join(f"run {k}" for k in sorted(runs)) + " | median | spread |")
    print("|---|---|---|" + "---:|" * n + "---:|---:|")
    for r in rs:
        what = "(its value)" if r["kind"] == "value" else r["reference"] or "–"
        sp = "–" if r["spread"] is None else f"{r['spread']:.0%}" + (" **over**" if r["over_goal"] else "")
        print(f"| {r['workload']} | {r['impl']} | {what} | " + " | ".join(fmt(x) for x in r["per_run"])
              + f" | {fmt(r['median'])} | {sp} |")
    over = [r for r in rs if r["over_goal"]]
    print(f"\n{len(over)} of {len(rs)} rows move by more than {goal:.0%} between runs.")


if __name__ == "__main__":
    main(sys.argv[1:])
