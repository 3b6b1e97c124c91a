"""Real scale: the 300 shared BLS guides plus the shipped one — build, load, cold start, latency.

    .venv/bin/python benchmarks/bench_bls.py [--index DIR] [--questions KIND=FILE.jsonl ...]
        [--quality FILE.jsonl ...] [--rounds 3] [--raw-sample 8000] [--cold-runs 2]

The corpus is a temporary folder of symlinks to ``../shared/guides/bls/*.html`` and the shipped
``corpus/lead-technician.txt`` (nothing is copied into the repository). Every measurement runs
in a fresh process with ``CAREERBOT_CORPUS_DIR`` / ``CAREERBOT_INDEX_DIR`` pointing there:

- build: index build time, and its rate against raw ``SentenceTransformer.encode`` of the texts
  the build embeds (same process, same threads; a fixed random sample of ``--raw-sample`` texts
  timed before and after the build, since the rate is what is compared); peak RSS;
- size of the index folder on disk;
- load: the first question of a fresh process (``Engine`` made and asked once), imports apart;
- cold start: ``python app.py`` started until it has answered a first question over the plain
  HTTP API (``/gradio_api/call/chat``), the index already built;
- warm ``ask()`` p50/p95 per question kind (single guide, comparison, find), the query-vector
  cache cleared before every question, ``--rounds`` times over each list;
- answer quality of ``--quality`` sets, scored by ``careerbot.evaluate`` (hit@3, fact recall);
- peak RSS of the answering process.

``--index DIR`` keeps the index in DIR and reuses it while it is fresh (the build is skipped),
so reruns are quick. Prints a Markdown table and, last, one JSON line. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from common import print_table, run_worker

ROOT = Path(__file__).resolve().parents[1]
BLS = ROOT.parent / "shared" / "guides" / "bls"
SHIPPED = ROOT / "corpus" / "lead-technician.txt"
KINDS = ("single", "compare", "find")
# Small built-in lists; --questions KIND=FILE replaces one. Occupations by their usual names.
DEFAULT_QUESTIONS: dict[str, list[str]] = {
    "single": [
        "What does an electrician earn?",
        "What is the job outlook for registered nurses?",
        "What education do dental hygienists need?",
        "How much do software developers make?",
        "What is the job outlook for welders?",
        "What degree do I need to become an architect?",
        "How much does a plumber make?",
        "How do I become a police officer?",
        "What does a pharmacist earn?",
        "Do bus drivers need a license?",
    ],
    "compare": [
        "Who earns more, an electrician or a plumber?",
        "Which pays better, a registered nurse or a dental hygienist?",
        "Do software developers make more than web developers?",
        "Electricians vs welders: which has the better job outlook?",
        "Compare the pay of truck drivers and bus drivers",
        "Which needs more education, a pharmacist or a pharmacy technician?",
    ],
    "find": [
        "jobs that need only a high school diploma and pay over $55k",
        "Which jobs pay over $100,000 with a bachelor's degree?",
        "jobs with fast growth that need an associate's degree",
        "What careers pay well without a college degree?",
        "healthcare jobs that need only a postsecondary certificate",
        "Which occupations pay more than $80k and need no college degree?",
    ],
}
COLD_QUESTION = "What does an electrician earn?"
TARGETS = {"build_vs_raw": 0.8, "cold_start_s": 10.0, "p50_ms": 50.0}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_corpus(folder: Path) -> int:
    """Symlinks to every BLS page and the shipped guide (``guide_files`` follows links)."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = sorted(BLS.glob("*.html"))
    if not pages:
        sys.exit(f"No BLS pages in {BLS}; this benchmark reads ../shared/guides/bls.")
    for target in [*pages, SHIPPED]:
        link = folder / target.name
        if not link.is_symlink():
            link.symlink_to(target)
    return len(pages) + 1


def dir_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def read_questions(path: Path) -> list[str]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["question"] for r in rows]


# --------------------------------------------------------------------------- workers


def _rate(model: Any, texts: list[str]) -> float:
    """Texts per second of plain ``SentenceTransformer.encode`` (what a build can reach)."""
    t = time.perf_counter()
    model.encode(texts, bulk=True)
    return len(texts) / (time.perf_counter() - t)


def build_worker(raw_sample: int) -> dict[str, Any]:
    """Fresh process: raw-encode rate, then a full build into CAREERBOT_INDEX_DIR."""
    sys.path.insert(0, str(ROOT / "src"))
    import chromadb  # noqa: F401  (imports are not build work: load them first, like the model)

    from careerbot.config import Settings
    from careerbot.index import Store
    from careerbot.ingest import iter_chunks, load_corpus
    from careerbot.rows import embedding_texts, section_units

    settings = Settings.from_env()
    chunks = list(iter_chunks(load_corpus(settings.corpus_dir)))
    texts = embedding_texts(chunks, {c.id: section_units(c) for c in chunks})
    sample = random.Random(11).sample(texts, raw_sample) if len(texts) > raw_sample else texts
    store = Store(settings)
    model = store.embedder
    model.encode(["warm up"], bulk=True)
    raw = [_rate(model, sample)]
    report = store.build(full=True)
    raw.append(_rate(model, sample))
    build_rate = report.embedded / report.seconds
    raw_rate = statistics.mean(raw)
    return {
        "sections": report.chunks,
        "texts": report.embedded,
        "build_s": round(report.seconds, 1),
        "build_texts_per_s": round(build_rate, 1),
        "raw_encode_texts": len(sample),
        "raw_texts_per_s_each": [round(r, 1) for r in raw],  # before and after: the drift
        "build_vs_raw": round(build_rate / raw_rate, 2),
        "build_peak_rss_mb": round(rss_mb()),
    }


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def ask_worker(spec: dict[str, Any]) -> dict[str, Any]:
    """Fresh process: load (first question), warm latency per kind, quality sets, peak RSS."""
    t = time.perf_counter()
    sys.path.insert(0, str(ROOT / "src"))
    from careerbot.config import Settings
    from careerbot.engine import Engine
    from careerbot.evaluate import evaluate, load_cases

    import_s = time.perf_counter() - t
    questions: dict[str, list[str]] = spec["questions"]
    t = time.perf_counter()
    engine = Engine(Settings.from_env(auto_index=False))  # a stale index fails, never rebuilds
    engine.ask(questions["single"][0])
    load_s = time.perf_counter() - t
    out: dict[str, Any] = {"import_s": round(import_s, 2), "load_s": round(load_s, 2)}
    for kind, qs in questions.items():
        times: list[float] = []
        first: list[float] = []
        for r in range(spec["rounds"]):
            for q in qs:
                engine.searcher()._cache.clear()  # every question pays for its embedding
                t = time.perf_counter()
                engine.ask(q)
                elapsed = time.perf_counter() - t
                times.append(elapsed)
                if r == 0:
                    first.append(elapsed)
        out[f"{kind}_n"] = len(qs)
        out[f"{kind}_p50_ms"] = round(statistics.median(times) * 1000, 1)
        out[f"{kind}_p95_ms"] = round(_pct(times, 0.95) * 1000, 1)
        out[f"{kind}_first_p50_ms"] = round(statistics.median(first) * 1000, 1)  # first asking
    quality = {}
    for path in spec["quality"]:
        m = evaluate(engine.ask, load_cases(Path(path))).metrics
        quality[Path(path).name] = {
            k: round(m[k], 3) if isinstance(m[k], float) else m[k]
            for k in ("questions", "hit@1", "hit@3", "fact_recall", "false_refusal_rate", "p50_ms")
        }
    out["quality"] = quality
    out["ask_peak_rss_mb"] = round(rss_mb())
    return out


# --------------------------------------------------------------------------- cold start


def _chat(url: str, question: str, timeout: float = 120) -> str:
    """One question over the plain HTTP API (POST, then read the event stream): the answer text."""
    body = json.dumps({"data": [question, None]}).encode()
    request = urllib.request.Request(
        url + "gradio_api/call/chat", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as r:
        event = json.loads(r.read())["event_id"]
    with urllib.request.urlopen(f"{url}gradio_api/call/chat/{event}", timeout=timeout) as r:
        events = r.read().decode()
    if "event: complete" not in events:
        raise RuntimeError(f"no answer: {events[-500:]}")
    return str(json.loads(events.split("event: complete\ndata: ", 1)[1].splitlines()[0])[0]["text"])


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cold_start(work: Path) -> dict[str, Any]:
    """``python app.py`` from process start until its first answer over HTTP (index built)."""
    port = _free_port()
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "GRADIO_SERVER_PORT": str(port),
        "GRADIO_TEMP_DIR": str(work / "gradio"),
        "CAREERBOT_FEEDBACK_FILE": str(work / "feedback.jsonl"),
        "CAREERBOT_AUTO_INDEX": "false",  # never a build inside the timing
        "PYTHONPATH": str(ROOT / "src"),
    }
    url = f"http://127.0.0.1:{port}/"
    log = work / "app.log"
    with log.open("w") as out:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], env=env, stdout=out, stderr=out)
    try:
        up = None
        while up is None:
            if proc.poll() is not None or time.perf_counter() - started > 300:
                sys.exit(f"app.py did not start:\n{log.read_text()[-3000:]}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(url + "gradio_api/info", timeout=5) as r,
            ):
                if r.status == 200:
                    up = time.perf_counter() - started
            if up is None:
                time.sleep(0.05)
        text = _chat(url, COLD_QUESTION)
        answered = time.perf_counter() - started
        rss = 0.0
        for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
        return {"up_s": up, "answered_s": answered, "rss_mb": rss, "answer": text[:80]}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# --------------------------------------------------------------------------- main


def fresh(index: Path) -> bool:
    """Whether ``index`` holds a finished build of the current corpus and code."""
    sys.path.insert(0, str(ROOT / "src"))
    from careerbot.config import Settings
    from careerbot.index import Store

    if not index.is_dir():
        return False
    with contextlib.suppress(Exception):
        return Store(Settings.from_env()).is_fresh()
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, help="keep the index here; reuse it while fresh")
    parser.add_argument(
        "--questions", action="append", default=[], metavar="KIND=FILE", help=f"KIND: {', '.join(KINDS)}"
    )
    parser.add_argument("--quality", action="append", default=[], type=Path, help="a question set to score")
    parser.add_argument("--rounds", type=int, default=3, help="times each latency question is asked")
    parser.add_argument("--raw-sample", type=int, default=8000, help="texts timed for the raw-encode rate")
    parser.add_argument("--cold-runs", type=int, default=2, help="app starts timed (median reported)")
    parser.add_argument("--worker", choices=["build", "ask"], help=argparse.SUPPRESS)
    parser.add_argument("--spec", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker == "build":
        print(json.dumps(build_worker(args.raw_sample)))
        return
    if args.worker == "ask":
        print(json.dumps(ask_worker(json.loads(args.spec))))
        return

    questions = {k: list(v) for k, v in DEFAULT_QUESTIONS.items()}
    for item in args.questions:
        kind, _, path = item.partition("=")
        if kind not in KINDS or not path:
            sys.exit(f"--questions takes KIND=FILE with KIND one of {', '.join(KINDS)} (not {item!r})")
        questions[kind] = read_questions(Path(path))
    for path in args.quality:
        if not path.is_file():
            sys.exit(f"--quality {path}: no such file")

    with tempfile.TemporaryDirectory(prefix="bench-bls-") as tmp:
        work = Path(tmp)
        guides = make_corpus(work / "corpus")
        index = (args.index or work / "index").resolve()
        os.environ["CAREERBOT_CORPUS_DIR"] = str(work / "corpus")
        os.environ["CAREERBOT_INDEX_DIR"] = str(index)
        load = os.getloadavg()
        results: dict[str, Any] = {"guides": guides}
        if fresh(index):
            print(f"(index in {index} is fresh: build skipped)", file=sys.stderr)
            results["build"] = None
        else:
            results["build"] = run_worker(__file__, ["build", "--raw-sample", str(args.raw_sample)], "build")
            print(json.dumps(results["build"]), file=sys.stderr, flush=True)
        results["index_mb"] = round(dir_mb(index), 1)
        cold = [cold_start(work) for _ in range(args.cold_runs)]
        results["cold"] = cold
        print(json.dumps(cold), file=sys.stderr, flush=True)
        spec = {"questions": questions, "rounds": args.rounds, "quality": [str(p) for p in args.quality]}
        results["ask"] = run_worker(__file__, ["ask", "--spec", json.dumps(spec)], "ask")
        results["load_avg_start"] = [round(x, 2) for x in load]
        results["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]
    print_table(rows(results))
    print(json.dumps({"cpu_count": os.cpu_count(), **results}))


def rows(r: dict[str, Any]) -> list[dict[str, str]]:
    """The figures as (figure, value, target) rows for the Markdown table."""

    def row(figure: str, value: str, target: str = "", ok: bool | None = None) -> dict[str, str]:
        mark = "" if ok is None else (" ✓" if ok else " ✗")
        return {"figure": figure, "value": value, "target": target + mark}

    out = [row("guides", str(r["guides"]))]
    b = r["build"]
    if b:
        ok_build = b["build_vs_raw"] >= TARGETS["build_vs_raw"]
        out += [
            row("sections / texts embedded", f"{b['sections']:,} / {b['texts']:,}"),
            row("build", f"{b['build_s']:.0f} s ({b['build_texts_per_s']} texts/s)"),
            row("raw encode (before, after)", " / ".join(f"{x} texts/s" for x in b["raw_texts_per_s_each"])),
            row("build ÷ raw", f"{b['build_vs_raw']:.2f}", "≥ 0.80", ok_build),
            row("build peak RSS", f"{b['build_peak_rss_mb']:,} MB"),
        ]
    a = r["ask"]
    cold = statistics.median(c["answered_s"] for c in r["cold"])
    out += [
        row("index on disk", f"{r['index_mb']:,.0f} MB"),
        row("load (first question, fresh process)", f"{a['load_s']:.1f} s (+ {a['import_s']:.1f} s imports)"),
        row("cold start → server up", " / ".join(f"{c['up_s']:.1f} s" for c in r["cold"])),
        row(
            "cold start → first answer over HTTP",
            " / ".join(f"{c['answered_s']:.1f} s" for c in r["cold"]),
            "≤ 10 s",
            cold <= TARGETS["cold_start_s"],
        ),
    ]
    for kind in KINDS:
        if f"{kind}_p50_ms" in a:
            out.append(
                row(
                    f"{kind} ask() p50 / p95 ({a[f'{kind}_n']} questions)",
                    f"{a[f'{kind}_p50_ms']} / {a[f'{kind}_p95_ms']} ms",
                    "p50 ≤ 50 ms",
                    a[f"{kind}_p50_ms"] <= TARGETS["p50_ms"],
                )
            )
    app_rss = r["cold"][0]["rss_mb"]
    out.append(row("peak RSS answering (app)", f"{a['ask_peak_rss_mb']:,} MB ({app_rss:,.0f} MB)"))
    for name, m in a["quality"].items():
        out.append(
            row(
                f"quality {name} ({m['questions']} q)",
                f"hit@3 {m['hit@3']:.3f}, facts {m['fact_recall']:.3f}",
            ),
        )
    return out


if __name__ == "__main__":
    main()
