#!/usr/bin/env bash
# Restore drill: dump the database in DATABASE_URL, restore the dump into a scratch database, and prove
# the copy holds the same platform data (platform_data export of both, compared byte for byte).
# The scratch database is dropped afterwards; the source is only read.
#
#   DATABASE_URL=postgres://user@host:5432/kjxfd platform/backup_drill.sh [dump-file]
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to drill}"
PY="${PYTHON:-python}"
dump="${1:-var/backups/kjxfd-$(date +%Y%m%d-%H%M%S).dump}"
mkdir -p "$(dirname "$dump")"
base="${DATABASE_URL%/*}"
scratch_name="kjxfd_restore_drill_$$"
scratch="$base/$scratch_name"
work="$(mktemp -d)"
trap 'dropdb --if-exists "$scratch_name" --maintenance-db="$base/postgres" 2>/dev/null || true; rm -rf "$work"' EXIT

echo "1/4 pg_dump (custom format, no owner) → $dump"
pg_dump --format=custom --no-owner --no-privileges --file="$dump" "$DATABASE_URL"

echo "2/4 restore into scratch database $scratch_name"
createdb --maintenance-db="$base/postgres" "$scratch_name"
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$scratch" "$dump"

echo "3/4 export both with platform_data"
DATABASE_URL="$DATABASE_URL" "$PY" manage.py platform_data export "$work/source.jsonl" >/dev/null
DATABASE_URL="$scratch" "$PY" manage.py platform_data export "$work/restored.jsonl" >/dev/null

echo "4/4 compare"
if cmp -s "$work/source.jsonl" "$work/restored.jsonl"; then
  echo "恢复演练通过：$(($(wc -l <"$work/source.jsonl") - 1)) 行平台数据与源库完全一致（备份文件 $dump）。"
else
  echo "恢复演练失败：恢复后的数据与源库不一致。" >&2
  exit 1
fi
