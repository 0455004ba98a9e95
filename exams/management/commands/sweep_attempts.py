"""The exam clock's job on its own (the housekeeping loop runs it every 30 s as "exams.sweep"):

- finalise attempts past their deadline and grace period, at their deadline (requests touching an overdue attempt
  finalise it too; the sweep catches abandoned ones);
- release graded results whose score the review policy now shows (e.g. "after the exam closes"; result pages
  also release lazily when an officer opens them).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from org.housekeeping import run_due


class Command(BaseCommand):
    help = "Finalise exam attempts past their deadline (finish time = deadline) and release results now visible."

    def handle(self, *args, **options):
        for _name, result in run_due({}, only="exams.sweep"):
            if result or options["verbosity"] > 1:
                self.stdout.write(f"sweep_attempts: {result or 'nothing to do'}")
