"""How cost grows with the number of guides: build time vs raw encoding, ask() latency, RSS.

    .venv/bin/python benchmarks/bench_scale.py [--sizes 1,10,100,1000] [--out docs]

For each N a fresh process generates N synthetic guides from the shipped one (distinct role
names, perturbed figures; written as scraped .txt so ingestion does its full work), builds an
index in a temporary folder, and measures:
- index build time and embedded texts/s, against raw ``SentenceTransformer.encode`` of the same
  texts in the same process (the limit a build can reach; above ``--raw-sample`` texts, a fixed
  random sample of them, since the rate is what is compared);
- the time to load the index for answering (the first question of a new process);
- warm ``ask()`` p50/p95 (alone), and questions/s with 1, 4 and 8 client threads;
- peak RSS of the process.
Prints a Markdown table and one JSON line; writes ``bench_scale.json`` and ``bench_scale.png``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from common import print_table, run_worker

ROOT = Path(__file__).resolve().parents[1]
ADJECTIVES = "Field Plant Network Solar Marine Rail Clinical Avionics Mining Studio Grid Fleet".split()
NOUNS = "Systems Controls Robotics Hydraulics Signals Pipeline Turbine Sensor Lab Broadcast".split()
QUESTIONS = [
    "What does a {role} earn?",
    "How many years until I'm a senior technician?",
    "Can I work from home?",
    "What tools does a {role} use?",
    "Do I need a certificate to move up?",
    "What are the cons of this job?",
    "what should I study?",
    "Is it a stressful job?",
]


def role_name(i: int) -> str:
    adjective, noun = ADJECTIVES[i % len(ADJECTIVES)], NOUNS[(i // len(ADJECTIVES)) % len(NOUNS)]
    return f"{adjective} {noun} Lead Technician {i:04d}"


def make_corpus(folder: Path, n: int) -> list[str]:
    """N guides: the shipped page with its role renamed and every dollar figure scaled."""
    source = (ROOT / "corpus" / "lead-technician.txt").read_text(encoding="utf-8")
    roles = []
    rng = random.Random(7)
    for i in range(n):
        role = role_name(i) if n > 1 else "Lead Technician"
        factor = rng.uniform(0.8, 1.3) if n > 1 else 1.0

        def scale(m: re.Match[str], factor: float = factor) -> str:
            value = int(m.group(1).replace(",", ""))
            return f"${round(value * factor / 250) * 250:,}"

        text = re.sub(r"\$(\d[\d,]*)", scale, source.replace("Lead Technician", role))
        (folder / f"guide-{i:04d}.txt").write_text(text, encoding="utf-8")
        roles.append(role)
    return roles


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rate(model: Any, texts: list[str]) -> float:
    """Texts per second of plain ``SentenceTransformer.encode`` (what a build can reach)."""
    t = time.perf_counter()
    model.encode(texts, bulk=True)
    return len(texts) / (time.perf_counter() - t)


def worker(n: int, raw_sample: int) -> dict[str, float]:
    sys.path.insert(0, str(ROOT / "src"))
    from careerbot.config import Settings
    from careerbot.engine import Engine
    from careerbot.index import Store
    from careerbot.ingest import iter_chunks, load_corpus
    from careerbot.rows import embedding_texts, section_units

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        roles = make_corpus(corpus, n)
        import chromadb  # noqa: F401  (imports are not build work: load them first, like the model)

        # The limit: raw encoding of the texts a build embeds, same process, same threads; above
        # --raw-sample texts a fixed random sample of them (the rate, not the total, is compared).
        chunks = list(iter_chunks(load_corpus(corpus)))
        texts = embedding_texts(chunks, {c.id: section_units(c) for c in chunks})
        sample = random.Random(11).sample(texts, raw_sample) if len(texts) > raw_sample else texts
        # This machine's speed drifts by ±15% between minutes: raw encoding is timed before every
        # build and once after the last, small corpora are built three times, medians are used.
        raw_rates: list[float] = []
        build_rates: list[float] = []
        model = None
        for attempt in range(3 if n <= 10 else 1):
            settings = Settings.from_env({}, corpus_dir=corpus, index_dir=Path(tmp) / f"index-{attempt}")
            store = Store(settings, model)
            model = store.embedder
            model.encode(["warm up"], bulk=True)
            raw_rates.append(_rate(model, sample))
            report = store.build()
            build_rates.append(report.embedded / report.seconds)
        raw_rates.append(_rate(model, sample))
        engine = Engine(settings, store)
        t = time.perf_counter()
        engine.searcher()
        load_s = time.perf_counter() - t
        qs = [QUESTIONS[i % len(QUESTIONS)].format(role=roles[i % len(roles)]) for i in range(40)]
        for q in qs[:5]:
            engine.ask(q)
        times = []
        for q in qs:
            engine.searcher()._cache.clear()  # every question pays for its embedding
            t = time.perf_counter()
            engine.ask(q)
            times.append(time.perf_counter() - t)
        throughput = {}
        for threads in (1, 4, 8):
            done = 0
            lock = threading.Lock()
            stop = time.perf_counter() + 5.0

            def client(k: int, stop: float = stop, lock: threading.Lock = lock) -> None:
                nonlocal done
                j = 0
                while time.perf_counter() < stop:
                    engine.ask(f"{qs[(k * 7 + j) % len(qs)]} ({k}-{j})")
                    j += 1
                    with lock:
                        done += 1

            pool = [threading.Thread(target=client, args=(k,)) for k in range(threads)]
            t = time.perf_counter()
            for p in pool:
                p.start()
            for p in pool:
                p.join()
            throughput[threads] = done / (time.perf_counter() - t)
    build_rate, raw_rate = statistics.median(build_rates), statistics.median(raw_rates)
    return {
        "guides": n,
        "chunks": report.chunks,
        "texts": report.embedded,
        "build_s": round(report.embedded / build_rate, 1),
        "build_texts_per_s": round(build_rate, 1),
        "raw_encode_texts": len(sample),
        "raw_encode_texts_per_s": round(raw_rate, 1),
        "build_vs_raw": round(build_rate / raw_rate, 2),
        "raw_rates_each": [round(r, 1) for r in raw_rates],  # how much the machine drifted
        "build_rates_each": [round(r, 1) for r in build_rates],
        "load_s": round(load_s, 1),
        "ask_p50_ms": round(statistics.median(times) * 1000, 1),
        "ask_p95_ms": round(sorted(times)[int(0.95 * (len(times) - 1))] * 1000, 1),
        "qps_1": round(throughput[1], 1),
        "qps_4": round(throughput[4], 1),
        "qps_8": round(throughput[8], 1),
        "peak_rss_mb": round(rss_mb()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100,1000")
    parser.add_argument("--out", default=str(ROOT / "docs"))
    parser.add_argument(
        "--raw-sample",
        type=int,
        default=40_000,
        help="most texts timed for the raw-encode rate (a fixed random sample above that)",
    )
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.raw_sample)))
        return
    results = []
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    for n in (int(x) for x in args.sizes.split(",")):
        results.append(run_worker(__file__, [str(n), "--raw-sample", str(args.raw_sample)], f"N={n}"))
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)
        # kept after every size: a long run that is stopped still leaves what it measured
        (out_dir / "bench_scale.json").write_text(json.dumps(results, indent=1))
    print_table(results)
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 3.5))
        sizes = [r["guides"] for r in results]
        ax.plot(sizes, [r["ask_p50_ms"] for r in results], marker="o", label="ask() p50")
        ax.plot(sizes, [r["ask_p95_ms"] for r in results], marker="o", label="ask() p95")
        ax.set_xscale("log")
        ax.set_xlabel("guides in the index")
        ax.set_ylabel("ms")
        ax.set_title("careerbot: warm ask() latency vs corpus size")
        ax.legend()
        fig.tight_layout()
        fig.savefig(out_dir / "bench_scale.png", dpi=120)
    except ImportError:
        print("(matplotlib not installed: pip install -e '.[bench]' for the plot)", file=sys.stderr)
    print(json.dumps({"cpu_count": os.cpu_count(), "results": results}))


if __name__ == "__main__":
    main()
