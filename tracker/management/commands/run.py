"""`make run`: migrate, load the library, then run web + Celery worker + beat together.

On the embedded default (SQLite, kombu's filesystem broker) nothing needs installing but Python.
Ctrl-C, or SIGTERM to this process or its group, stops every process it started within seconds.
``DEBUG`` is on unless the environment says otherwise: manage.py turns it on for this command
before the settings load, as they need a ``SECRET_KEY`` when it is off.

With ``DEBUG`` off (``DEBUG=0``, a production host) the same command collects the static files
(WhiteNoise serves them, compressed) and serves through gunicorn with ``WEB_CONCURRENCY`` worker
processes instead of Django's development server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from types import FrameType

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

GRACE_SECONDS = 5


def web_workers() -> int:
    """gunicorn's worker processes: ``WEB_CONCURRENCY``, or twice the CPU cores plus one, the
    number gunicorn's documentation suggests to start from."""
    given = os.environ.get("WEB_CONCURRENCY", "").strip()
    if not given:
        return 2 * (os.cpu_count() or 1) + 1
    if not given.isdigit() or int(given) < 1:
        raise CommandError(
            f"WEB_CONCURRENCY must be a whole number of web processes, such as 4 (not {given!r})."
        )
    return int(given)


def web_command(py: str, host: str, port: str, *, workers: int | None) -> list[str]:
    """gunicorn with ``workers`` processes; Django's development server without (``DEBUG``)."""
    if workers is None:
        return [py, "manage.py", "runserver", f"{host}:{port}", "--noreload"]
    return [py, "-m", "gunicorn", "config.wsgi", "--bind", f"{host}:{port}",
            "--workers", str(workers), "--access-logfile", "-"]  # fmt: skip


class Command(BaseCommand):
    help = "Migrate, load the exercise library, then run web, Celery worker and beat together."
    requires_system_checks: list[str] = []  # migrate and runserver run them, in the children

    def handle(self, *args: object, **options: object) -> None:
        exit_code = self.supervise()
        if exit_code:
            raise SystemExit(exit_code)

    def say(self, line: str) -> None:
        """Prints ``line`` as print() would, at once: it must show among the children's output."""
        self.stdout.write(line + "\n", ending="")
        self.stdout.flush()

    def supervise(self) -> int:
        """Starts the three processes, waits for a signal or for one of them to exit, then stops
        the others; returns the exit code (that of the child that exited first, or 0)."""
        root = settings.BASE_DIR
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONUNBUFFERED": "1"}
        env.setdefault("DEBUG", "1")  # for the children, however this command was started
        port = env.get("PORT", "8000")
        host = env.get("HOST", "127.0.0.1")
        py = sys.executable

        workers = None if settings.DEBUG else web_workers()
        web = web_command(py, host, port, workers=workers)
        steps = [["migrate", "--noinput"], ["load_library"]]
        if workers is not None:
            steps.append(["collectstatic", "--noinput", "--verbosity", "0"])
            env.setdefault("WHITENOISE_USE_FINDERS", "0")  # the collected, compressed copies
        for step in steps:
            subprocess.run([py, "manage.py", *step], cwd=root, env=env, check=True)

        commands = {
            "web": web,
            "worker": [py, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO",
                       "--pool=threads", "--concurrency=2", "--without-gossip", "--without-mingle",
                       "--queues=ticks,deliveries,accounts,celery"],
            "beat": [py, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO"],
        }  # fmt: skip
        children = {
            name: subprocess.Popen(cmd, cwd=root, env=env) for name, cmd in commands.items()
        }
        shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host  # noqa: S104
        self.say(f"\nHip2Knee is running at http://{shown}:{port}/  (API docs: /api/v1/docs)")
        if workers is not None:
            self.say(f"Serving through gunicorn with {workers} web processes (WEB_CONCURRENCY).")
        self.say("Press Ctrl-C to stop web, worker and beat.\n")

        stopping = False

        def stop(signum: int, _frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)

        exit_code = 0
        while not stopping:
            for name, proc in children.items():
                if proc.poll() is not None:
                    self.say(f"{name} exited with {proc.returncode}; stopping the others.")
                    exit_code = proc.returncode or 1
                    stopping = True
                    break
            time.sleep(0.3)

        for proc in children.values():
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + GRACE_SECONDS
        for proc in children.values():
            remaining = max(0.1, deadline - time.monotonic())
            try:
                proc.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        return exit_code
