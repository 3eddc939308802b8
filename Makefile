# The two commands a new machine needs. Each sets up .venv itself.
.PHONY: run test lint messages reliability bench-invitations bench-dashboard bench-checkins bench-exits bench-mirror bench-candidates bench-import vendor

run:  ## Set up, migrate, load demo data and run web + worker + beat at http://127.0.0.1:8000
	@scripts/run.sh

test:  ## Set up and run ruff and the whole test suite (SQLite; PostgreSQL + Redis when they answer)
	@scripts/test.sh

lint:
	@.venv/bin/ruff check .

messages:  ## Refresh the translation catalogs after changing user-facing text
	@scripts/messages.sh

vendor:  ## Refresh static/vendor from npm (needs npm; the result is committed)
	@scripts/vendor.sh

bench-invitations:  ## 10,000 placements through the API, sent by a real worker on Redis (needs PostgreSQL)
	@scripts/setup.sh requirements-dev.lock && .venv/bin/python benchmarks/invitations.py

bench-dashboard:  ## Dashboard render and CSV export over generated responses (PostgreSQL; --sqlite for a small run)
	@scripts/setup.sh requirements-dev.lock && .venv/bin/python benchmarks/dashboard.py $(ARGS)

bench-checkins:  ## The daily check-in planning over 100,000 placements in probation (PostgreSQL; --sqlite for a small run)
	@scripts/setup.sh requirements-dev.lock && .venv/bin/python benchmarks/checkins.py $(ARGS)

bench-exits:  ## The exit pattern pages at 100,000 departures with their answers (PostgreSQL; --sqlite for a small run)
	@scripts/setup.sh requirements-dev.lock && .venv/bin/python benchmarks/exits.py $(ARGS)

bench-mirror:  ## The mirror and the client review report for a client with 10,000 responses (PostgreSQL; --sqlite for a small run)
	@scripts/setup.sh requirements-dev.lock && .venv/bin/python benchmarks/mirror.py $(ARGS)

bench-candidates:  ## The candidate API (1,000 per call) and the closure views at 1,000,000 candidates (PostgreSQL; --sqlite for a small run)
	@scripts/setup.sh requirements-dev.lock && .venv/bin/python benchmarks/candidates.py $(ARGS)

bench-import:  ## 10,000 CSV rows parsed, checked and imported
	@scripts/setup.sh requirements-dev.lock && .venv/bin/python benchmarks/import_csv.py

reliability:  ## Load and fault scripts R1-R6, full size (own PostgreSQL, Redis, gunicorn, Celery, SMTP; ~10 min)
	@scripts/setup.sh requirements-dev.lock && .venv/bin/python -m tests.reliability.run_all
