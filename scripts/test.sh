#!/usr/bin/env bash
# Install what is needed and run the whole test suite (slow tests included), the linter and the
# type checker.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The browser tests drive Debian's chromium (never a downloaded browser build).
if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing chromium for the browser tests…" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
export HF_HUB_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False
.venv/bin/ruff check src tests benchmarks scripts app.py
.venv/bin/ruff format --check src tests benchmarks scripts app.py
.venv/bin/mypy  # strict on src/careerbot, configured in pyproject.toml
exec .venv/bin/python -m pytest "$@"
