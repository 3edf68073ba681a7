#!/usr/bin/env bash
# `npm test`: every check, nothing silently skipped.
#   1. types + lint            (npm run check)
#   2. unit + integration on SQLite
#   3. the same integration suite on PostgreSQL (throwaway server, or DATABASE_URL)
#   4. the web build and the Playwright suite in Chromium
# Missing system packages (chromium, fonts-noto-cjk, postgresql) are installed with
# apt-get when running as root; otherwise the script stops and says what to install.
set -euo pipefail
cd "$(dirname "$0")/.."

results=$(mktemp -d /tmp/shouhu-test.XXXXXX)
trap 'rm -rf "$results"' EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

need_apt=()
chromium_bin=${CHROMIUM_PATH:-/usr/bin/chromium}
[ -x "$chromium_bin" ] || need_apt+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || [ -n "${CHROMIUM_PATH:-}" ] || need_apt+=(fonts-noto-cjk)
if [ -z "${DATABASE_URL:-}" ] && ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then need_apt+=(postgresql); fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    step "Installing ${need_apt[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "Missing system packages: ${need_apt[*]}" >&2
    echo "Install them (Debian/Ubuntu: sudo apt-get install ${need_apt[*]}), or set CHROMIUM_PATH / DATABASE_URL, then run npm test again." >&2
    exit 1
  fi
fi

step "Types and lint"
npm run -s check

step "Unit and integration tests on SQLite"
npx vitest run --config vitest.config.ts --reporter=default --reporter=json --outputFile="$results/sqlite.json"

step "Integration tests on PostgreSQL"
scripts/with-postgres.sh npx vitest run --config vitest.config.ts server --reporter=default --reporter=json --outputFile="$results/postgres.json"

step "Web build"
npm run -s build:web

step "Browser tests (Chromium)"
CHROMIUM_PATH="$chromium_bin" npx vitest run --config e2e/vitest.config.ts --reporter=default --reporter=json --outputFile="$results/e2e.json"

step "Summary"
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const name of ["sqlite", "postgres", "e2e"]) {
    const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + name + ".json", "utf8"));
    console.log(`${name.padEnd(9)} ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  if (failed > 0 || passed === 0) process.exit(1);
' "$results"
