#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs (Debian packages with apt-get,
# Python packages with pip), builds, runs the Swift tests, then the browser tests against the real
# binary, and prints one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }

# --- What the suites need -------------------------------------------------------------------
missing=()
dpkg -s libsqlite3-dev >/dev/null 2>&1 || missing+=(libsqlite3-dev)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
if ((${#missing[@]})); then
  log "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  # The Debian package may start a system nginx on port 80; the tests run their own.
  pkill -x nginx 2>/dev/null || true
fi
# selenium 4.40 is the newest whose dependencies PyPI serves here (4.52 needs an unpublished certifi).
# selenium-axe-python carries axe-core 4.9.1, which has the WCAG 2.2 rules (axe-selenium-python's
# axe-core 3.1.1 predates them); it asks only for selenium>=4.7, so the pin above holds.
python3 -c 'import selenium, pytest, selenium_axe_python' 2>/dev/null || {
  log "Installing Python packages"
  pip install -q "selenium==4.40.0" pytest "selenium-axe-python==2.2.0"
}

# --- Lint -------------------------------------------------------------------------------------
log "Formatting (swift format lint, settings in .swift-format)"
swift format lint --strict -r Sources Tests Package.swift

# --- Build ------------------------------------------------------------------------------------
log "Building (debug, with tests)"
swift build --build-tests 2>&1 | grep -v '^\[' || true
swift build --build-tests >/dev/null  # fails the script if the build failed

# --- A PostgreSQL server for the store and multi-instance suites -------------------------------
log "Starting a throwaway PostgreSQL on loopback"
eval "$(scripts/postgres.sh start)"
trap 'scripts/postgres.sh stop "$TEST_POSTGRES_DIR"' EXIT
echo "$TEST_POSTGRES_URL"

# --- Swift tests ------------------------------------------------------------------------------
log "Swift tests"
swift_log=$(mktemp)
set +e
# The full log goes to test-artifacts/; the console shows failures and the totals.
mkdir -p test-artifacts
swift test --skip-build 2>&1 | tee "$swift_log" test-artifacts/swift-test.log | grep -E '✘|error:|Fatal' || true
swift_status=${PIPESTATUS[0]}
set -e
swift_summary=$(grep -E 'Test run with [0-9]+ tests?' "$swift_log" | tail -1)
swift_total=$(sed -nE 's/.*Test run with ([0-9]+) tests?.*/\1/p' <<<"$swift_summary")
# One line per failed test ("✘ Test … failed after …"); a test's recorded issues are not counted again.
swift_failed=$({ grep -E '^✘ Test ".*" .*failed after' "$swift_log" || true; } | sort -u | wc -l)
# A failed test fails the run whatever swift test's exit status says.
if [ "$swift_failed" -gt 0 ]; then swift_status=1; fi
echo "$swift_summary"
# A skipped suite must not pass for a run one: everything it needs is set up above.
if grep -E '(Test|Suite) ".*" skipped' "$swift_log"; then
  echo "error: tests were skipped; the test command must run every suite" >&2
  swift_status=1
  swift_failed=$((swift_failed + 1))
fi

# --- Browser tests ----------------------------------------------------------------------------
log "Browser tests (headless Chromium against the real binary)"
set +e
python3 -m pytest -q -p no:cacheprovider Tests/Browser 2>&1 | tee /tmp/browser-tests.log
browser_status=${PIPESTATUS[0]}
set -e
browser_passed=$(grep -oE '[0-9]+ passed' /tmp/browser-tests.log | tail -1 | grep -oE '[0-9]+' || echo 0)
browser_failed=$(grep -oE '[0-9]+ failed' /tmp/browser-tests.log | tail -1 | grep -oE '[0-9]+' || echo 0)

# --- Summary ----------------------------------------------------------------------------------
swift_total=${swift_total:-0}
if [ "$swift_status" -ne 0 ] && [ "$swift_failed" -eq 0 ]; then swift_failed=1; fi
swift_passed=$((swift_total - swift_failed))
log "Summary: swift ${swift_passed}/${swift_total} passed; browser ${browser_passed} passed, ${browser_failed} failed"
echo "$((swift_passed + browser_passed)) passed, $((swift_failed + browser_failed)) failed"
[ "$swift_status" -eq 0 ] && [ "$browser_status" -eq 0 ]
