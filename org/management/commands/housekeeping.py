"""Run the registered periodic jobs (org.housekeeping) once, or keep running them with --loop SECONDS."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from org.housekeeping import jobs, run_round


class Command(BaseCommand):
    help = "Run the periodic jobs the apps registered (e.g. certification reminders), once or in a loop."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS", help="check every SECONDS")
        parser.add_argument("--job", default=None, help="run only this job")
        parser.add_argument("--list", action="store_true", help="list the registered jobs and exit")

    def handle(self, *args, loop: int = 0, job: str | None = None, **options):
        if options["list"]:
            for j in jobs():
                self.stdout.write(f"{j.name}\tevery {j.every_seconds}s")
            return
        last_run: dict[str, float] = {}
        while True:
            for name, result in run_round(last_run, only=job):
                if result or options["verbosity"] > 1:
                    self.stdout.write(f"housekeeping: {name}: {result}")
            if loop <= 0:
                return
            time.sleep(loop)
