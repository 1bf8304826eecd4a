import base64
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from portal.demo import DEMO_TOTP_SECRETS


class Command(BaseCommand):
    help = (
        "Print the current second-step code of demo officials (their fixed secrets, as in the README); "
        "refused when DEBUG is off."
    )

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="*", help="demo officials (all of them when none is given)")

    def handle(self, *args, usernames, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp prints codes of the demo accounts; it is refused when DEBUG is off.")
        unknown = sorted(set(usernames) - set(DEMO_TOTP_SECRETS))
        if unknown:
            raise CommandError(f"Not a demo official: {', '.join(unknown)}")
        left = 30 - int(time.time()) % 30
        for username in usernames or DEMO_TOTP_SECRETS:
            code = totp(base64.b32decode(DEMO_TOTP_SECRETS[username]))
            self.stdout.write(f"{username:16} {code:06d}")
        self.stdout.write(f"(valid for {left} more seconds, and the 30 seconds around)")
