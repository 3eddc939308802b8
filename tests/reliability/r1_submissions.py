"""R1: survey submissions on distinct tokens from many concurrent clients.

Every submission is stored with all its answers and no request fails; the
submit throughput is printed next to a hello-world view that does one INSERT
on the same stack, as a ratio (goal >= 0.5). The two are measured in three
alternating rounds, each of a third of the submissions.

    .venv/bin/python -m tests.reliability.r1_submissions [--short]
"""

import collections
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from tests.reliability.stack import Stack, open_surveys, run

SHORT = "--short" in sys.argv
COUNT = 100 if SHORT else 300
CLIENTS = 30
ROUNDS = 3


def main(checks):
    with Stack(name="r1") as stack:
        setup = stack.setup(COUNT)
        stack.start_web()
        stack.start_worker()
        scores = dict.fromkeys(setup["version_topics"], 4)

        opened = open_surveys(stack.base, setup["links"], CLIENTS)
        browsers = [browser for browser, _ in opened]
        with ThreadPoolExecutor(CLIENTS) as pool:  # warm, as for the submits: connections open, code loaded
            list(pool.map(lambda b: b.request("GET", "/__hello"), browsers[:CLIENTS]))

        # The two are measured in alternating rounds of the same size, so a passing load on
        # the machine (or the worker's own work after the submits) weighs on both alike.
        statuses, hello = collections.Counter(), collections.Counter()
        submit_seconds = hello_seconds = 0.0
        size = -(-COUNT // ROUNDS)
        with ThreadPoolExecutor(CLIENTS) as pool:
            for start in range(0, COUNT, size):
                batch = opened[start : start + size]
                started = time.monotonic()
                for status, *_ in pool.map(lambda b: b[0].request("GET", "/__hello"), batch):
                    hello[status] += 1
                hello_seconds += time.monotonic() - started
                started = time.monotonic()
                for status, _, _, _ in pool.map(lambda b: b[0].submit(b[1], 9, scores), batch):
                    statuses[status] += 1
                submit_seconds += time.monotonic() - started

        completed = stack.sql("SELECT count(*) FROM nps_response WHERE completed_at IS NOT NULL")[0][0]
        whole = stack.sql(
            "SELECT count(*) FROM (SELECT response_id FROM nps_answer GROUP BY response_id "
            f"HAVING count(*) = {len(scores)}) AS complete"
        )[0][0]
        submit_rate, hello_rate = COUNT / submit_seconds, COUNT / hello_seconds
        checks.figure("submissions", COUNT)
        checks.figure("concurrent clients", CLIENTS)
        checks.figure("submit responses", dict(statuses))
        checks.figure("submit throughput (/s)", round(submit_rate, 1))
        checks.figure("hello-world INSERT throughput (/s)", round(hello_rate, 1))
        checks.figure("ratio", round(submit_rate / hello_rate, 2))
        checks.check("no 5xx", not any(s >= 500 for s in statuses), dict(statuses))
        checks.check("every submission was accepted (302 to the thank-you page)", statuses[302] == COUNT)
        checks.check(f"exactly {COUNT} responses", completed == COUNT, completed)
        checks.check("each with all its answers", whole == COUNT, whole)
        checks.check("hello-world requests all answered", hello[200] == COUNT, dict(hello))
        if SHORT:
            # 100 submissions are too few for a stable ratio; the full run checks the goal.
            checks.figure("ratio goal >= 0.5", "checked by the full run")
        else:
            checks.check("submit throughput >= 0.5 x hello-world", submit_rate / hello_rate >= 0.5)


if __name__ == "__main__":
    sys.exit(run(main))
