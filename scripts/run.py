"""`make run`: migrate, load the library, then run web + Celery worker + beat together.

On the embedded default (SQLite, kombu's filesystem broker) nothing needs installing but Python.
Ctrl-C, or SIGTERM to this process or its group, stops every process it started within seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRACE_SECONDS = 5


def main() -> int:
    os.chdir(ROOT)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONUNBUFFERED": "1"}
    env.setdefault("DEBUG", "1")
    port = env.get("PORT", "8000")
    host = env.get("HOST", "127.0.0.1")
    py = sys.executable

    for step in (["migrate", "--noinput"], ["load_library"]):
        subprocess.run([py, "manage.py", *step], env=env, check=True)

    commands = {
        "web": [py, "manage.py", "runserver", f"{host}:{port}", "--noreload"],
        "worker": [py, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO",
                   "--pool=threads", "--concurrency=2", "--without-gossip", "--without-mingle"],
        "beat": [py, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO"],
    }  # fmt: skip
    children = {name: subprocess.Popen(cmd, env=env) for name, cmd in commands.items()}
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host  # noqa: S104
    print(f"\nHip2Knee is running at http://{shown}:{port}/  (API docs: /api/v1/docs)")
    print("Press Ctrl-C to stop web, worker and beat.\n", flush=True)

    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    exit_code = 0
    while not stopping:
        for name, proc in children.items():
            if proc.poll() is not None:
                print(f"{name} exited with {proc.returncode}; stopping the others.", flush=True)
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


if __name__ == "__main__":
    sys.exit(main())
