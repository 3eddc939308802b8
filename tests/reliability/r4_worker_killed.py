"""R4: the Celery worker is killed with SIGKILL in the middle of a batch of sends.

The batch holds both audiences of the outbox: hiring managers' survey invitations (queued when their placements
close) and candidates' check-ins (rows as the daily planning writes them, queued by the beat's sweep). No email
is lost: the messages the dead worker held and the claims it
left are picked up by the outbox sweep once the claim lease has run out
(INVITATION_CLAIM_LEASE_SECONDS=30 here; 300 s by default). An email can go
twice only if the kill fell between the SMTP server's OK and the commit, and
then with the same Message-ID, so mail systems show it once.

    .venv/bin/python -m tests.reliability.r4_worker_killed [--short]
"""

import sys
import time
from concurrent.futures import ThreadPoolExecutor

from tests.reliability.stack import Stack, api_call, manage, placement_body, run

SHORT = "--short" in sys.argv
COUNT = 100 if SHORT else 300
CONCURRENCY = 2
# The check-ins the daily planning would make today for these placements: one row each, due now.
CHECKINS = """
from django.utils import timezone
from checkins.models import CheckIn
from placements.models import Placement
now = timezone.now()
rows = [CheckIn(organisation_id=p.organisation_id, placement=p, recruiter_id=p.recruiter_id, stage="first_week",
                planned_on=timezone.localdate(), send_after=now, language=p.candidate_language)
        for p in Placement.objects.exclude(candidate_email="")]
print("CHECKINS", len(CheckIn.objects.bulk_create(rows)))
"""


def main(checks):
    with Stack(name="r4", worker_concurrency=CONCURRENCY, env_extra={"INVITATION_CLAIM_LEASE_SECONDS": 30}) as stack:
        key = stack.setup(0)["key"]
        stack.start_web()
        stack.start_beat()

        def close(i):
            body = placement_body("R4", i) | {"candidate_email": f"r4-candidate{i}@kandidaat.example.nl"}
            return api_call(stack.base, key, "/placements", body)[0], api_call(
                stack.base, key, f"/placements/R4-{i}/close"
            )[0]

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(close, range(COUNT)))
        ids = [row[0] for row in stack.sql("SELECT id FROM nps_invitation ORDER BY id")]
        assert manage(stack.env, "shell", "-c", CHECKINS).split("CHECKINS ", 1)[1].strip() == str(COUNT)
        checkin_ids = [row[0] for row in stack.sql("SELECT id FROM checkins_checkin ORDER BY id")]
        total = COUNT + len(checkin_ids)
        stack.start_worker()
        while stack.sink.received < total // 3:
            time.sleep(0.02)
        stack.kill_worker()
        killed_at, received_at_kill = time.monotonic(), stack.sink.received
        stack.start_worker()
        deadline = killed_at + 150

        def sent_count():
            return stack.sql(
                "SELECT (SELECT count(*) FROM nps_invitation WHERE status = 'sent')"
                " + (SELECT count(*) FROM checkins_checkin WHERE status = 'sent')"
            )[0][0]

        # Done when every email arrived and every row says so: a send cut between the SMTP server's OK
        # and the commit still says "sending" until its lease runs out and the sweep sends it again.
        while time.monotonic() < deadline and (len(stack.sink.message_ids) < total or sent_count() < total):
            time.sleep(1)
        done_after = time.monotonic() - killed_at
        time.sleep(3)
        expected = {f"<evalportal.invitation.{pk}.0@127.0.0.1>" for pk in ids}
        expected |= {f"<evalportal.checkin-invitation.{pk}.0@127.0.0.1>" for pk in checkin_ids}
        got = set(stack.sink.message_ids)
        duplicates = {mid: n for mid, n in stack.sink.message_ids.items() if n > 1}
        sent = sent_count()
        checks.figure("invitations", COUNT)
        checks.figure("check-ins", len(checkin_ids))
        checks.figure("emails in when the worker was killed", received_at_kill)
        checks.figure("all sent and recorded, after the kill (s)", round(done_after, 1))
        checks.figure("emails sent twice (same Message-ID)", len(duplicates))
        checks.check("every placement closed", all(a == (201, 200) for a in answers))
        checks.check("no invitation or check-in lost: one Message-ID for each", got == expected, len(expected - got))
        checks.check("every invitation and check-in marked sent", sent == total, sent)
        checks.check(
            f"at most {CONCURRENCY} sent twice (only the ones in flight at the kill)",
            len(duplicates) <= CONCURRENCY,
            duplicates,
        )


if __name__ == "__main__":
    sys.exit(run(main))
