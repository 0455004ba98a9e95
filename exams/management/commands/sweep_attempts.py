"""Finalise overdue exam attempts at their deadline: once, or every N seconds with --loop N (run it next to
the task worker). Requests touching an overdue attempt finalise it too; the sweep catches abandoned ones."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from exams.services.attempts import attempts_sweep_overdue


class Command(BaseCommand):
    help = "Finalise exam attempts past their deadline (finish time = deadline)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS", help="repeat every SECONDS")

    def handle(self, *args, loop: int = 0, **options):
        while True:
            count = attempts_sweep_overdue()
            if count or options["verbosity"] > 1:
                self.stdout.write(f"sweep_attempts: {count} attempt(s) finalised")
            if loop <= 0:
                return
            time.sleep(loop)
