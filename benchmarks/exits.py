"""Exit patterns at scale: --departures leavers with their answers, over twelve quarters, in a throwaway
PostgreSQL database (or a SQLite file with --sqlite).

Leavers cluster as they do in an agency: a few clients and their recruiters hold most of them, and each client
has its own recurring themes, so many groups pass the threshold and many stay hidden. The script recounts every
quarter (the nightly job's work), then asks the pattern pages over HTTP-level Django requests (the whole
middleware, as a browser would) and prints the median time and the queries of each, and, last:
BENCH exits_pattern_p50_ms=<ms> exits_pattern_queries=<n> recount_seconds=<s> departures=<n>

The goal: every pattern page within 250 ms at 100,000 departures, in a number of queries that does not grow with
them.

    .venv/bin/python benchmarks/exits.py [--departures 100000] [--sqlite] [--runs 7]
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

RECRUITERS = 40
CLIENTS = 500
FAMILIES = ["Techniek", "Finance", "Logistiek", "ICT", "Zorg", "Sales", "HR", "Productie"]
TARGET_MS = 250


def populate(count: int, rng: random.Random) -> tuple:
    from accounts.models import Organisation, User
    from exits.models import ExitFeedback, ExitTheme, quarter_of
    from exits.themes import Theme
    from placements.models import Client, Contact, Placement

    org = Organisation.objects.create(name="Bench")
    recruiters = [
        User.objects.create_user(email=f"r{i}@bench.example.nl", organisation=org, first_name="R", last_name=str(i))
        for i in range(RECRUITERS)
    ]
    admin = User.objects.create_user(email="admin@bench.example.nl", organisation=org, role=User.Role.ADMIN)
    clients = Client.objects.bulk_create([Client(organisation=org, name=f"Client {i}") for i in range(CLIENTS)])
    contacts = Contact.objects.bulk_create(
        [
            Contact(organisation=org, client=c, name=f"HM {i}", email=f"hm{i}@client.example.nl")
            for i, c in enumerate(clients)
        ]
    )
    themes = list(Theme.values)
    habits = {i: rng.sample(themes, 3) for i in range(CLIENTS)}
    first_day = datetime.date.today().replace(day=1) - datetime.timedelta(days=3 * 365)
    placements, answers = [], []
    for n in range(count):
        c = min(int(CLIENTS * rng.random() ** 3), CLIENTS - 1)  # a few clients hold most leavers
        recruiter = recruiters[c % RECRUITERS] if rng.random() < 0.85 else rng.choice(recruiters)
        family = FAMILIES[c % len(FAMILIES)] if rng.random() < 0.9 else rng.choice(FAMILIES)
        left_on = first_day + datetime.timedelta(days=rng.randrange(3 * 365))
        start = left_on - datetime.timedelta(days=rng.randint(20, 300))
        placements.append(
            Placement(
                organisation=org,
                client=clients[c],
                contact=contacts[c],
                recruiter=recruiter,
                candidate_name=f"Leaver {n}",
                candidate_email=f"l{n}@leaver.example.nl",
                job_title="Planner",
                job_family=family,
                start_date=start,
                contract_type="permanent",
                probation_end_date=start + datetime.timedelta(days=59),
                probation_outcome="left" if (left_on - start).days < 60 else "stayed",
                left_on=left_on,
                ended_by="candidate",
                leave_reason="workload",
                status="closed",
                closed_at=datetime.datetime.now(datetime.UTC),
            )
        )
        chosen = set(rng.sample(habits[c], rng.randint(1, 2))) | set(rng.sample(themes, rng.randint(0, 2)))
        answers.append((c, recruiter, family.casefold(), quarter_of(left_on), sorted(chosen)))
        if len(placements) == 5000 or n == count - 1:
            made = Placement.objects.bulk_create(placements)
            feedback = ExitFeedback.objects.bulk_create(
                [
                    ExitFeedback(
                        organisation=org,
                        placement=p,
                        source="link",
                        quarter=quarter,
                        client=clients[c],
                        recruiter=recruiter,
                        job_family=family_key,
                        vacancy_score=rng.randint(1, 5),
                        workload_score=rng.randint(1, 5),
                        themes=chosen,
                        employer_nps=rng.randint(0, 10),
                        answered_at=datetime.datetime.now(datetime.UTC),
                    )
                    for p, (c, recruiter, family_key, quarter, chosen) in zip(made, answers, strict=True)
                ]
            )
            ExitTheme.objects.bulk_create(
                [
                    ExitTheme(feedback=f, theme=t)
                    for f, (*_rest, chosen) in zip(feedback, answers, strict=True)
                    for t in chosen
                ]
            )
            placements, answers = [], []
    return org, admin, clients, recruiters


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--departures", type=int, default=100_000)
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file instead of PostgreSQL")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="evalportal-exits-"))
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

    from exits import patterns
    from exits.models import PatternCell

    call_command("migrate", "--no-input", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)  # pages render with the production static storage
    began = time.perf_counter()
    org, admin, clients, recruiters = populate(args.departures, random.Random(20))
    print(f"{args.departures} departures with their answers created in {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    cells = patterns.rebuild_all(org.pk)
    recount = time.perf_counter() - began
    quarters = sorted(set(PatternCell.objects.values_list("quarter", flat=True)))
    print(f"recount of {len(quarters)} quarters: {recount:.1f} s, {cells} cells that may be shown")

    browser = staff_browser(admin)
    to = patterns.quarter_param(quarters[-1])
    family = FAMILIES[0]
    pages = {
        "agency, 4 quarters": f"/exits/patterns/?to={to}",
        "client list": f"/exits/patterns/?view=client&to={to}",
        "the busiest client": f"/exits/patterns/?view=client&key={clients[0].pk}&to={to}",
        "a job family": f"/exits/patterns/?view=job_family&key={family.casefold()}&to={to}",
        "a recruiter": f"/exits/patterns/?view=recruiter&key={recruiters[0].pk}&to={to}",
        "client quarterly report": f"/exits/clients/{clients[0].pk}/report/?quarter={to}",
    }
    p50, most = time_pages(browser, pages, runs=args.runs, target_ms=TARGET_MS)
    print(
        f"BENCH exits_pattern_p50_ms={p50:.0f} exits_pattern_queries={most} recount_seconds={recount:.1f} "
        f"departures={args.departures}"
    )
    return 0 if p50 <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
