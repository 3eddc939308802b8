"""A hung or absent broker never holds a web request for more than a few seconds."""

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hung_server():
    """A TCP server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


PUBLISH = """
import time, django
django.setup()
from evalportal.celery import app
started = time.monotonic()
try:
    app.send_task("nps.tasks.invitation_send", args=[1])
    outcome = "published"
except Exception as exc:
    outcome = type(exc).__name__
print(outcome, round(time.monotonic() - started, 2))
"""


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.mark.parametrize("kind", ["absent", "hung"])
def test_publishing_to_a_broker_that_does_not_answer_gives_up_within_seconds(kind, request):
    port = request.getfixturevalue("hung_server") if kind == "hung" else _closed_port()
    env = os.environ | {
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/0",
        "DJANGO_SETTINGS_MODULE": "evalportal.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", PUBLISH], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    outcome, seconds = result.stdout.split()
    assert outcome != "published"
    assert float(seconds) < 8
