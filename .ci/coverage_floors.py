"""Coverage per package against its floor: fails (exit 1) naming each package below its floor.

    python .ci/coverage_floors.py coverage.json [--print-only]

Reads coverage.py's JSON report (``pytest --cov=refund_desk --cov-branch
--cov-report=json:coverage.json``). A package's figure is coverage.py's own percentage with
branch coverage: (lines run + branches taken) / (lines + branches), summed over the package's
files (``refund_desk/<package>/**``); the floor is on the branch figure alone, branches taken /
branches (as issue 15 measured them), and both are printed. The floors only go up: raise one
when a package's figure has risen, never lower one to let a change through.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import PurePosixPath

FLOORS = {  # branch coverage, percent: issue 15's figures, raised to what main measures now
    # (2026-12-03, a fresh clone's .ci/run after the restructuring: policy 99.2, store 89.3,
    # services 93.4, training 87.1, ui 79.5, demo_data 94.7), less a margin of a few branches
    # for what varies between runs: Hypothesis' examples, timing-dependent paths in the window
    # and the live feed.
    "policy": 98.5,  # issue 15: 95.6
    "store": 88.5,  # 87.5
    "services": 92.0,  # 84.7
    "training": 86.5,  # 84.3
    "ui": 79.0,  # 75.1
    "demo_data": 94.0,  # new package (the generator, issue 15)
}


def per_package(report: dict) -> dict[str, dict[str, float]]:
    """``{package: {"percent", "lines", "branches", "branch_percent"}}`` from coverage's JSON
    ``report``, for every package of ``refund_desk`` (top-level modules under ``(top)``)."""
    sums: dict[str, list[int]] = {}
    for name, data in report["files"].items():
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if "refund_desk" not in parts:
            continue
        rest = parts[parts.index("refund_desk") + 1 :]
        package = rest[0] if len(rest) > 1 else "(top)"
        s = data["summary"]
        acc = sums.setdefault(package, [0, 0, 0, 0])
        acc[0] += s["covered_lines"]
        acc[1] += s["num_statements"]
        acc[2] += s.get("covered_branches", 0)
        acc[3] += s.get("num_branches", 0)
    figures = {}
    for package, (lines_run, lines, taken, branches) in sorted(sums.items()):
        figures[package] = {
            "percent": 100.0 * (lines_run + taken) / max(1, lines + branches),
            "lines": lines,
            "branches": branches,
            "branch_percent": 100.0 * taken / max(1, branches),
        }
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", help="coverage.py JSON report")
    parser.add_argument("--print-only", action="store_true", help="print, check no floor")
    args = parser.parse_args(argv)
    with open(args.report, encoding="utf-8") as f:
        figures = per_package(json.load(f))
    head = ("package", "branches", "floor", "lines+br", "lines", "branches")
    print("{:<10} {:>9} {:>6} {:>9} {:>6} {:>8}".format(*head))
    below = []
    for package, fig in figures.items():
        floor = FLOORS.get(package)
        print(
            f"{package:<10} {fig['branch_percent']:8.1f}% {floor if floor else '':>6} "
            f"{fig['percent']:8.1f}% {fig['lines']:6d} {fig['branches']:8d}"
        )
        if floor is not None and round(fig["branch_percent"], 1) < floor:
            below.append(f"{package} {fig['branch_percent']:.1f}% of branches < floor {floor}%")
    missing = sorted(set(FLOORS) - set(figures))
    below += [f"{package}: not in the report" for package in missing]
    if below and not args.print_only:
        for line in below:
            print(f"coverage below its floor: {line}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
