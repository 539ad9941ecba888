"""The result lines of benchmarks/run.sh (JSON lines in the peers' format), shared by the tools."""
import json


def result_lines(path):
    """Yields each result line of `path`: the host, error and meta lines (and any non-JSON line) left out."""
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            r = json.loads(line)
            if r.get("impl") in ("host", "error") or r.get("workload") == "meta":
                continue
            yield r
