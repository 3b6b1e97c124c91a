"""What the benchmark scripts share: one fresh worker process per setting, and the table."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any


def run_worker(script: str, args: list[str], label: str) -> dict[str, Any]:
    """Run ``script --worker ...`` offline in a fresh process; its last stdout line is JSON."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    out = subprocess.run([sys.executable, script, "--worker", *args], capture_output=True, text=True, env=env)
    if out.returncode:
        sys.exit(f"{label} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def print_table(results: list[dict[str, Any]]) -> None:
    """The results as a Markdown table, one row each."""
    cols = list(results[0])
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in results:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")
