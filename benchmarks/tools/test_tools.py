#!/usr/bin/env python3
"""Tests of the benchmark tools (run by the benchmarks module's build: python3 -m unittest discover -s tools)."""
import io
import json
import os
import tempfile
import unittest
from contextlib import redirect_stdout

import chart
import fresh_jvms
import jmh_lines
import noise
import report


def jmh_result(impl, method, forks, unit="ns/op", error=1.5):
    flat = [x for f in forks for x in f]
    return {
        "jmhVersion": "1.37", "benchmark": f"io.gevent4j.benchmarks.MicroBenchmarks.{method}", "mode": "avgt",
        "forks": len(forks), "jvmArgs": ["-Xms2g"], "jdkVersion": "25", "warmupIterations": 2,
        "warmupTime": "500 ms", "measurementIterations": len(forks[0]), "measurementTime": "500 ms",
        "params": {"impl": impl},
        "primaryMetric": {"score": sum(flat) / len(flat), "scoreError": error,
                          "scoreConfidence": [sum(flat) / len(flat) - error, sum(flat) / len(flat) + error],
                          "scoreUnit": unit, "rawData": forks},
    }


def write_lines(d, name, lines):
    p = os.path.join(d, name)
    with open(p, "w") as f:
        for line in lines:
            f.write(json.dumps(line) + "\n")
    return p


class JmhLinesTest(unittest.TestCase):
    def test_a_result_becomes_a_peers_line_with_error_and_forks(self):
        out = jmh_lines.lines([jmh_result("gevent4j-java", "W4_pool_map", [[10, 12], [14, 16], [20, 20]])], run=2,
                              tag="@old")
        self.assertEqual(len(out), 1)
        line = out[0]
        self.assertEqual(line["impl"], "gevent4j-java@old")
        self.assertEqual(line["workload"], "W4_pool_map")
        self.assertEqual(line["unit"], "ns/item")
        self.assertAlmostEqual(line["value"], 92 / 6, places=3)
        self.assertEqual(line["error"], 1.5)
        self.assertEqual(line["forks"], [11.0, 15.0, 20.0])
        self.assertEqual(line["reps"], [10, 12, 14, 16, 20, 20])
        self.assertEqual((line["min"], line["max"], line["reps_n"], line["run"]), (10, 20, 6, 2))

    def test_nan_error_of_a_single_fork_is_null(self):
        r = jmh_result("vthreads-raw", "W1_spawn_join", [[5, 7]])
        r["primaryMetric"]["scoreError"] = "NaN"
        r["primaryMetric"]["scoreConfidence"] = ["NaN", "NaN"]
        line = jmh_lines.lines([r])[0]
        self.assertIsNone(line["error"])
        self.assertEqual(line["ci999"], [None, None])
        self.assertNotIn("run", line)

    def test_a_unit_other_than_ns_per_op_is_refused(self):
        with self.assertRaises(SystemExit):
            jmh_lines.lines([jmh_result("x", "W1_spawn_join", [[1]], unit="ops/s")])


class FreshJvmsTest(unittest.TestCase):
    def test_median_over_jvms_and_spread(self):
        with tempfile.TemporaryDirectory() as d:
            paths = [write_lines(d, f"m{j}.jsonl", [
                {"impl": "host", "workload": "env"},
                {"impl": "gevent4j-java", "workload": "W6_timers", "unit": "ms_wall", "value": v, "min": v - 1,
                 "max": v + 1, "value_key": "wall_ms", "medians": {"wall_ms": v, "late_p99_us": 10 * v},
                 "reps": [{"wall_ms": v}], "open_fds": [5, 5]},
            ]) for j, v in enumerate([100.0, 120.0, 110.0])]
            out, passthrough = fresh_jvms.combine(paths, run=3)
        self.assertEqual([r["jvm"] for r in passthrough], [1, 2, 3])
        (line,) = out
        self.assertEqual(line["value"], 110.0)
        self.assertEqual(line["jvms"], [100.0, 120.0, 110.0])
        self.assertAlmostEqual(line["spread"], 20 / 110, places=4)
        self.assertEqual(line["medians"], {"wall_ms": 110.0, "late_p99_us": 1100.0})
        self.assertEqual((line["min"], line["max"], line["jvm_lines"], line["run"]), (99.0, 121.0, 3, 3))
        self.assertEqual(line["open_fds"], [[5, 5]] * 3)

    def test_w7_fresh_process_reps_are_its_jvms(self):
        with tempfile.TemporaryDirectory() as d:
            p = write_lines(d, "w7.jsonl", [
                {"impl": "gevent4j-kotlin", "workload": "W7_memory", "unit": "bytes/greenlet", "value": 670,
                 "value_key": "heap_bytes_per_greenlet", "fresh_process_per_rep": True,
                 "reps": [{"heap_bytes_per_greenlet": 660}, {"heap_bytes_per_greenlet": 670},
                          {"heap_bytes_per_greenlet": 700}]},
            ])
            (line,), _ = fresh_jvms.combine([p])
        self.assertEqual(line["value"], 670)
        self.assertEqual(line["jvms"], [660, 670, 700])
        self.assertAlmostEqual(line["spread"], 40 / 670, places=4)


def run_lines(run, values):
    return [{"impl": impl, "workload": wl, "unit": "ns", "value": v, "run": run} for (impl, wl), v in values.items()]


class NoiseTest(unittest.TestCase):
    def test_ratio_spread_and_goal(self):
        lines = (run_lines(1, {("kotlin-raw-eventloop", "W4_pool_map"): 100, ("gevent4j-kotlin", "W4_pool_map"): 150,
                               ("netty-1loop", "W8_echo"): 1000, ("gevent4j-java", "W8_echo"): 500})
                 + run_lines(2, {("kotlin-raw-eventloop", "W4_pool_map"): 200, ("gevent4j-kotlin", "W4_pool_map"): 300,
                                 ("netty-1loop", "W8_echo"): 1000, ("gevent4j-java", "W8_echo"): 250}))
        with tempfile.TemporaryDirectory() as d:
            runs = noise.load(write_lines(d, "all.jsonl", lines))
        rows = {(r["workload"], r["impl"]): r for r in noise.rows(runs, 0.15)}
        k = rows[("W4_pool_map", "gevent4j-kotlin")]
        self.assertEqual((k["reference"], k["per_run"], k["spread"], k["over_goal"]),
                         ("kotlin-raw-eventloop", [1.5, 1.5], 0.0, False))
        ref = rows[("W4_pool_map", "kotlin-raw-eventloop")]
        self.assertEqual((ref["kind"], ref["per_run"]), ("value", [100, 200]))
        self.assertTrue(ref["over_goal"])
        j = rows[("W8_echo", "gevent4j-java")]  # throughput: the ratio is inverted (times Netty's cost)
        self.assertEqual((j["reference"], j["per_run"]), ("netty-1loop", [2.0, 4.0]))
        self.assertAlmostEqual(j["spread"], 2 / 3)
        self.assertTrue(j["over_goal"])


class ChartAndReportTest(unittest.TestCase):
    def test_chart_draws_one_bar_per_implementation_and_workload_against_gevent(self):
        data = {}
        for (impl, wl), v in {("gevent4j-java", "W1_spawn_join"): 300, ("kotlin-raw-eventloop", "W1_spawn_join"): 400,
                              ("gevent", "W1_spawn_join"): 15000, ("eventlet", "W1_spawn_join"): 18000,
                              ("gevent4j-java", "W8_echo"): 60000, ("gevent", "W8_echo"): 60000}.items():
            data[(impl, wl)] = [{"value": v}]
        text = chart.svg(data, "t")
        self.assertTrue(text.startswith("<svg"))
        # background, 3 legend swatches (Java, raw kotlinx, eventlet: gevent is the 1x line), 4 bars
        self.assertEqual(text.count("<rect"), 1 + 3 + 4)
        self.assertIn("gevent4j Java greenlets, W1 spawn+join: 300 ns/greenlet (0.02x gevent)", text)
        self.assertIn("1x = gevent", text)

    def test_report_prints_medians_and_ratios(self):
        lines = (run_lines(1, {("kotlin-raw-eventloop", "W1_spawn_join"): 100, ("gevent4j-java", "W1_spawn_join"): 110})
                 + run_lines(2, {("kotlin-raw-eventloop", "W1_spawn_join"): 100, ("gevent4j-java", "W1_spawn_join"): 130})
                 + run_lines(3, {("kotlin-raw-eventloop", "W1_spawn_join"): 100, ("gevent4j-java", "W1_spawn_join"): 120}))
        with tempfile.TemporaryDirectory() as d:
            p = write_lines(d, "all.jsonl", lines)
            buf = io.StringIO()
            with redirect_stdout(buf):
                report.main([p])
        text = buf.getvalue()
        self.assertIn("| W1_spawn_join | ns | 120 (110–130) | 100 (100–100) |", text)
        self.assertIn("| W1_spawn_join | kotlin-raw-eventloop | 1.20 (1.10–1.30) |", text)


if __name__ == "__main__":
    unittest.main()
