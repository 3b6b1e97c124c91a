#!/usr/bin/env bash
# Install what is needed, build the index if it is missing or stale, and start the web chat.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False
.venv/bin/careerbot index
exec .venv/bin/python app.py "$@"
