"""Re-run the golden quotes through the built bundle: the frozen desk must quote exactly as the
source tree does.

    python packaging/check_bundle_quotes.py dist/refund-desk/refund-desk [--all] [--jobs 2]

With the bundle's own command line (no Python from the checkout involved) it creates the demo
database (``refund-desk demo``), then quotes instances with ``refund-desk quote --format json``
and compares each answer with ``tests/golden/demo_quotes.json`` (the snapshot
``tests/services/test_golden_demo.py`` keeps in step with the source): every field the snapshot
holds must be equal -- outcome, amounts (CNY), routes, rule ids, flags, processing dates. This
catches what a smoke run cannot: a holiday calendar, a policy table or a migration missing from the
bundle, or a frozen module behaving differently.

By default: the snapshot's worked scenarios (each with its own cancellation time) plus every 20th
instance at the snapshot's fixed time; ``--all`` checks every instance (about 5 minutes).

Exit status 0 when every answer matches, 1 otherwise (each difference printed with its field).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "demo_quotes.json"


def differences(expected, actual, path: str = "") -> list[str]:
    """Where ``actual`` differs from ``expected``, for the keys ``expected`` has (dicts are
    compared on the expected keys only; lists item by item, same length)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path or '.'}: expected an object, got {actual!r}"]
        out = []
        for key, value in expected.items():
            if key not in actual:
                out.append(f"{path}.{key}: missing")
            else:
                out.extend(differences(value, actual[key], f"{path}.{key}"))
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{path}: expected {expected!r}, got {actual!r}"]
        out = []
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            out.extend(differences(e, a, f"{path}[{i}]"))
        return out
    return [] if expected == actual else [f"{path}: expected {expected!r}, got {actual!r}"]


def cases(golden: dict, check_all: bool) -> list[tuple[str, str, dict]]:
    """(instance id, cancellation time ISO 8601, expected quote) to check."""
    out = [(s["instance_id"], s["cancel_at"], s["quote"]) for s in golden["scenarios"]]
    instances = sorted(golden["instances"].items())
    step = 1 if check_all else 20
    out += [(iid, golden["fixed_cancel_at"], q) for iid, q in instances[::step]]
    return out


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("executable", type=Path, help="the bundle's refund-desk executable")
    parser.add_argument("--golden", type=Path, default=GOLDEN)
    parser.add_argument("--all", action="store_true", help="check every demo instance")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args(argv)

    golden = json.loads(args.golden.read_text(encoding="utf-8"))
    todo = cases(golden, args.all)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "PATH": os.environ.get("PATH", "")
            if sys.platform.startswith("win")
            else "/usr/bin:/bin",
            "HOME": tmp,
            "LANG": "C.UTF-8",
            "REFUND_DESK_HOME": str(Path(tmp) / "data"),
        }
        if sys.platform.startswith("win"):
            env["SYSTEMROOT"] = os.environ.get("SYSTEMROOT", r"C:\Windows")
        db = Path(tmp) / "demo.db"
        exe = str(args.executable)
        subprocess.run(
            [exe, "demo", "--path", str(db)], env=env, check=True, stdout=subprocess.DEVNULL
        )

        def check(case: tuple[str, str, dict]) -> list[str]:
            iid, cancel_at, expected = case
            proc = subprocess.run(
                [exe, "quote", iid, "--cancel-at", cancel_at, "--db", str(db), "--format", "json"],
                env=env,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
            )
            if "error" in expected:  # the source refuses this quote: so must the bundle
                if proc.returncode == 2 and expected["error"] in proc.stderr:
                    return []
                return [
                    f"{iid} @ {cancel_at}: expected refusal {expected['error']!r}, got "
                    f"exit {proc.returncode}: {proc.stderr.strip() or proc.stdout[:80]}"
                ]
            if proc.returncode != 0:
                return [f"{iid} @ {cancel_at}: exit {proc.returncode}: {proc.stderr.strip()}"]
            return [
                f"{iid} @ {cancel_at}: {d}" for d in differences(expected, json.loads(proc.stdout))
            ]

        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            problems = [p for found in pool.map(check, todo) for p in found]
    for line in problems:
        print(f"check_bundle_quotes: {line}", file=sys.stderr)
    if problems:
        print(f"check_bundle_quotes: {len(problems)} difference(s) in {len(todo)} quotes")
        return 1
    print(f"check_bundle_quotes: {len(todo)} quotes from the bundle match {args.golden.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
