"""Dashboard speed at scale: responses and topic answers generated in SQL, summaries rebuilt, pages timed.

In a throwaway PostgreSQL database (or a SQLite file with --sqlite), this
generates --responses completed responses with 10 topic answers each over two
years, with their invitations (and a quarter more unanswered) and follow-ups,
rebuilds the summary tables, checks them against a raw recomputation,
then times the dashboard's full server-side render (all its queries) for the
default filter and for one recruiter over the last 12 months, and the CSV
export. It prints a table and, last:
BENCH dashboard_p50_ms=<x> dashboard_queries=<n> export_rows_per_s=<y> responses=<n>

    .venv/bin/python benchmarks/dashboard.py [--responses 1000000] [--sqlite]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import base_env, create_database, drop_database  # noqa: E402

RECRUITERS = 60
CLIENTS = 2000
TOPICS = 10
DAYS = 730


def generate(connection, *, responses: int, org_id: int, version_id: int, recruiter_ids, client_ids, contact_ids):
    """Responses spread over two years and all recruiters and clients; 10 answers each."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_people (n integer PRIMARY KEY, recruiter_id bigint)")
        cursor.executemany("INSERT INTO bench_people (n, recruiter_id) VALUES (%s, %s)", list(enumerate(recruiter_ids)))
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_clients (n integer PRIMARY KEY, client_id bigint, contact_id bigint)"
        )
        cursor.executemany(
            "INSERT INTO bench_clients (n, client_id, contact_id) VALUES (%s, %s, %s)",
            [(i, c, k) for i, (c, k) in enumerate(zip(client_ids, contact_ids, strict=True))],
        )
        if postgres:
            series = "generate_series(1, {n}) AS g(x)"
            rnd = "floor(random() * {n})::int"
            moment = f"now() - (({rnd.format(n=DAYS * 24)}) || ' hours')::interval"
        else:
            series = (
                "(WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < {n}) SELECT x FROM s) AS g"
            )
            rnd = "(abs(random()) % {n})"
            moment = f"datetime('now', '-' || {rnd.format(n=DAYS * 24)} || ' hours')"
        # A skewed NPS: more promoters than detractors, as in real client surveys.
        nps = f"(CASE WHEN {rnd.format(n=10)} < 5 THEN 9 + {rnd.format(n=2)} ELSE {rnd.format(n=9)} END)"
        cursor.execute(
            f"""
            INSERT INTO nps_response (organisation_id, survey_version_id, channel, recruiter_id, client_id, contact_id,
                                      nps_score, comment, completed_at, completed_on, created_at, updated_at)
            SELECT {org_id}, {version_id}, CASE WHEN x % 10 = 0 THEN 'phone' ELSE 'online' END,
                   p.recruiter_id, c.client_id, c.contact_id, {nps}, '', at, {"at::date" if postgres else "date(at)"},
                   at, at
            FROM (SELECT x, {moment} AS at FROM {series.format(n=responses)}) AS g
            JOIN bench_people p ON p.n = x % {len(recruiter_ids)}
            JOIN bench_clients c ON c.n = ((x % {len(client_ids)}) * 7919) % {len(client_ids)}
            ORDER BY g.at
            """
        )
        # Rows are stored in the order they come in, as in a live database (newer responses have
        # higher ids and sit together on disk, with their answers).
        # Topic scores lean towards the NPS score, so the driver view has something to find.
        cursor.execute(
            f"""
            INSERT INTO nps_answer (response_id, version_topic_id, topic_id, score)
            SELECT r.id, vt.id, vt.topic_id,
                   max(1, min(5, 1 + (r.nps_score * 4) / 10 + {rnd.format(n=3)} - 1))
            FROM nps_response r CROSS JOIN surveys_surveyversiontopic vt
            WHERE vt.version_id = {version_id}
            ORDER BY r.id, vt.position
            """.replace("max(", "greatest(" if postgres else "max(").replace("min(", "least(" if postgres else "min(")
        )
        # Every online response answers an invitation sent up to four days earlier; a quarter more
        # invitations went unanswered. Detractors get a follow-up call, most of them done.
        if postgres:
            earlier = f"completed_at - ({rnd.format(n=96)} || ' hours')::interval"
            later = f"completed_at + ({rnd.format(n=120)} || ' hours')::interval"
            due = "completed_on + 2"
        else:
            earlier = f"datetime(completed_at, '-' || {rnd.format(n=96)} || ' hours')"
            later = f"datetime(completed_at, '+' || {rnd.format(n=120)} || ' hours')"
            due = "date(completed_on, '+2 days')"
        # Calls of the last week are still open, and one in 200 older ones was never made (overdue).
        recent = "completed_on > CURRENT_DATE - 7" if postgres else "completed_on > date('now', '-7 days')"
        still_open = f"({recent} OR id % 200 = 0)"
        invitation_columns = (
            "organisation_id, contact_id, recruiter_id, survey_version_id, language, status, send_after, attempts, "
            "last_error, sent_at, reminders_sent, answered_at, created_at"
        )
        cursor.execute(
            f"""
            INSERT INTO nps_invitation ({invitation_columns})
            SELECT organisation_id, contact_id, recruiter_id, survey_version_id, 'nl', 'sent', sent, 0, '', sent, 0,
                   completed_at, sent
            FROM (SELECT *, {earlier} AS sent FROM nps_response WHERE channel = 'online') AS r
            """
        )
        cursor.execute(
            f"""
            INSERT INTO nps_invitation ({invitation_columns})
            SELECT {org_id}, c.contact_id, p.recruiter_id, {version_id}, 'nl', 'sent', at, 0, '', at, 0, NULL, at
            FROM (SELECT x, {moment} AS at FROM {series.format(n=responses // 4)}) AS g
            JOIN bench_people p ON p.n = x % {len(recruiter_ids)}
            JOIN bench_clients c ON c.n = ((x % {len(client_ids)}) * 7919) % {len(client_ids)}
            """
        )
        cursor.execute(
            f"""
            INSERT INTO nps_followup (organisation_id, response_id, owner_id, low_nps, low_topics, call_requested,
                                      due_date, status, went_well, could_be_better, expectations, client_needs,
                                      client_needs_note, outcome, closing_note, closed_at, created_at, updated_at)
            SELECT organisation_id, id, recruiter_id, true, false, false, {due},
                   CASE WHEN {still_open} THEN 'open' ELSE 'done' END, '', '', '', '[]', '', '', '',
                   CASE WHEN {still_open} THEN NULL ELSE {later} END, completed_at, completed_at
            FROM nps_response WHERE nps_score <= 6
            """
        )
        # Statistics as autovacuum keeps them on a live database.
        cursor.execute("ANALYZE")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file instead of PostgreSQL")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--slowest", type=int, default=0, help="print this many slowest dashboard queries")
    parser.add_argument("--keep", action="store_true", help="keep the generated database and print its URL")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="evalportal-dashboard-"))
    database = f"sqlite:///{workdir / 'bench.sqlite3'}" if args.sqlite else create_database(args.database_url)
    env = base_env(DATABASE_URL=database, ALLOWED_HOSTS="testserver", CACHE_URL="locmem://")
    os.environ.update(env)
    os.environ["CELERY_BROKER_URL"] = "memory://"
    os.environ["DJANGO_SETTINGS_MODULE"] = "evalportal.settings"
    try:
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"kept: {database}")
        elif not args.sqlite:
            drop_database(args.database_url, database)


def run(args) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Organisation, Team, User
    from nps.models import Answer, FollowUp, Invitation, NpsSummary, Response, TopicSummary
    from placements.models import Client as Company
    from placements.models import Contact
    from reporting.summaries import summaries_rebuild
    from surveys import services
    from surveys.models import Topic

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", "--no-input", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)  # pages render with the production static storage
    org = Organisation.objects.create(name="Bench")
    admin = User.objects.create_user(email="admin@bench.example.nl", organisation=org, role="admin", is_staff=True)
    recruiters = User.objects.bulk_create(
        User(email=f"r{i}@bench.example.nl", organisation=org, first_name="R", last_name=str(i))
        for i in range(RECRUITERS)
    )
    team = Team.objects.create(organisation=org, name="Bench")
    team.members.add(*recruiters)
    clients = Company.objects.bulk_create(Company(organisation=org, name=f"Klant {i}") for i in range(CLIENTS))
    contacts = Contact.objects.bulk_create(
        Contact(organisation=org, client=c, name=f"M {i}", email=f"m{i}@klant.example.nl")
        for i, c in enumerate(clients)
    )
    survey = services.survey_create(
        organisation=org, user=admin, name="Bench", kind="online",
        topic_ids=list(Topic.objects.filter(organisation__isnull=True).values_list("pk", flat=True)[:TOPICS]),
    )  # fmt: skip
    services.survey_publish(survey=survey, user=admin, revision=survey.revision)
    version = survey.versions.get()

    rows = []
    started = time.perf_counter()
    generate(
        connection,
        responses=args.responses,
        org_id=org.pk,
        version_id=version.pk,
        recruiter_ids=[r.pk for r in recruiters],
        client_ids=[c.pk for c in clients],
        contact_ids=[c.pk for c in contacts],
    )
    rows.append(("data generated (s)", round(time.perf_counter() - started, 1)))
    responses = Response.objects.count()
    answers = Answer.objects.count()
    started = time.perf_counter()
    nps_rows, topic_rows = summaries_rebuild()
    rows.append(("summaries rebuilt (s)", round(time.perf_counter() - started, 1)))
    rows.append(("summary rows (NPS / topic)", f"{nps_rows} / {topic_rows}"))

    # The summaries agree with a raw recomputation, at every level, and so does the dashboard's figure.
    from django.db.models import Count, Q, Sum

    from reporting import selectors as dashboard

    raw = Response.objects.aggregate(
        responses=Count("pk", filter=Q(nps_score__isnull=False)),
        promoters=Count("pk", filter=Q(nps_score__gte=9)),
        detractors=Count("pk", filter=Q(nps_score__lte=6)),
    )
    raw |= Invitation.objects.aggregate(sent=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
    raw["followups_closed"] = FollowUp.objects.filter(closed_at__isnull=False).count()
    sums = {k: Sum(k) for k in ("responses", "promoters", "detractors", "sent", "answered")}
    sums["followups_closed"] = Sum("followups_on_time") + Sum("followups_late")
    levels = {
        f"{grain} / {'per client' if per_client else 'all clients'}": NpsSummary.objects.filter(
            grain=grain, client__isnull=not per_client
        ).aggregate(**sums)
        for grain in ("day", "month")
        for per_client in (True, False)
    }
    raw_topics = dict(Answer.objects.values_list("topic_id").annotate(s=Sum("score")).values_list("topic_id", "s"))
    topic_levels = {
        grain: dict(
            TopicSummary.objects.filter(grain=grain)
            .values_list("topic_id")
            .annotate(s=Sum("score_sum"))
            .values_list("topic_id", "s")
        )
        for grain in ("day", "month")
    }
    filters = dashboard.parse_filters({})
    shown = dashboard.dashboard_data(user=admin, filters=filters)
    in_period = Response.objects.filter(completed_on__gte=filters.start, completed_on__lte=filters.end)
    counted = in_period.aggregate(n=Count("pk"), p=Count("pk", filter=Q(nps_score__gte=9)))
    disagree = [name for name, summed in levels.items() if summed != raw]
    disagree += [f"topics {grain}" for grain, summed in topic_levels.items() if summed != raw_topics]
    if (shown["current"]["responses"], shown["current"]["promoters"]) != (counted["n"], counted["p"]):
        disagree.append(f"dashboard {shown['current']} vs {counted}")
    agree = not disagree
    rows.append(("summary = raw recomputation (4 levels, topics, dashboard)", "yes" if agree else f"NO: {disagree}"))
    rows.append(("invitations / follow-ups", f"{raw['sent']} / {FollowUp.objects.count()}"))

    client = Client()
    client.force_login(admin)
    device = TOTPDevice.objects.create(user=admin, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    def timed(url):
        client.get(url)  # warm: templates compiled, connection open
        times, queries = [], 0
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.status_code
            queries = len(captured.captured_queries)
        for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[: args.slowest]:
            print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
        return statistics.median(times), queries

    default_ms, default_q = timed("/dashboard/")
    one_ms, one_q = timed(f"/dashboard/?period=12m&recruiter={recruiters[0].pk}")
    rows.append(("dashboard, default filter: median ms / queries", f"{default_ms:.0f} / {default_q}"))
    rows.append(("dashboard, one recruiter, 12 months: median ms / queries", f"{one_ms:.0f} / {one_q}"))

    # CSV export: the newest responses, up to 100,000 of them (a custom period that holds that many).
    newest = list(Response.objects.order_by("-completed_on").values_list("completed_on", flat=True)[:100_000])
    url = f"/dashboard/export.csv?period=custom&from={newest[-1].isoformat()}&to={newest[0].isoformat()}"
    began = time.perf_counter()
    response = client.get(url)
    exported = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
    export_seconds = time.perf_counter() - began
    # Again with allocation tracing (which slows it down) for the peak memory: constant, not per row.
    tracemalloc.start()
    for _chunk in client.get(url).streaming_content:
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rate = exported / export_seconds
    rows.append(("CSV export: rows / rows per s / peak MiB", f"{exported} / {rate:.0f} / {peak / 2**20:.1f}"))
    rows.append(("goal", "dashboard median <= 250 ms with a fixed number of queries; export >= 20,000 rows/s"))

    rows.insert(0, ("database", connection.vendor))
    rows.insert(1, ("responses / topic answers", f"{responses} / {answers}"))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    p50 = max(default_ms, one_ms)
    print(
        f"BENCH dashboard_p50_ms={p50:.0f} dashboard_queries={max(default_q, one_q)} "
        f"export_rows_per_s={rate:.0f} responses={responses}"
    )
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
