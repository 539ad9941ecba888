#!/usr/bin/env python3
"""An SVG bar chart of a benchmark run beside gevent and eventlet: each workload's cost relative to gevent's,
on a log scale (lower is better).

  python3 chart.py ours.jsonl [--peers peers.jsonl] [--out chart.svg] [--title TEXT]

ours.jsonl   benchmarks/run.sh's lines (one run, or several tagged "run": k: the median over the runs is drawn)
--peers      the peers' lines (gevent, eventlet: /work/shared/bench/peers/results/run1.jsonl, or the copy in
             benchmarks/results/peers/); without it, or without gevent in it, costs are relative to raw kotlinx
--out        the SVG file (default: stdout)

Per workload (the rows of the peers' table.py: W1-W5 value, W6 wall time, W7 RSS per greenlet, W8 round trips/s,
shown inverted as time per round trip), one bar per implementation that ran it: gevent4j's Java and Kotlin
greenlets (and the Java column in HANDOFF mode when present), raw kotlinx.coroutines, raw virtual threads, Netty
(W8), gevent and eventlet. A bar's tooltip holds the value and its unit.
"""
from results import result_lines
import math
import statistics
import sys
from xml.sax.saxutils import escape

ROWS = [  # (label, workload, key in medians or None for value, unit, higher is better)
    ("W1 spawn+join", "W1_spawn_join", None, "ns/greenlet", False),
    ("W2 switch (events)", "W2_switch_event", None, "ns/hand-off", False),
    ("W2b switch (channels)", "W2b_switch_channel", None, "ns/hand-off", False),
    ("W3 sleep(0)", "W3_yield", None, "ns/sleep(0)", False),
    ("W4 pool map", "W4_pool_map", None, "ns/item", False),
    ("W5 queue", "W5_queue", None, "ns/item", False),
    ("W6 10k timers", "W6_timers", "wall_ms", "ms wall", False),
    ("W7 memory (RSS)", "W7_memory", "bytes_per_greenlet", "B/greenlet", False),
    ("W8 echo", "W8_echo", None, "round trips/s", True),
]
IMPLS = [  # (impl, label, colour)
    ("gevent4j-java", "gevent4j Java greenlets", "#1f5fbf"),
    ("gevent4j-java-handoff", "gevent4j Java, HANDOFF", "#8fb3e8"),
    ("gevent4j-kotlin", "gevent4j Kotlin greenlets", "#7b3fbf"),
    ("kotlin-raw-eventloop", "raw kotlinx.coroutines", "#e08a1e"),
    ("vthreads-raw", "raw virtual threads", "#2e9e5b"),
    ("netty-1loop", "Netty, one loop", "#777777"),
    ("gevent", "gevent (Python)", "#c0392b"),
    ("eventlet", "eventlet (Python)", "#8e5a3c"),
]


def load(path, into):
    runs = {}
    for r in result_lines(path):
        # a BENCH_TAG run names its implementations "name@tag": drawn under the name
        runs.setdefault((r["impl"].split("@")[0], r["workload"]), []).append(r)
    for key, rs in runs.items():
        into.setdefault(key, rs)  # our run first: a peers' line never replaces one of ours


def value(rs, key):
    xs = [r.get("value") if key is None else r.get("medians", {}).get(key) for r in rs]
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def svg(data, title):
    # the workloads this run measured (the peers' gevent and eventlet lines alone draw no group)
    rows = [row for row in ROWS if any((i, row[1]) in data for i, _, _ in IMPLS if i not in ("gevent", "eventlet"))]
    ref_name = "gevent" if any(("gevent", row[1]) in data for row in rows) else "kotlin-raw-eventloop"
    # the reference is the 1x line itself: no bar of its own
    impls = [imp for imp in IMPLS if imp[0] != ref_name and any((imp[0], row[1]) in data for row in rows)]
    bars = []  # (row index, impl index, ratio, tooltip)
    for ri, (label, wl, key, unit, higher) in enumerate(rows):
        ref = value(data.get((ref_name, wl), []), key)
        for ii, (impl, ilabel, _) in enumerate(impls):
            v = value(data.get((impl, wl), []), key)
            if v is None or not ref:
                continue
            ratio = ref / v if higher else v / ref
            bars.append((ri, ii, ratio, f"{ilabel}, {label}: {v:,.4g} {unit} ({ratio:.3g}x {ref_name})"))
    if not bars:
        raise SystemExit("chart.py: nothing to draw")
    lo = math.floor(math.log10(min(b[2] for b in bars)))
    hi = math.ceil(math.log10(max(b[2] for b in bars)))
    if hi == lo:
        hi += 1
    width, left, right, top, bottom = 980, 100, 20, 96, 50
    plot_h = 300
    height = top + plot_h + bottom
    group_w = (width - left - right) / len(rows)
    bar_w = min(14, (group_w - 12) / len(impls))
    base = 0.0 if lo <= 0 <= hi else lo  # bars grow from 1x (gevent's cost) up or down

    def y(ratio_log):
        return top + plot_h * (hi - ratio_log) / (hi - lo)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="{left}" y="20" font-size="15" font-weight="bold">{escape(title)}</text>',
           f'<text x="{left}" y="38" fill="#444">Cost relative to {escape(ref_name)} (log scale; lower is better; '
           f'W8 is time per round trip). Hover a bar for its value.</text>']
    # legend
    lx, ly = left, 58
    for impl, ilabel, colour in impls:
        out.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{lx + 16}" y="{ly}">{escape(ilabel)}</text>')
        lx += 22 + 7 * len(ilabel)
        if lx > width - 180:
            lx, ly = left, ly + 18
    # grid and axis labels, one per power of ten
    for p in range(lo, hi + 1):
        yy = y(p)
        out.append(f'<line x1="{left}" y1="{yy:.1f}" x2="{width - right}" y2="{yy:.1f}" '
                   f'stroke="{"#333" if p == 0 else "#ddd"}" stroke-width="{1.2 if p == 0 else 1}"/>')
        lab = f"{10 ** p:g}x" if p != 0 else f"1x = {ref_name}"
        out.append(f'<text x="{left - 8}" y="{yy + 4:.1f}" text-anchor="end" fill="#444">{lab}</text>')
    for ri, (label, *_rest) in enumerate(rows):
        cx = left + group_w * (ri + 0.5)
        wid, _, what = label.partition(" ")
        out.append(f'<text x="{cx:.1f}" y="{top + plot_h + 18}" text-anchor="middle" font-weight="bold">'
                   f'{escape(wid)}</text>')
        out.append(f'<text x="{cx:.1f}" y="{top + plot_h + 33}" text-anchor="middle" font-size="11" fill="#444">'
                   f'{escape(what)}</text>')
    for ri, ii, ratio, tip in bars:
        n = len(impls)
        x = left + group_w * ri + (group_w - n * bar_w) / 2 + ii * bar_w
        y0, y1 = y(base), y(math.log10(ratio))
        top_y, h = min(y0, y1), max(abs(y1 - y0), 1.0)
        colour = impls[ii][2]
        out.append(f'<rect x="{x:.1f}" y="{top_y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" fill="{colour}">'
                   f'<title>{escape(tip)}</title></rect>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv):
    if not argv or argv[0].startswith("-"):
        raise SystemExit(__doc__)
    ours, peers, out, title = argv[0], None, None, "gevent4j beside gevent, eventlet and the raw JVM"
    i = 1
    while i < len(argv):
        if argv[i] in ("--peers", "--out", "--title") and i + 1 < len(argv):
            if argv[i] == "--peers":
                peers = argv[i + 1]
            elif argv[i] == "--out":
                out = argv[i + 1]
            else:
                title = argv[i + 1]
            i += 2
        else:
            raise SystemExit(f"chart.py: unknown argument {argv[i]}\n{__doc__}")
    data = {}
    load(ours, data)
    if peers:
        peer_data = {}
        load(peers, peer_data)
        for key, rs in peer_data.items():
            if key[0] in ("gevent", "eventlet"):
                data.setdefault(key, rs)
    text = svg(data, title)
    if out:
        with open(out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
