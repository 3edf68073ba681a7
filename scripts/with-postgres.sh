#!/usr/bin/env bash
# Runs a command with DATABASE_URL pointing at a throwaway PostgreSQL server
# started here (or at the DATABASE_URL already given). Installs PostgreSQL
# with apt-get when it is missing and we are root; otherwise says what to install.
set -euo pipefail

if [ -n "${DATABASE_URL:-}" ]; then exec "$@"; fi

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pgbin" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "PostgreSQL not found: installing it with apt-get…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  else
    echo "PostgreSQL server binaries are missing. Install them (Debian: sudo apt-get install postgresql) or set DATABASE_URL." >&2
    exit 1
  fi
fi

dir=$(mktemp -d /tmp/shouhu-pg.XXXXXX)
port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
as_pg=()
if [ "$(id -u)" = 0 ]; then
  # The server refuses to run as root.
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown -R postgres "$dir"
  as_pg=(runuser -u postgres --)
fi
mkdir -p "$dir/data" "$dir/sock"; chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown -R postgres "$dir"
stop() { "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap stop EXIT

"${as_pg[@]}" "$pgbin/initdb" -D "$dir/data" -U app --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/pg.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c fsync=off -c synchronous_commit=off -c max_connections=200" start >/dev/null
"${as_pg[@]}" "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U app app

export DATABASE_URL="postgres://app@127.0.0.1:$port/app"
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on port $port"
"$@"
