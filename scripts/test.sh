#!/usr/bin/env bash
# Runs the whole test suite. Without DATABASE_URL it runs on SQLite; without REDIS_URL the
# tests that need a real broker and worker are skipped (REQUIRE_SERVICES=1 forbids that).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export TESTING=1
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-2}" "$@"
