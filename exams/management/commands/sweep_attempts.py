"""The exam clock's housekeeping, once or every N seconds with --loop N (`make worker` and `make run` run it):

- finalise attempts past their deadline and grace period, at their deadline (requests touching an overdue attempt
  finalise it too; the sweep catches abandoned ones);
- release graded results whose score the review policy now shows (e.g. "after the exam closes"; result pages
  also release lazily when an officer opens them).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from exams.services.attempts import attempts_sweep_overdue
from exams.services.grading import attempt_release_due


class Command(BaseCommand):
    help = "Finalise exam attempts past their deadline (finish time = deadline) and release results now visible."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS", help="repeat every SECONDS")

    def handle(self, *args, loop: int = 0, **options):
        while True:
            finalised = attempts_sweep_overdue()
            released = attempt_release_due()
            if finalised or released or options["verbosity"] > 1:
                self.stdout.write(f"sweep_attempts: {finalised} attempt(s) finalised, {released} result(s) released")
            if loop <= 0:
                return
            time.sleep(loop)
