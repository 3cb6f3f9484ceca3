#!/usr/bin/env python3
"""Engine overhead of bench/workflow-engine: submits one big graph of noop nodes again and again
(one at a time), waits until GET /api/executions/{id} shows it ended, and prints one line:

  BENCH_OVERHEAD shape=chain nodes=1000 runs=20 exec_p50_us=... exec_max_us=... inner_p50_us=...
                 inner_max_us=... seen_p50_ms=... seen_max_ms=... post_p50_ms=... get_p50_ms=...
                 queue_p50_ms=... failed=0

exec: (finished_at - started_at of the execution) / nodes, in microseconds per node (started_at
is set when a replica claims it: the claim, the plan compile, the run; finished_at is taken when the
last node ended, before the journal writes its node rows and the end). inner: first node's
started_at to last node's finished_at / nodes. seen: POST sent to the GET that shows it ended, in
ms (includes the journal's write and the poll interval); post: the POST alone; get: the last GET
alone (1,000 node rows). queue: created_at -> started_at, in ms.

  python3 overhead.py BASE_URL chain|fanout NODES WARMUP_RUNS RUNS POLL_MS
"""
import json
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone


def graph(shape, n):
    nodes = [{"id": "n0", "type": "noop", "inputs": {"value": 1}}]
    edges = []
    for i in range(1, n):
        nodes.append({"id": "n%d" % i, "type": "noop"})
        source = "n%d" % (i - 1) if shape == "chain" else "n0"
        edges.append({"id": "e%d" % i, "source": source, "source_handle": "value",
                      "target": "n%d" % i, "target_handle": "value"})
    return json.dumps({"nodes": nodes, "edges": edges}).encode()


def call(method, url, body=None):
    req = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def instant(text):
    """ISO-8601 UTC instant (Jackson's Instant: ...T..[.fraction]Z) -> microseconds since the epoch."""
    base, _, frac = text.rstrip("Z").partition(".")
    dt = datetime.fromisoformat(base).replace(tzinfo=timezone.utc)
    return int(dt.timestamp()) * 1_000_000 + int((frac + "000000")[:6])


def pct(values, p):
    s = sorted(values)
    return s[max(0, min(len(s) - 1, int(-(-len(s) * p // 1)) - 1))]


def main():
    base, shape, n, warmup, runs, poll_ms = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), \
        int(sys.argv[5]), int(sys.argv[6])
    body = graph(shape, n)
    exec_us, inner_us, seen_ms, post_ms, get_ms, queue_ms, failed = [], [], [], [], [], [], 0
    for run in range(warmup + runs):
        t0 = time.perf_counter()
        status, accepted = call("POST", base + "/api/executions", body)
        posted = time.perf_counter()
        if status != 202:
            sys.exit("overhead: POST answered %s: %s" % (status, str(accepted)[:500]))
        eid = accepted["execution_id"]
        deadline = t0 + 120
        while True:
            asked = time.perf_counter()
            status, e = call("GET", base + "/api/executions/" + eid)
            if status != 200:
                sys.exit("overhead: GET %s answered %s: %s" % (eid, status, str(e)[:500]))
            if e["status"] in ("completed", "failed", "interrupted"):
                break
            if time.perf_counter() > deadline:
                sys.exit("overhead: execution %s still %s after 120 s" % (eid, e["status"]))
            time.sleep(poll_ms / 1000)
        seen_at = time.perf_counter()
        seen = (seen_at - t0) * 1000
        if e["status"] != "completed":
            failed += 1
            print("overhead: execution %s ended %s: %s" % (eid, e["status"], e.get("error")), file=sys.stderr)
            continue
        nodes = e.get("nodes") or []
        done = [x for x in nodes if x["status"] == "completed"]
        if len(done) != n:
            sys.exit("overhead: execution %s completed with %d of %d nodes completed" % (eid, len(done), n))
        if run < warmup:
            continue
        exec_us.append((instant(e["finished_at"]) - instant(e["started_at"])) / n)
        inner_us.append((max(instant(x["finished_at"]) for x in done) - min(instant(x["started_at"]) for x in done)) / n)
        seen_ms.append(seen)
        post_ms.append((posted - t0) * 1000)
        get_ms.append((seen_at - asked) * 1000)
        queue_ms.append((instant(e["started_at"]) - instant(e["created_at"])) / 1000)
    if not exec_us:
        sys.exit("overhead: no measured run completed")
    print("BENCH_OVERHEAD shape=%s nodes=%d runs=%d exec_p50_us=%.1f exec_max_us=%.1f inner_p50_us=%.1f "
          "inner_max_us=%.1f seen_p50_ms=%.1f seen_max_ms=%.1f post_p50_ms=%.1f get_p50_ms=%.1f queue_p50_ms=%.1f "
          "failed=%d" % (shape, n, len(exec_us), pct(exec_us, 0.5), max(exec_us), pct(inner_us, 0.5), max(inner_us),
                         pct(seen_ms, 0.5), max(seen_ms), pct(post_ms, 0.5), pct(get_ms, 0.5), pct(queue_ms, 0.5),
                         failed))


if __name__ == "__main__":
    main()
