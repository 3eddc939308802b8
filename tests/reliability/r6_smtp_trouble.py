"""R6: the SMTP server refuses (451) for a while, then hangs, then recovers.

Every invitation is still sent exactly once, the retries are bounded (no
invitation needs more than its maximum attempts, none ends failed), and no
Celery task runs into its time limit: a hanging server costs one
EMAIL_TIMEOUT (10 s) per try, not a stuck worker.

    .venv/bin/python -m tests.reliability.r6_smtp_trouble [--short]
"""

import collections
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tests.reliability.stack import Stack, api_call, placement_body, run

SHORT = "--short" in sys.argv
COUNT = 40 if SHORT else 100
REFUSE = 8 if SHORT else 30
HANG = 6 if SHORT else 20
MAX_ATTEMPTS = 6


def main(checks):
    with Stack(name="r6") as stack:
        key = stack.setup(0)["key"]
        stack.sink.mode = "refuse"
        stack.start_web()
        stack.start_worker()
        stack.start_beat()
        started = time.monotonic()

        def trouble():
            time.sleep(REFUSE)
            stack.sink.mode = "hang"
            time.sleep(HANG)
            stack.sink.mode = "ok"

        breaker = threading.Thread(target=trouble)
        breaker.start()

        def close(i):
            body = placement_body("R6", i)
            api_call(stack.base, key, "/placements", body)
            return api_call(stack.base, key, f"/placements/R6-{i}/close")[0]

        with ThreadPoolExecutor(4) as pool:
            closed = list(pool.map(close, range(COUNT)))
        breaker.join()
        recovered = time.monotonic()
        deadline = recovered + 240
        while time.monotonic() < deadline and len(stack.sink.message_ids) < COUNT:
            time.sleep(1)
        all_in = time.monotonic() - recovered
        time.sleep(3)
        duplicates = sum(n - 1 for n in stack.sink.message_ids.values() if n > 1)
        attempts = collections.Counter(
            row[0] for row in stack.sql("SELECT attempts FROM nps_invitation WHERE status = 'sent'")
        )
        failed = stack.sql("SELECT count(*) FROM nps_invitation WHERE status = 'failed'")[0][0]
        log = stack.worker_log()
        checks.figure("invitations", COUNT)
        checks.figure("SMTP refused (451) for (s)", REFUSE)
        checks.figure("then hung for (s)", HANG)
        checks.figure("refusals / hung sessions seen by the server", f"{stack.sink.refused} / {stack.sink.hung}")
        checks.figure("attempts per sent invitation", dict(sorted(attempts.items())))
        checks.figure("all in, after the server recovered (s)", round(all_in, 1))
        checks.figure("whole run (s)", round(time.monotonic() - started, 1))
        checks.check("every placement closed", set(closed) == {200})
        checks.check("all sent", len(stack.sink.message_ids) == COUNT, len(stack.sink.message_ids))
        checks.check("each once", duplicates == 0, duplicates)
        checks.check(
            f"retries bounded (at most {MAX_ATTEMPTS} attempts, none failed)",
            failed == 0 and max(attempts, default=0) <= MAX_ATTEMPTS,
        )
        checks.check("no task ran into its time limit", "TimeLimitExceeded" not in log and "Hard time limit" not in log)


if __name__ == "__main__":
    sys.exit(run(main))
