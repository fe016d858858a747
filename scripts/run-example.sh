#!/usr/bin/env bash
# The main job: build bindrace and report on a bundled trace of a real
# vfio-pci vs e1000 race. bindrace exits 1 when it finds a race; that is the
# expected outcome here, so this script succeeds on 0 or 1 and fails on 2.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --product bindrace
trace=${1:-traces/scenarios/vfio-vs-e1000-modprobe-race.jsonl}
set +e
.build/debug/bindrace report "$trace"
status=$?
set -e
[ "$status" -le 1 ]
