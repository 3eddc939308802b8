"""R3: the broker (Redis) is down while an ATS closes placements through the API.

No API request fails and they stay fast during the outage (p99 <= 2.5 s);
every invitation is sent exactly once within 90 s after Redis is back, by the
outbox sweep (default settings: a sweep every 30 s, requeue after 60 s).

    .venv/bin/python -m tests.reliability.r3_broker_down [--short]
"""

import collections
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from benchmarks.common import percentile
from tests.reliability.stack import Stack, api_call, placement_body, run

SHORT = "--short" in sys.argv
COUNT = 150 if SHORT else 500
OUTAGE = 10 if SHORT else 60
CLIENTS = 8


def main(checks):
    with Stack(name="r3") as stack:
        key = stack.setup(0)["key"]
        stack.start_web()
        stack.start_worker()
        stack.start_beat()
        # Spread the closes over the outage and a little before and after it.
        spread = OUTAGE + 10
        started = time.monotonic()
        outage = {"from": started + 4, "to": started + 4 + OUTAGE}
        timings, statuses, lock = [], collections.Counter(), threading.Lock()

        def one(i):
            time.sleep(max(0.0, started + i * spread / COUNT - time.monotonic()))
            body = placement_body("R3", i)
            for path, payload in (("/placements", body), (f"/placements/R3-{i}/close", None)):
                at = time.monotonic()
                try:
                    status, seconds = api_call(stack.base, key, path, payload)
                except Exception as exc:  # noqa: BLE001 - counted as a failure
                    status, seconds = type(exc).__name__, time.monotonic() - at
                with lock:
                    statuses[status] += 1
                    timings.append((at, seconds))

        def outage_run():
            time.sleep(max(0.0, outage["from"] - time.monotonic()))
            stack.stop_redis()
            time.sleep(max(0.0, outage["to"] - time.monotonic()))
            stack.start_redis()
            outage["back"] = time.monotonic()

        breaker = threading.Thread(target=outage_run)
        breaker.start()
        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(one, range(COUNT)))
        breaker.join()
        deadline = outage["back"] + 90
        last_new = None
        while time.monotonic() < deadline and len(stack.sink.message_ids) < COUNT:
            time.sleep(0.5)
        if len(stack.sink.message_ids) >= COUNT:
            last_new = time.monotonic()
        time.sleep(3)  # a duplicate would arrive now
        during = [s for at, s in timings if outage["from"] <= at <= outage["to"]]
        duplicates = sum(n - 1 for n in stack.sink.message_ids.values() if n > 1)
        sent = stack.sql("SELECT count(*) FROM nps_invitation WHERE status = 'sent'")[0][0]
        checks.figure("placements closed through the API", COUNT)
        checks.figure("Redis down (s)", OUTAGE)
        checks.figure("API answers", dict(statuses))
        checks.figure("API requests during the outage", len(during))
        checks.figure("API p99 during the outage (ms)", round(percentile(during, 99) * 1000))
        if last_new:
            checks.figure("all emails in, after Redis was back (s)", round(last_new - outage["back"], 1))
        checks.check("no API error", set(statuses) == {200, 201}, dict(statuses))
        checks.check("API p99 during the outage <= 2.5 s", during and percentile(during, 99) <= 2.5)
        checks.check(f"all {COUNT} emails within 90 s after Redis was back", last_new is not None)
        checks.check("each sent once", duplicates == 0 and len(stack.sink.message_ids) == COUNT, duplicates)
        checks.check("every invitation marked sent", sent == COUNT, sent)


if __name__ == "__main__":
    sys.exit(run(main))
