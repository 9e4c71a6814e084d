#!/usr/bin/env bash
# Measures the local cloud: startup (process start to the ready line, median of RUNS) and one
# report.stock task of ROWS rows from creation to the downloaded CSV, over HTTP with curl.
# Usage: infra/local/measure.sh [RUNS] [ROWS]   (after mvn package; run from the repository root)
set -euo pipefail
RUNS=${1:-5}
ROWS=${2:-100000}
JAR=infra/local/target/longhaul-local.jar
LOG=$(mktemp)
now_ms() { date +%s%3N; }

start_cloud() {
  local begin=$(now_ms)
  java -jar "$JAR" --port 0 >"$LOG" 2>&1 &
  PID=$!
  until grep -q "ready at" "$LOG"; do
    kill -0 "$PID" 2>/dev/null || { cat "$LOG"; exit 1; }
    sleep 0.05
  done
  READY_MS=$(( $(now_ms) - begin ))
  BASE=$(grep -o "ready at http://[0-9.:]*" "$LOG" | awk '{print $3}')
}

stop_cloud() { kill -TERM "$PID"; wait "$PID" || true; }

times=()
for i in $(seq 1 "$RUNS"); do
  start_cloud
  times+=("$READY_MS")
  echo "startup run $i: ${READY_MS} ms ($(grep -o 'in [0-9.]* s' "$LOG") by its own clock)"
  stop_cloud
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "startup median of $RUNS: ${median} ms"

start_cloud
TOKEN=$(java -jar "$JAR" token alice)
begin=$(now_ms)
location=$(curl -s -D - -o /dev/null -X POST "$BASE/v1/tasks" -H "Authorization: Bearer $TOKEN" \
  -H 'content-type: application/json' \
  -d "{\"type\":\"report.stock\",\"parameters\":{\"rows\":$ROWS,\"format\":\"csv\"}}" | tr -d '\r' | awk 'tolower($1)=="location:" {print $2}')
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE$location" -H "Authorization: Bearer $TOKEN")" = 303 ]; do
  sleep 0.1
done
url=$(curl -s -o /dev/null -w '%{redirect_url}' "$BASE$location/result" -H "Authorization: Bearer $TOKEN")
lines=$(curl -s "$url" | wc -l)
elapsed=$(( $(now_ms) - begin ))
echo "report.stock $ROWS rows: created to downloaded CSV ($lines lines) in ${elapsed} ms"
stop_cloud
grep -q "Longhaul local cloud stopped" "$LOG" && echo "SIGTERM: stopped cleanly"
rm -f "$LOG"
