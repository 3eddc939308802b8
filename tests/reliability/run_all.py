"""Run the load and fault scripts R1-R6 one after the other and sum them up.

    .venv/bin/python -m tests.reliability.run_all [--short]    (make reliability)

Each script starts and ends its own stack and is bounded in time; this prints
each one's result line, a table of the figures, and `N passed, N failed`.
"""

import re
import subprocess
import sys
import time

from tests.reliability.stack import PYTHON, ROOT

SCRIPTS = [
    "r1_submissions",
    "r2_same_token",
    "r3_broker_down",
    "r4_worker_killed",
    "r5_database_restart",
    "r6_smtp_trouble",
]


def main() -> int:
    short = "--short" in sys.argv
    passed = failed = 0
    table = []
    for name in SCRIPTS:
        started = time.monotonic()
        args = [PYTHON, "-m", f"tests.reliability.{name}", *(["--short"] if short else [])]
        try:
            result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=900)
            output = result.stdout + result.stderr
        except subprocess.TimeoutExpired as exc:
            output = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
            output += "\n0 passed, 1 failed (timed out after 900 s)"
        lines = [line for line in output.splitlines() if line.strip()]
        print(f"== {name} ({time.monotonic() - started:.0f} s)")
        for line in lines:
            if line.startswith(("PASS", "FAIL", "    ")) or re.match(r"^\d+ passed, \d+ failed", line):
                print(line)
        found = re.search(r"(\d+) passed, (\d+) failed", lines[-1] if lines else "")
        if found:
            passed += int(found.group(1))
            failed += int(found.group(2))
        else:
            failed += 1
            print("\n".join(lines[-15:]))
        table.append((name, lines[-1] if lines else "no output"))
    print()
    for name, last in table:
        print(f"{name:<22} {last}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
