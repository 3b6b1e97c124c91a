"""Benchmark: answer quality on question sets, each over the corpus it was written for.

    .venv/bin/python benchmarks/bench_quality.py eval/blind/*.jsonl [--ablate all] [--misses]

A set's corpus is the shipped guide plus every guide its rows name (``"guide"``: a file stem in
``../shared/guides/bls``). Each corpus is indexed once under ``$TMPDIR/careerbot-bench`` and
reused while it is unchanged. ``--ablate all`` runs every set again with each rule family
switched off in turn (``CAREERBOT_ABLATE``) and prints the difference. Prints Markdown tables
and, last, one JSON line. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BLS = ROOT.parent / "shared" / "guides" / "bls"
SHIPPED = ROOT / "corpus" / "lead-technician.txt"
METRICS = ("hit@1", "hit@3", "fact_recall", "false_refusal_rate", "refusal_accuracy", "p50_ms")


def corpus_for(set_file: Path) -> Path:
    """A folder with the shipped guide and the set's guides (cached by content)."""
    stems = sorted(
        {
            json.loads(line).get("guide") or ""
            for line in set_file.read_text(encoding="utf-8").splitlines()
            if line.strip()
        }
        - {"", SHIPPED.stem}
    )
    files = [SHIPPED] + [BLS / f"{stem}.html" for stem in stems]
    missing = [f for f in files if not f.exists()]
    if missing:
        sys.exit(f"{set_file}: no such guide(s): {', '.join(str(m) for m in missing)}")
    key = hashlib.sha256("\n".join(f.name for f in files).encode()).hexdigest()[:12]
    base = Path(tempfile.gettempdir()) / "careerbot-bench" / key
    corpus = base / "corpus"
    if not corpus.is_dir() or sorted(p.name for p in corpus.iterdir()) != sorted(f.name for f in files):
        shutil.rmtree(corpus, ignore_errors=True)
        corpus.mkdir(parents=True)
        for f in files:
            shutil.copy(f, corpus / f.name)
    return base


def joined(sets: list[Path]) -> list[tuple[str, Path]]:
    """(label, file) per set; parts of one set ("bls40_a", "bls40_b") are joined into one file."""
    groups: dict[tuple[Path, str], list[Path]] = {}
    for f in sets:
        stem = f.stem[:-2] if f.stem.endswith(("_a", "_b", "_c")) else f.stem
        groups.setdefault((f.parent, stem), []).append(f)
    out: list[tuple[str, Path]] = []
    folder = Path(tempfile.gettempdir()) / "careerbot-bench" / "sets"
    folder.mkdir(parents=True, exist_ok=True)
    for (parent, stem), files in groups.items():
        label = f"{parent.name}/{stem}"
        if len(files) == 1:
            out.append((label, files[0]))
            continue
        merged = folder / f"{parent.name}-{stem}.jsonl"
        merged.write_text("".join(f.read_text(encoding="utf-8") for f in sorted(files)), encoding="utf-8")
        out.append((label, merged))
    return out


def run_set(set_file: Path, ablate: str = "") -> dict[str, Any]:
    from careerbot import Settings
    from careerbot.engine import Engine
    from careerbot.evaluate import evaluate, load_cases

    base = corpus_for(set_file)
    settings = Settings.from_env(corpus_dir=base / "corpus", index_dir=base / "index", ablate=ablate)
    engine = Engine(settings)
    engine.warm_up()
    report = evaluate(engine.ask, load_cases(set_file))
    return {"metrics": report.metrics, "misses": json.loads(report.to_json())["misses"]}


def run_baseline(set_file: Path) -> dict[str, Any]:
    """The naive recipe's hit@1/hit@3/top-1 fact recall on the set, over the same corpus."""
    import subprocess

    script = ROOT.parent / "shared" / "eval" / "baseline_multi.py"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    out = subprocess.run(
        [sys.executable, str(script), str(corpus_for(set_file) / "corpus"), str(set_file)],
        capture_output=True,
        text=True,
        env=env,
    )
    if out.returncode:
        sys.exit(f"baseline failed on {set_file}:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])["naive"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--ablate", default="", help="'all' or a comma list of rule families")
    parser.add_argument("--misses", action="store_true", help="print each miss")
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="also run the naive LangChain recipe (../shared/eval/baseline_multi.py) on each set",
    )
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from careerbot.engine import RULE_FAMILIES

    families = list(RULE_FAMILIES) if args.ablate == "all" else [f for f in args.ablate.split(",") if f]
    results: dict[str, Any] = {}
    for label, set_file in joined(args.sets):
        base = run_set(set_file)
        row = {"set": label, **{k: base["metrics"][k] for k in METRICS}}
        row["oos"] = f"{base['metrics']['out_of_scope_refused']}/{base['metrics']['out_of_scope_total']}"
        results[label] = {"all rules": row}
        print(f"\n## {label} ({base['metrics']['questions']} questions)\n")
        print(" | ".join(["variant", *METRICS, "oos"]))
        print(_row("all rules", row))
        if args.baseline:
            naive = run_baseline(set_file)
            results[label]["naive recipe"] = naive
            figures = f"{naive['hit1']:.3f} | {naive['hit3']:.3f} | {naive['top1_fact_recall']:.3f}"
            print(f"naive recipe | {figures} | - | - | - | -")
        if args.misses:
            for m in base["misses"]:
                print(f"  MISS {m['id']} [{m['kind']}] {m['question']!r}")
                print(f"      cited={m['cited'][:3]} refused={m['refused']} :: {m['answer'][:220]!r}")
        for family in families:
            off = run_set(set_file, family)
            orow = {k: off["metrics"][k] for k in METRICS}
            orow["oos"] = f"{off['metrics']['out_of_scope_refused']}/{off['metrics']['out_of_scope_total']}"
            results[label][f"-{family}"] = orow
            print(_row(f"without {family}", orow))
    print(json.dumps(results))


def _row(label: str, row: dict[str, Any]) -> str:
    cells = [f"{row[k]:.3f}" if isinstance(row[k], float) and k != "p50_ms" else str(row[k]) for k in METRICS]
    cells = [f"{float(c):.1f}" if k == "p50_ms" else c for c, k in zip(cells, METRICS, strict=True)]
    return " | ".join([label, *cells, str(row["oos"])])


if __name__ == "__main__":
    main()
