import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.org_seed import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current two-step code of the demo HR/admin accounts (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp only runs with DEBUG on.")
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // mfa_settings.TOTP_PERIOD)))
