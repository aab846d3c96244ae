#!/usr/bin/env bash
# `npm test`: every test tier in order, stopping at the first tier that fails.
#   test deps → compile (tsc) → lint (eslint) → build (esbuild) → unit → integration → cli (dist/cli.js)
#   → sfcli (the official sf CLI against the emulator) → extension host (VS Code) → e2e (workbench UI)
# The extension-host and e2e tiers run on two VS Code hosts (scripts/host/paths.ts): `floor` (VS Code
# 1.100.3 on Node 20, the engines.vscode floor) and `latest` (VS Code 1.139.1 on Node 24, the newest
# code-server on the npm registry); the *-latest tiers are the latter.
# Prints each tier's summary and a final table. It installs what the tiers need first
# (scripts/install-test-deps.sh: Debian packages, code-server, the official sf CLI with its own
# Node 22 in .cache/sf-cli; idempotent, a second or two when everything is present), so a fresh
# clone needs only `npm install && npm test`. Without the sf CLI install the sfcli tier is skipped
# with a message, except under CI, where it runs (and fails if the CLI is missing).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log_dir=test-output/tiers
rm -rf "$log_dir" test-output/screenshots test-output/screenshots-latest
mkdir -p "$log_dir"
summary=()
status=0

tier() { # name, command...
  local name=$1
  shift
  local t0=$SECONDS
  printf '\n===== %s: %s\n' "$name" "$*"
  "$@" 2>&1 | tee "$log_dir/$name.log"
  local rc=${PIPESTATUS[0]}
  local secs=$((SECONDS - t0))
  # mocha's "N passing / N failing / N pending", or the runner's "N passed, N failed" line.
  local counts
  counts=$(grep -E '^\s+[0-9]+ (passing|failing|pending)|[0-9]+ passed, [0-9]+ failed' "$log_dir/$name.log" |
    sed -E 's/^\s+//; s/ \([0-9.]+m?s\)$//' | tr '\n' ' ')
  if [ "$rc" -eq 0 ]; then
    summary+=("$(printf '%-16s ok     %4ss  %s' "$name" "$secs" "$counts")")
  else
    summary+=("$(printf '%-16s FAILED %4ss  %s' "$name" "$secs" "$counts")")
    status=$rc
  fi
  return "$rc"
}

# The sfcli tier: skipped only on a machine without the CLI install, never under CI.
sfcli_tier() {
  if [ -x .cache/sf-cli/bin/sf ] || [ -n "${CI:-}" ]; then
    tier sfcli npx mocha --config .mocharc.sfcli.json
    return
  fi
  local why='the official sf CLI is not installed (.cache/sf-cli); install it with: bash scripts/install-sf-cli.sh'
  printf '\n===== sfcli: skipped: %s\n' "$why"
  summary+=("$(printf '%-16s skipped       %s' sfcli "$why")")
}

tier deps bash scripts/install-test-deps.sh &&
  tier compile npm run -s compile &&
  tier lint npx eslint --max-warnings 0 . &&
  tier build npm run -s build &&
  tier unit npx mocha --config .mocharc.unit.json &&
  tier integration npx mocha --config .mocharc.integration.json &&
  tier cli npx mocha --config .mocharc.cli.json &&
  sfcli_tier &&
  tier extension node out/scripts/run-vscode-tests.js --host floor &&
  tier extension-latest node out/scripts/run-vscode-tests.js --host latest &&
  tier e2e env CHANGELINE_VSCODE_HOST=floor npx mocha --config .mocharc.e2e.json &&
  tier e2e-latest env CHANGELINE_VSCODE_HOST=latest npx mocha --config .mocharc.e2e.json

printf '\n===== summary (logs in %s)\n' "$log_dir"
printf '%s\n' "${summary[@]}"
# One closing line over every tier that ran (mocha's own "N passing/failing/pending" lines).
total() { cat "$log_dir"/*.log 2>/dev/null | grep -E "^\s+[0-9]+ $1" | awk '{n += $1} END {print n + 0}'; }
printf 'tests: %s passed, %s failed, %s skipped\n' "$(total passing)" "$(total failing)" "$(total pending)"
exit "$status"
