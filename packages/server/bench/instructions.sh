#!/usr/bin/env bash
# `pnpm bench:instructions`: instructions per unknown-route 404, HttpApi native vs Errata, counted by valgrind's
# callgrind (steady where wall time is not). The bench is bundled with esbuild so no TypeScript loader runs; each
# variant runs twice (N=500 and N=2500) and the difference per request is printed. Takes about 6 minutes.
set -euo pipefail
cd "$(dirname "$0")/../../.."
command -v valgrind > /dev/null || { echo "valgrind is not installed (apt-get install valgrind)"; exit 1; }
out=$(mktemp -d)
node_modules/.bin/esbuild packages/server/bench/instructions.ts --bundle --platform=node --format=esm \
  --outfile="$out/bench.mjs" --log-level=warning --external:better-sqlite3 --external:ioredis
count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null node "$out/bench.mjs" 2>&1 > /dev/null | awk '/Collected/ { print $4 }'; }
for variant in native errata; do
  short=$(VARIANT=$variant N=500 count)
  long=$(VARIANT=$variant N=2500 count)
  echo "$variant: $(( (long - short) / 2000 )) instructions per 404"
done
rm -rf "$out"
