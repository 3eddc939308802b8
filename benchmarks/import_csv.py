"""Time the placement import: a generated CSV of 10,000 rows, parsed and imported all-or-nothing.

    .venv/bin/python benchmarks/import_csv.py [--rows 10000] [--database-url sqlite:///var/bench-import.sqlite3 | postgres://postgres@127.0.0.1:5432/postgres]

Prints a table and, last: BENCH import_rows=<n> parse_seconds=<s> import_seconds=<s> total_seconds=<s>
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench-import.sqlite3'}")
    args = parser.parse_args()
    database = args.database_url
    if database.startswith("sqlite:///"):
        Path(database[len("sqlite:///") :]).unlink(missing_ok=True)
    else:  # a throwaway database next to the one named, never the named one itself
        from benchmarks.common import create_database, drop_database

        database = create_database(args.database_url)
    try:
        run(args, database)
    finally:
        if database != args.database_url and not database.startswith("sqlite"):
            from django.db import connections

            connections.close_all()
            drop_database(args.database_url, database)


def run(args, database):
    os.environ.update(
        {
            "DATABASE_URL": database,
            "DEBUG": "true",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "evalportal.settings",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accounts.models import Organisation, User
    from placements import importer

    organisation = Organisation.objects.create(name=f"Import bench {time.time()}")
    recruiters = [
        User.objects.create_user(email=f"r{i}.{organisation.pk}@bench.example.nl", organisation=organisation)
        for i in range(6)
    ]
    lines = ["klant;hiring_manager;e-mail;taal;recruiter;kandidaat;functie;startdatum;extern_id"]
    for i in range(args.rows):
        lines.append(
            f"Klant {i % 400} B.V.;Zoë de Vries {i % 3000};hm{i % 3000}@klant{i % 400}.nl;nl;"
            f"{recruiters[i % 6].email};Ruud van 't Hoff {i};Werkvoorbereider;01-09-2026;IMP-{i}"
        )
    content = ("\r\n".join(lines) + "\r\n").encode("cp1252")
    started = time.monotonic()
    result = importer.parse(content, organisation=organisation)
    parsed = time.monotonic()
    assert result.ok, result.errors[:5]
    placements = importer.import_rows(organisation=organisation, rows=result.rows)
    done = time.monotonic()
    rows = [
        ("rows", args.rows),
        ("file size (KB)", len(content) // 1024),
        ("database", args.database_url.split(":")[0]),
        ("parse and check (s)", round(parsed - started, 2)),
        ("import (s)", round(done - parsed, 2)),
        ("total (s)", round(done - started, 2)),
        ("placements stored", len(placements)),
        ("goal", "under 10 s"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(
        f"BENCH import_rows={args.rows} parse_seconds={parsed - started:.2f} import_seconds={done - parsed:.2f} "
        f"total_seconds={done - started:.2f}"
    )


if __name__ == "__main__":
    main()
