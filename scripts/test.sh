#!/usr/bin/env bash
# The whole test suite: unit, property and CLI tests, the project's traces
# checked against their expectations, and the checks against a real Debian
# kernel and kmod (and, where present, the QEMU capture stage and the browser
# test). Run from anywhere; installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

passed=0
failed=0
stage() {
  local name=$1; shift
  echo "=== $name"
  local start=$SECONDS
  if "$@"; then passed=$((passed + 1)); echo "=== $name: ok ($((SECONDS - start)) s)"
  else failed=$((failed + 1)); echo "=== $name: FAILED ($((SECONDS - start)) s)"; fi
}

stage "build" swift build
BINDRACE="$(swift build --show-bin-path)/bindrace"
export BINDRACE
stage "swift test" swift test
stage "traces vs expectations" bash Tests/Check/run
stage "kmod differential (real Debian kernel)" bash Tests/RealKernel/differential.sh
stage "build level on emulated CPUs" sh Tests/CPU/run
for extra in Tests/VM/run-all Tests/Browser/run; do
  [ -x "$extra" ] && stage "$extra" "$extra"
done

echo "stages: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
