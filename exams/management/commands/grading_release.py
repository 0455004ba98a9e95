"""Release graded exam results whose score the review policy now shows (e.g. "after the exam closes"): once, or
every N seconds with --loop N. Result pages also release lazily when an officer opens them."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from exams.services.grading import attempt_release_due


class Command(BaseCommand):
    help = "Release graded exam attempts whose score is now visible under the exam's review policy."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS", help="repeat every SECONDS")

    def handle(self, *args, loop: int = 0, **options):
        while True:
            count = attempt_release_due()
            if count or options["verbosity"] > 1:
                self.stdout.write(f"grading_release: {count} attempt(s) released")
            if loop <= 0:
                return
            time.sleep(loop)
