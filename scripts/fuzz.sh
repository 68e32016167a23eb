#!/usr/bin/env bash
# Fuzzes every operation of the live API schema with schemathesis, as office staff and as a unit
# liaison, against a freshly seeded demo in a database of its own (writes create and delete rows).
#
#   DATABASE_URL=postgres://USER:PASS@HOST:5432/NAME bash scripts/fuzz.sh
#
# The fuzz database is NAME_fuzz (dropped and seeded anew; FUZZ_DATABASE_URL names another).
# Bounded for CI by default; run it longer with, e.g.
#   FUZZ_MAX_EXAMPLES=100 FUZZ_PHASES=examples,coverage,fuzzing,stateful bash scripts/fuzz.sh
# (the coverage phase tries every boundary of every parameter: tens of minutes on 2 cores)
# Any failure of a check exits non-zero. The reports land in FUZZ_REPORT_DIR (default fuzz-report/).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?DATABASE_URL must name a PostgreSQL database (the fuzz database is derived from it)}"
PORT=${FUZZ_PORT:-8797}
MAX_EXAMPLES=${FUZZ_MAX_EXAMPLES:-2}
WORKERS=${FUZZ_WORKERS:-1}  # more threads have hit a CPython 3.11 compile race inside hypothesis
PHASES=${FUZZ_PHASES:-examples,fuzzing}
ROLES=${FUZZ_ROLES:-unit office}
REPORT_DIR=${FUZZ_REPORT_DIR:-fuzz-report}
PASSWORD=Fuzz-demo-2024
CHECKS=not_a_server_error,status_code_conformance,response_schema_conformance,negative_data_rejection,ignored_auth
export DATABASE_URL=${FUZZ_DATABASE_URL:-${DATABASE_URL%/*}/$(basename "${DATABASE_URL%%\?*}")_fuzz}
export DJANGO_SETTINGS_MODULE=mobilization.settings
unset REDIS_URL TESTING  # tasks run eagerly: the fuzz is about the web answers
started=$(date +%s)

if [ "${FUZZ_REUSE_DB:-0}" != "1" ]; then
  .venv/bin/python - <<'EOF'
import os
import psycopg
from urllib.parse import urlsplit

url = urlsplit(os.environ["DATABASE_URL"])
name = url.path.lstrip("/")
admin = url._replace(path="/postgres").geturl()
with psycopg.connect(admin, autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{name}"')
EOF
  .venv/bin/python manage.py migrate -v 0
  .venv/bin/python manage.py seed_demo --password "$PASSWORD" >/dev/null
fi

log=$(mktemp)
# Tokens are fetched up front (see below) and must outlive a long run's idle stretches.
export TOKEN_IDLE_MINUTES=${TOKEN_IDLE_MINUTES:-1440} TOKEN_MAX_HOURS=${TOKEN_MAX_HOURS:-48}
.venv/bin/gunicorn mobilization.wsgi -b "127.0.0.1:$PORT" -w 2 --timeout 120 \
  --access-logfile /dev/null --error-logfile - >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
  sleep 1
done

mkdir -p "$REPORT_DIR"
# The schema is generated once (it takes seconds) and fuzzed from the file, as each role sees the same one.
curl -sf --max-time 300 -o "$REPORT_DIR/schema.json" "http://127.0.0.1:$PORT/api/schema/?format=json"
# The account operations end the very token they are sent with (DELETE /auth/token/ revokes it), and
# their failures count toward the lockout of the user and of this address (then ending the user's
# tokens, and refusing the next login): fuzzed among the others, they left every later operation
# answering 401. So every role's tokens are taken before any fuzzing, the account operations are
# fuzzed last, each role with a token of its own.
ACCOUNT_OPS=(v1_auth_token_create v1_auth_token_destroy v1_auth_password_create)
exclude=() include=()
for op in "${ACCOUNT_OPS[@]}"; do
  exclude+=(--exclude-operation-id "$op")
  include+=(--include-operation-id "$op")
done
declare -A tokens
login() {
  curl -sf -X POST -d "username=$1" -d "password=$PASSWORD" "http://127.0.0.1:$PORT/api/v1/auth/token/" |
    .venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}
for role in $ROLES; do
  tokens[$role]=$(login "$role")
  tokens[$role:account]=$(login "$role")
done
fuzz() {  # role, report name, then the operation filters
  local role=$1 report=$2 token=$3
  shift 3
  .venv/bin/schemathesis run "$REPORT_DIR/schema.json" --url "http://127.0.0.1:$PORT" \
    -H "Authorization: Token $token" -H "Accept-Language: en" \
    --checks "$CHECKS" --phases "$PHASES" --max-examples "$MAX_EXAMPLES" --workers "$WORKERS" \
    --seed "${FUZZ_SEED:-1}" --no-shrink --request-timeout 60 --suppress-health-check all \
    --report junit --report-junit-path "$REPORT_DIR/$report.xml" --output-truncate true "$@"
}
status=0
for role in $ROLES; do
  echo "== schemathesis as $role"
  fuzz "$role" "$role" "${tokens[$role]}" "${exclude[@]}" || status=1
done
for role in $ROLES; do
  echo "== schemathesis as $role: the account operations"
  fuzz "$role" "$role-account" "${tokens[$role:account]}" "${include[@]}" || status=1
done
if grep -q "Traceback" "$log"; then
  echo "== server tracebacks"
  grep -B2 -A30 "Traceback" "$log" | tail -n 200
fi
rm -f "$log"
echo "fuzz finished in $(($(date +%s) - started)) s"
exit $status
