"""R2: many simultaneous posts on one token store one response, made of one post.

25 hiring managers each send 20 different answers at the same moment (a
double click, a flaky network resending, several tabs). Each token ends with
exactly one response, and its scores and comment all come from one post.

    .venv/bin/python -m tests.reliability.r2_same_token [--short]
"""

import collections
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from tests.reliability.stack import Browser, Stack, run

SHORT = "--short" in sys.argv
TOKENS = 10 if SHORT else 25
POSTS = 20


def main(checks):
    with Stack(name="r2", web_threads=10) as stack:
        setup = stack.setup(TOKENS)
        stack.start_web()
        stack.start_worker()
        topics = setup["version_topics"]
        statuses = collections.Counter()
        lock = threading.Lock()

        def one_token(link):
            browser = Browser(stack.base)
            location = browser.open_survey(link[1])
            barrier = threading.Barrier(POSTS)

            def post(k):
                barrier.wait()
                # Post k: every topic k % 5 + 1, NPS k % 11 and comment "post k", so a mix would show.
                data = {"csrfmiddlewaretoken": browser.csrf, "nps": str(k % 11), "action": "submit"}
                data["comment"] = f"post {k}"
                data.update({f"topic_{pk}": str(k % 5 + 1) for pk in topics})
                status, *_ = browser.request("POST", location, data)
                with lock:
                    statuses[status] += 1

            threads = [threading.Thread(target=post, args=(k,)) for k in range(POSTS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

        with ThreadPoolExecutor(5) as pool:
            list(pool.map(one_token, setup["links"]))

        rows = stack.sql(
            "SELECT r.invitation_id, r.nps_score, r.comment, array_agg(a.score) FROM nps_response r "
            "LEFT JOIN nps_answer a ON a.response_id = r.id GROUP BY r.id"
        )
        per_invitation = collections.Counter(row[0] for row in rows)
        mixed = []
        for _invitation, nps, comment, scores in rows:
            k = int(comment.removeprefix("post "))
            if nps != k % 11 or len(scores) != len(topics) or set(scores) != {k % 5 + 1}:
                mixed.append((nps, comment, scores))
        checks.figure("tokens x simultaneous posts", f"{TOKENS} x {POSTS}")
        checks.figure("answers to the posts", dict(statuses))
        checks.check("no 5xx", not any(status >= 500 for status in statuses), dict(statuses))
        checks.check(f"one response per token ({TOKENS})", len(rows) == TOKENS and set(per_invitation.values()) == {1})
        checks.check("each response made of one post", not mixed, mixed[:3])
        checks.check("the posts that came second were told so, not failed", statuses[302] >= TOKENS, dict(statuses))


if __name__ == "__main__":
    sys.exit(run(main))
