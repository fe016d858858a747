#!/usr/bin/env bash
# The whole test suite: unit and property tests, CLI tests, and the checks
# against real kernels and kmod. Run from anywhere; installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

passed=0
failed=0
stage() {
  local name=$1; shift
  echo "=== $name"
  if "$@"; then passed=$((passed + 1)); echo "=== $name: ok"
  else failed=$((failed + 1)); echo "=== $name: FAILED"; fi
}

stage "build" swift build
stage "swift test" swift test
for extra in Tests/RealKernel/run Tests/VM/run-all; do
  [ -x "$extra" ] && stage "$extra" "$extra"
done

echo "stages: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
