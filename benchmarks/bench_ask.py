"""Benchmark: index build time and warm ``ask()`` latency, per torch thread setting.

    .venv/bin/python benchmarks/bench_ask.py [--threads 1,2] [--rounds 3]

Each thread setting runs in a fresh process (torch fixes its pool at first use). Latency is
measured alone and with a second client asking at the same time ("loaded"). Prints a Markdown
table and, last, one JSON line. Figures, not assertions: nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import print_table, run_worker

ROOT = Path(__file__).resolve().parents[1]


def _questions() -> list[tuple[str, list[dict[str, str]]]]:
    out: list[tuple[str, list[dict[str, str]]]] = []
    for name in ("dev.jsonl", "questions.jsonl"):
        for line in (ROOT / "eval" / name).read_text().splitlines():
            if line.strip():
                row = json.loads(line)
                history = [{"role": "user", "content": q} for q in row.get("history_questions", [])]
                out.append((row["question"], history))
    return out


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def worker(threads: int, rounds: int) -> dict[str, float]:
    """Run inside a fresh process: build an index aside, then time ``ask()``."""
    sys.path.insert(0, str(ROOT / "src"))
    from careerbot.config import Settings
    from careerbot.engine import Engine
    from careerbot.index import Store

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env({}, index_dir=Path(tmp) / "index", torch_threads=threads)
        store = Store(settings)
        store.embedder.encode(["warm the model up"])
        report = store.build()
        engine = Engine(settings, store)
        engine.warm_up()
        qs = _questions()
        alone: list[float] = []
        for _ in range(rounds):
            for q, h in qs:
                t = time.perf_counter()
                engine.ask(q, h)
                alone.append(time.perf_counter() - t)
            engine.searcher()._cache.clear()  # measure real embedding work every round
        loaded: list[float] = []
        stop = threading.Event()

        def background() -> None:
            i = 0
            while not stop.is_set():
                engine.ask(f"{qs[i % len(qs)][0]} (variant {i})")
                i += 1

        bg = threading.Thread(target=background, daemon=True)
        bg.start()
        for i, (q, h) in enumerate(qs):
            t = time.perf_counter()
            engine.ask(f"{q} ({i})", h)
            loaded.append(time.perf_counter() - t)
        stop.set()
        bg.join()
    ms = 1000.0
    return {
        "threads": threads,
        "index_build_s": round(report.seconds, 2),
        "chunks": report.chunks,
        "units": report.units,
        "ask_p50_ms": round(statistics.median(alone) * ms, 1),
        "ask_p95_ms": round(_pct(alone, 0.95) * ms, 1),
        "loaded_p50_ms": round(statistics.median(loaded) * ms, 1),
        "loaded_p95_ms": round(_pct(loaded, 0.95) * ms, 1),
        "questions": len(alone),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", default="1,2", help="comma-separated torch thread counts")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.rounds)))
        return
    results = [
        run_worker(__file__, [str(n), "--rounds", str(args.rounds)], f"{n} thread(s)")
        for n in (int(x) for x in args.threads.split(","))
    ]
    print_table(results)
    print(json.dumps({"cpu_count": os.cpu_count(), "results": results}))


if __name__ == "__main__":
    main()
