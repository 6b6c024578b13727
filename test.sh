#!/usr/bin/env bash
# The one test command of BlazorOs (see README): installs what is missing, builds the solution once,
# runs every suite (unit, component, end-to-end in Chromium, and the front-end's node tests) and ends
# with the line "N passed, N failed[, N skipped]". Exits non-zero when a test failed or a suite did not run.
#
#   ./test.sh                      # Release build
#   CONFIGURATION=Debug ./test.sh  # Debug build
#
# Results: TestResults/<suite>/<suite>.trx, screenshots of the browser tests in TestResults/e2e-screenshots/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$(pwd)
CONFIGURATION=${CONFIGURATION:-Release}
RESULTS="$ROOT/TestResults"
SOLUTION=BlazorOs.sln

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_CLI_UI_LANGUAGE=en NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false NPM_CONFIG_UPDATE_NOTIFIER=false

START=$SECONDS
PASSED=0 FAILED=0 SKIPPED=0
SUMMARY=()   # one "<suite>: ..." line per suite
PROBLEMS=()  # suites that did not run cleanly

step() { printf '\n==> %s\n' "$*"; }

finish() {
  echo
  echo "---- Test summary ($((SECONDS - START)) s) ----"
  local line
  for line in "${SUMMARY[@]}"; do echo "$line"; done
  for line in "${PROBLEMS[@]}"; do echo "PROBLEM: $line"; done
  if [ -d "$RESULTS/e2e-screenshots" ]; then
    echo "Screenshots: $RESULTS/e2e-screenshots"
  fi
  local closing="$PASSED passed, $FAILED failed"
  if [ "$SKIPPED" -gt 0 ]; then closing+=", $SKIPPED skipped"; fi
  echo "$closing"
  if [ "$FAILED" -gt 0 ] || [ "${#PROBLEMS[@]}" -gt 0 ] || [ "$PASSED" -eq 0 ]; then
    exit 1
  fi
  exit 0
}

# Results of an earlier run would pass for this one's.
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

# ---- 1. What a fresh Debian machine lacks: Chromium and fonts for the browser tests, PostgreSQL's server ----
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == *"install ok installed"* ]]; }
installed fonts-liberation || missing+=(fonts-liberation)
# The PostgreSQL tests start their own throwaway server (scripts/test-postgres.sh), unless BLAZOROS_TEST_POSTGRES
# names one.
if [ -z "${BLAZOROS_TEST_POSTGRES:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  step "Installing ${missing[*]} (apt-get)"
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    if [ -t 0 ]; then SUDO=(sudo); else SUDO=(sudo -n); fi
  fi
  APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q)
  if ! "${APT[@]}" update || ! "${APT[@]}" install -y "${missing[@]}"; then
    PROBLEMS+=("could not install ${missing[*]} with apt-get")
    finish
  fi
fi

# ---- 2. Build once (the Web project's MSBuild target runs npm ci / the esbuild bundle itself) --------
step "Building $SOLUTION ($CONFIGURATION)"
build_start=$SECONDS
if ! dotnet build "$SOLUTION" -c "$CONFIGURATION" -nologo -v:minimal; then
  PROBLEMS+=("the build failed: no suite ran")
  finish
fi
echo "Build took $((SECONDS - build_start)) s"

# Reads one attribute of the <Counters .../> element of a TRX file (0 when absent).
counter() {
  local value
  value=$(grep -o '<Counters [^>]*>' "$1" | head -n 1 | sed -n "s/.* $2=\"\([0-9]*\)\".*/\1/p" || true)
  echo "${value:-0}"
}

add_suite() { # name passed failed skipped [note]
  PASSED=$((PASSED + $2)) FAILED=$((FAILED + $3)) SKIPPED=$((SKIPPED + $4))
  local line="$1: $2 passed, $3 failed"
  if [ "$4" -gt 0 ]; then line+=", $4 skipped"; fi
  SUMMARY+=("$line")
  if [ -n "${5:-}" ]; then echo "$1 took $5"; fi
}

# ---- 3. A PostgreSQL server on loopback for the scale-out provider's tests, stopped when the run ends ----
if [ -z "${BLAZOROS_TEST_POSTGRES:-}" ]; then
  step "Starting a throwaway PostgreSQL server"
  # shellcheck source=scripts/test-postgres.sh
  source scripts/test-postgres.sh
  postgres_root=$(mktemp -d)
  trap 'stop_test_postgres; rm -rf "$postgres_root"' EXIT
  if ! start_test_postgres "$postgres_root"; then
    PROBLEMS+=("the PostgreSQL test server did not start: its tests are skipped")
  fi
fi

# ---- 4. The .NET suites: every test project of the solution under tests/ and e2e/ -------------------
# (benchmarks are programs, not tests: never run here). Unit and component suites first, browser last.
mapfile -t projects < <(dotnet sln "$SOLUTION" list | tr '\\' '/' | grep -E '^(tests|e2e)/.*\.csproj$' \
  | grep -v -i benchmark | sort -t/ -k1,1r -k2,2)
for project in "${projects[@]}"; do
  if [ "$(dotnet msbuild "$project" -getProperty:IsTestProject -p:Configuration="$CONFIGURATION" 2>/dev/null | tr -d "[:space:]")" = "false" ]; then
    continue
  fi
  suite=$(basename "$project" .csproj)
  trx="$RESULTS/$suite/$suite.trx"
  step "Running $suite"
  suite_start=$SECONDS
  set +e
  dotnet test --project "$project" -c "$CONFIGURATION" --no-build --no-progress \
    --results-directory "$RESULTS/$suite" --report-xunit-trx --report-xunit-trx-filename "$suite.trx"
  code=$?
  set -e
  took="$((SECONDS - suite_start)) s"
  if [ ! -f "$trx" ]; then
    PROBLEMS+=("$suite did not run (exit code $code, no $trx)")
    SUMMARY+=("$suite: did not run")
    continue
  fi
  total=$(counter "$trx" total)
  executed=$(counter "$trx" executed)
  passed=$(counter "$trx" passed)
  failed=$(( $(counter "$trx" failed) + $(counter "$trx" error) + $(counter "$trx" timeout) + $(counter "$trx" aborted) ))
  skipped=$(( total - executed ))
  if [ "$skipped" -lt 0 ]; then skipped=0; fi
  add_suite "$suite" "$passed" "$failed" "$skipped" "$took"
  if [ "$code" -ne 0 ] && [ "$failed" -eq 0 ]; then
    PROBLEMS+=("$suite exited with code $code although no test failed")
  fi
  if [ "$total" -eq 0 ]; then
    PROBLEMS+=("$suite ran no test")
  fi
done
if [ "${#SUMMARY[@]}" -eq 0 ]; then
  PROBLEMS+=("no .NET test project found in $SOLUTION")
fi

# ---- 5. The front-end's own tests (node's test runner), when wwwroot-assets has a test script --------
if [ -f wwwroot-assets/package.json ] \
  && node -e 'process.exit(require("./wwwroot-assets/package.json").scripts?.test ? 0 : 1)' 2>/dev/null; then
  step "Running wwwroot-assets (npm test)"
  suite_start=$SECONDS
  if [ ! -d wwwroot-assets/node_modules ]; then
    (cd wwwroot-assets && npm ci --no-audit --no-fund)
  fi
  log="$RESULTS/wwwroot-assets/npm-test.log"
  mkdir -p "$(dirname "$log")"
  set +e
  # Piped, node's runner reports in TAP, which ends with "# pass N" / "# fail N" lines. Its output goes
  # to the log (shown when something failed) so that its counts do not pass for the closing line.
  (cd wwwroot-assets && npm test) > "$log" 2>&1
  code=$?
  set -e
  if [ "$code" -ne 0 ]; then cat "$log"; fi
  took="$((SECONDS - suite_start)) s"
  tap() { sed -n -E "s/^(# |ℹ )$1 ([0-9]+)\$/\2/p" "$log" | tail -n 1; }
  passed=$(tap pass) failed=$(tap fail) cancelled=$(tap cancelled) skipped=$(tap skipped) todo=$(tap todo)
  if [ -z "$passed" ] || [ -z "$failed" ]; then
    PROBLEMS+=("wwwroot-assets tests did not report their counts (npm test exit code $code)")
    SUMMARY+=("wwwroot-assets: did not run")
  else
    add_suite wwwroot-assets "$passed" "$((failed + ${cancelled:-0}))" "$(( ${skipped:-0} + ${todo:-0} ))" "$took"
    if [ "$code" -ne 0 ] && [ "$failed" -eq 0 ]; then
      PROBLEMS+=("wwwroot-assets: npm test exited with code $code although no test failed")
    fi
  fi
fi

finish
