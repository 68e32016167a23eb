#!/usr/bin/env bash
# One machine, embedded default: SQLite, in-memory cache, eager Celery tasks, demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
WITH_SYSTEM_PACKAGES=0 bash scripts/bootstrap.sh
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py seed_demo --password "${DEMO_PASSWORD:-Demo-2026!}"
exec .venv/bin/python manage.py runserver "${ADDRESS:-127.0.0.1:8000}"
