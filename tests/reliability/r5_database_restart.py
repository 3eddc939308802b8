"""R5: PostgreSQL restarts while hiring managers submit their surveys.

Nothing is lost and nothing is half-stored; while the database is away the
site answers a friendly 503 (never a 500), and it serves again within 10 s
without restarting gunicorn. The clients do what a person would: try again.

    .venv/bin/python -m tests.reliability.r5_database_restart [--short]
"""

import collections
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tests.reliability.stack import Stack, open_surveys, run

SHORT = "--short" in sys.argv
COUNT = 100 if SHORT else 300
CLIENTS = 10
SPREAD = 12 if SHORT else 20  # seconds over which the submissions are spread


def main(checks):
    with Stack(name="r5") as stack:
        setup = stack.setup(COUNT)
        stack.start_web()
        stack.start_worker()
        scores = dict.fromkeys(setup["version_topics"], 4)

        opened = open_surveys(stack.base, setup["links"], CLIENTS)
        statuses, lock = collections.Counter(), threading.Lock()
        successes = []
        started = time.monotonic()

        def submit(item):
            i, (browser, location) = item
            time.sleep(max(0.0, started + i * SPREAD / COUNT - time.monotonic()))
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    status = browser.submit(location, 9, scores)[0]
                except OSError as exc:
                    status = type(exc).__name__
                with lock:
                    statuses[status] += 1
                if status == 302:
                    with lock:
                        successes.append(time.monotonic())
                    return True
                time.sleep(0.5)
            return False

        restart = {}

        def restart_database():
            time.sleep(SPREAD / 3)
            restart["at"] = time.monotonic()
            stack.restart_postgres()
            restart["up"] = time.monotonic()

        restarter = threading.Thread(target=restart_database)
        restarter.start()
        with ThreadPoolExecutor(CLIENTS) as pool:
            done = list(pool.map(submit, enumerate(opened)))
        restarter.join()
        after = [t for t in successes if t > restart["up"]]
        recovered = (min(after) - restart["at"]) if after else None
        completed = stack.sql("SELECT count(*) FROM nps_response WHERE completed_at IS NOT NULL")[0][0]
        partial = stack.sql(
            "SELECT count(*) FROM nps_response r WHERE r.completed_at IS NULL OR "
            f"(SELECT count(*) FROM nps_answer a WHERE a.response_id = r.id) <> {len(scores)}"
        )[0][0]
        checks.figure("submissions", COUNT)
        checks.figure("answers seen by the clients", dict(statuses))
        checks.figure("database restart took (s)", round(restart["up"] - restart["at"], 1))
        if recovered is not None:
            checks.figure("serving again after the restart began (s)", round(recovered, 1))
        checks.check("no 500, only 302 and the friendly 503", set(statuses) <= {302, 503}, dict(statuses))
        checks.check("every submission stored in the end", all(done) and completed == COUNT, completed)
        checks.check("none half-stored", partial == 0, partial)
        checks.check("serving again within 10 s, gunicorn untouched", recovered is not None and recovered <= 10)


if __name__ == "__main__":
    sys.exit(run(main))
