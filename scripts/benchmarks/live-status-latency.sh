#!/usr/bin/env bash
# Step event → browser DOM latency on the Runs page (p50/p95/p99, 1 and 20 runs in parallel; goal p95 < 100 ms).
# Runs the explicit, Perf-tagged Playwright test that the normal suite skips, and prints its PERF lines.
# Needs a Release build of the solution first (./test.sh or dotnet build BlazorOs.sln -c Release).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
log=$(mktemp)
dotnet test --project e2e/BlazorOs.E2E -c "${CONFIGURATION:-Release}" --no-build --no-progress --output Detailed -- \
  --filter-class "*LiveStatusPerfTests" --explicit only > "$log" 2>&1 || { cat "$log"; exit 1; }
grep -h "PERF" "$log"
