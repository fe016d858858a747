#!/usr/bin/env python3
"""Checks `bindrace report --format json` of one real trace against a scenario.

Usage: check-analysis.py REPORT.json DEVICE VERDICT OBSERVED
VERDICT is `race` (a vfio-vs-native race) or `deterministic`. OBSERVED is the
driver sysfs showed bound at the end of the boot. Asserts, printing one line
per failure and exiting 1: the device's verdict; the observed winner is among
the feasible winners; replaying the observed order reproduced the observed
binding of every device (no `unexplained`)."""
import json
import sys

report_path, device, verdict, observed = sys.argv[1:5]
with open(report_path) as f:
    report = json.load(f)
failures = []
by_name = {d["device"]: d for d in report["devices"]}
d = by_name.get(device)
if d is None:
    failures.append(f"no result for {device}")
else:
    want = {"race": "race-vfio-vs-native", "deterministic": "deterministic"}[verdict]
    if d["verdict"] != want:
        failures.append(f"{device}: verdict {d['verdict']}, expected {want}")
    if d.get("observed_winner") != observed:
        failures.append(f"{device}: analysis observed {d.get('observed_winner')}, sysfs said {observed}")
    if observed not in d.get("feasible_winners", []):
        failures.append(f"{device}: observed {observed} not among feasible winners {d.get('feasible_winners')}")
for other in report["devices"]:
    if other.get("unexplained"):
        failures.append(f"{other['device']}: unexplained: {other['unexplained']}")
for line in failures:
    print(line)
sys.exit(1 if failures else 0)
