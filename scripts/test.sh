#!/usr/bin/env bash
# Install what is needed and run the whole test suite (slow tests included) plus the linter.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False
.venv/bin/ruff check src tests benchmarks app.py
.venv/bin/ruff format --check src tests benchmarks app.py
exec .venv/bin/python -m pytest "$@"
