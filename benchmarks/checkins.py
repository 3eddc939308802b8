"""The daily check-in planning at scale: --placements active placements, all in probation.

In a throwaway PostgreSQL database (or a SQLite file with --sqlite), this creates the placements with start dates
spread over the last 60 days (a two-month probation each), then runs the daily job twice on the next working
day: the first run makes a check-in for almost every placement (each is inside one stage's window, the worst
case: the job's first day), the second finds them made. It prints the seconds and queries of each run, the
queries per thousand placements, and, last:
BENCH checkins_plan_seconds=<s> second_run_seconds=<s> placements=<n> queries=<n> created=<n>

    .venv/bin/python benchmarks/checkins.py [--placements 100000] [--sqlite]
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import base_env, create_database, drop_database  # noqa: E402

RECRUITERS = 40
CLIENTS = 500
TARGET_SECONDS = 30


def populate(count: int) -> None:
    from accounts.models import Organisation, User
    from placements.models import Client, Contact, Placement

    org = Organisation.objects.create(name="Bench")
    recruiters = [
        User.objects.create_user(email=f"r{i}@bench.example.nl", organisation=org, first_name="R", last_name=str(i))
        for i in range(RECRUITERS)
    ]
    clients = Client.objects.bulk_create([Client(organisation=org, name=f"Client {i}") for i in range(CLIENTS)])
    contacts = Contact.objects.bulk_create(
        [
            Contact(organisation=org, client=c, name=f"HM {i}", email=f"hm{i}@client.example.nl")
            for i, c in enumerate(clients)
        ]
    )
    today = datetime.date.today()
    batch = []
    for i in range(count):
        start = today - datetime.timedelta(days=i % 60)
        contact = contacts[i % CLIENTS]
        batch.append(
            Placement(
                organisation=org,
                client_id=contact.client_id,
                contact=contact,
                recruiter=recruiters[i % RECRUITERS],
                candidate_name=f"Candidate {i}",
                candidate_email=f"c{i}@candidate.example.nl",
                job_title="Engineer",
                start_date=start,
                contract_type="permanent",
                probation_end_date=start + datetime.timedelta(days=60),
                status="closed",
                closed_at=datetime.datetime.now(datetime.UTC),
            )
        )
        if len(batch) == 5000:
            Placement.objects.bulk_create(batch)
            batch = []
    Placement.objects.bulk_create(batch)


def timed_run(now):
    """Seconds, queries and the job's result. Queries are counted by a wrapper, not DEBUG's log, which would
    format every statement's parameters and distort the time."""
    from django.db import connection

    from checkins import services

    count = [0]

    def counting(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        started = time.perf_counter()
        result = services.checkins_plan(now=now)
        seconds = time.perf_counter() - started
    return seconds, count[0], result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--placements", type=int, default=100_000)
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file instead of PostgreSQL")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="evalportal-bench-"))
    database = f"sqlite:///{workdir / 'bench.sqlite3'}" if args.sqlite else create_database(args.database_url)
    os.environ.update(base_env(DATABASE_URL=database, CACHE_URL="locmem://"))
    os.environ["CELERY_BROKER_URL"] = "memory://"
    os.environ["DJANGO_SETTINGS_MODULE"] = "evalportal.settings"
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import timezone

        from evalportal.working_days import add_working_days

        call_command("migrate", "--no-input", verbosity=0)
        started = time.perf_counter()
        populate(args.placements)
        print(f"{args.placements} placements created in {time.perf_counter() - started:.1f} s")
        day = add_working_days(timezone.localdate(), 1)
        now = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 30)))
        first, queries, result = timed_run(now)
        second, second_queries, again = timed_run(now)
        engine = "SQLite" if args.sqlite else "PostgreSQL"
        print(f"{'run':<12}{'seconds':>10}{'queries':>10}{'created':>10}   ({engine}, target {TARGET_SECONDS} s)")
        print(f"{'first':<12}{first:>10.1f}{queries:>10}{result['created']:>10}")
        print(f"{'second':<12}{second:>10.1f}{second_queries:>10}{again['created']:>10}")
        print(f"queries per 1000 placements: {1000 * queries / args.placements:.2f} (a fixed number per batch)")
        verdict = "within" if max(first, second) <= TARGET_SECONDS else "OVER"
        print(f"{verdict} the target of {TARGET_SECONDS} s")
        print(
            f"BENCH checkins_plan_seconds={first:.1f} second_run_seconds={second:.1f} placements={args.placements} "
            f"queries={queries} created={result['created']}"
        )
    finally:
        if not args.sqlite:
            from django.db import connections

            connections.close_all()
            drop_database(args.database_url, database)


if __name__ == "__main__":
    main()
