#!/usr/bin/env bash
# Idempotent set-up: a virtualenv with the CPU build of torch and careerbot (editable) in it.
# A second run with nothing changed returns at once; a changed pyproject.toml reinstalls.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${CAREERBOT_VENV:-.venv}
# The CPU wheel of torch 2.13.0 is what this project is tested with; installing it first means
# nothing later can pull a multi-GB CUDA build to satisfy an unpinned "torch".
TORCH_SPEC=${CAREERBOT_TORCH:-torch==2.13.0}

stamp="$VENV/.careerbot-setup"
want="$( (cat pyproject.toml scripts/setup.sh; echo "$TORCH_SPEC") | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$VENV/bin/python" -c "import careerbot" 2>/dev/null; then
  exit 0
fi

echo "Setting up $VENV (first run takes a few minutes)…" >&2
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet "$TORCH_SPEC"
"$VENV/bin/python" -m pip install --quiet -e ".[dev]"
echo "$want" > "$stamp"
echo "Set-up done." >&2
