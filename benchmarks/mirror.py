"""The mirror and the client review report for one client with --responses answered surveys (10,000 by default),
each with 10 topic answers, a closed placement with its facts and, for most, the recruiter's rating, in a throwaway
PostgreSQL database (or a SQLite file with --sqlite). The pages are asked through the whole middleware, as an
administrator (the whole organisation in scope); it prints the median time and queries of each, and, last:
BENCH mirror_p50_ms=<ms> mirror_queries=<n> responses=<n>

The goal: both within 250 ms, in a number of queries that does not grow with the responses.

    .venv/bin/python benchmarks/mirror.py [--responses 10000] [--sqlite] [--runs 7]
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import base_env, create_database, drop_database, staff_browser, time_pages  # noqa: E402

RECRUITERS = 12
TARGET_MS = 250


def populate(count: int, rng: random.Random):
    from django.utils import timezone

    from accounts.models import Organisation, User
    from nps.models import Answer, ClientRating, Commitment, Invitation, InvitationPlacement, Response
    from placements.models import Client, Contact, Placement
    from surveys import services
    from surveys.models import Topic

    org = Organisation.objects.create(name="Bench")
    admin = User.objects.create_user(email="admin@bench.example.nl", organisation=org, role="admin", is_staff=True)
    recruiters = User.objects.bulk_create(
        User(email=f"r{i}@bench.example.nl", organisation=org, first_name="R", last_name=str(i))
        for i in range(RECRUITERS)
    )
    client = Client.objects.create(organisation=org, name="De grote klant")
    contacts = Contact.objects.bulk_create(
        Contact(organisation=org, client=client, name=f"M {i}", email=f"m{i}@klant.example.nl") for i in range(200)
    )
    topics = list(Topic.objects.filter(organisation__isnull=True)[:10])
    survey = services.survey_create(
        organisation=org, user=admin, name="Bench", kind="online", topic_ids=[t.pk for t in topics]
    )
    services.survey_publish(survey=survey, user=admin, revision=survey.revision)
    version = survey.versions.get()
    version_topics = list(version.topics.all())
    now = timezone.now()
    for start in range(0, count, 2000):
        size = min(2000, count - start)
        moments = [now - datetime.timedelta(hours=rng.randint(24, 365 * 24)) for _ in range(size)]
        placements = Placement.objects.bulk_create(
            Placement(
                organisation=org,
                client=client,
                contact=contacts[(start + i) % len(contacts)],
                recruiter=recruiters[(start + i) % RECRUITERS],
                candidate_name=f"Kandidaat {start + i}",
                job_title="Planner",
                start_date=moment.date(),
                search_started_on=moment.date() - datetime.timedelta(days=rng.randint(15, 90)),
                candidates_introduced=rng.randint(1, 9),
                client_feedback_days=rng.randint(1, 10),
                status="closed",
                closed_at=moment,
            )
            for i, moment in enumerate(moments)
        )
        invitations = Invitation.objects.bulk_create(
            Invitation(
                organisation=org,
                contact=p.contact,
                recruiter=p.recruiter,
                survey_version=version,
                status="sent",
                send_after=p.closed_at,
                sent_at=p.closed_at,
            )
            for p in placements
        )
        InvitationPlacement.objects.bulk_create(
            InvitationPlacement(placement=p, invitation=inv) for p, inv in zip(placements, invitations, strict=True)
        )
        answered = [p.closed_at + datetime.timedelta(hours=rng.randint(1, 72)) for p in placements]
        responses = Response.objects.bulk_create(
            Response(
                organisation=org,
                invitation=inv,
                survey_version=version,
                recruiter=p.recruiter,
                client=client,
                contact=p.contact,
                nps_score=rng.choice([3, 6, 7, 8, 9, 9, 10, 10]),
                completed_at=moment,
                completed_on=moment.date(),
            )
            for p, inv, moment in zip(placements, invitations, answered, strict=True)
        )
        Answer.objects.bulk_create(
            Answer(response=r, version_topic=vt, topic_id=vt.topic_id, score=rng.randint(1, 5))
            for r in responses
            for vt in version_topics
        )
        ClientRating.objects.bulk_create(
            ClientRating(
                organisation=org,
                placement=p,
                client=client,
                recruiter=p.recruiter,
                briefing=rng.randint(1, 5),
                feedback_speed=rng.randint(1, 5),
                reachability=rng.randint(1, 5),
                decision_speed=rng.randint(1, 5),
            )
            for p in placements
            if rng.random() < 0.8
        )
    Commitment.objects.bulk_create(
        Commitment(
            organisation=org,
            client=client,
            owner=rng.choice(["client", "agency"]),
            source="expectation",
            text=f"Afspraak {i}",
            recruiter=recruiters[i % RECRUITERS],
            status=rng.choice(["open", "kept", "kept", "not_kept"]),
            resolved_at=now - datetime.timedelta(days=rng.randint(1, 300)),
        )
        for i in range(60)
    )
    return admin, client


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file instead of PostgreSQL")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--slowest", type=int, default=0, help="print this many slowest queries of each page")
    parser.add_argument("--profile", action="store_true", help="print where the mirror's time goes (cProfile)")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="evalportal-mirror-"))
    database = f"sqlite:///{workdir / 'bench.sqlite3'}" if args.sqlite else create_database(args.database_url)
    os.environ.update(base_env(DATABASE_URL=database, ALLOWED_HOSTS="testserver", CACHE_URL="locmem://"))
    os.environ["CELERY_BROKER_URL"] = "memory://"
    os.environ["DJANGO_SETTINGS_MODULE"] = "evalportal.settings"
    try:
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.sqlite:
            drop_database(args.database_url, database)


def run(args) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", "--no-input", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)  # pages render with the production static storage
    began = time.perf_counter()
    admin, client = populate(args.responses, random.Random(5))
    print(f"{args.responses} responses of one client created in {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    call_command("rebuild_summaries", verbosity=0)  # kept current in production by reporting's tasks
    print(f"day and month summaries built in {time.perf_counter() - began:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does after a load like this
    browser = staff_browser(admin)
    if args.profile:
        import cProfile
        import pstats

        browser.get(f"/dashboard/clients/{client.pk}/mirror/")  # warm: imports and templates
        profiler = cProfile.Profile()
        profiler.enable()
        browser.get(f"/dashboard/clients/{client.pk}/mirror/")
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    pages = {
        "the mirror": f"/dashboard/clients/{client.pk}/mirror/",
        "the client review report": f"/dashboard/clients/{client.pk}/review/",
    }
    p50, most = time_pages(browser, pages, runs=args.runs, slowest=args.slowest, target_ms=TARGET_MS)
    print(f"BENCH mirror_p50_ms={p50:.0f} mirror_queries={most} responses={args.responses}")
    return 0 if p50 <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
