from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from portal.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = (
        "Create or refresh the demo accounts and organisations (refused when DEBUG is off). A run leaves what an "
        "earlier run made as it finds it; --reset deletes the demo's own rows first and rebuilds the demo."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo organisations' rows (applications, filings, plans, complaints, results, "
            "certificates…), the demo's notices, draw and reports and the demo accounts' inbox, then seed again. "
            "Other data, the accounts and the audit log are kept.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo creates accounts with a published password; it is refused when DEBUG is off.")
        if not _catalogue_compiled():
            # The demo stores texts (reasons, condition values, inbox messages) in the site's language as it seeds:
            # without the compiled catalogue they would be stored in English and stay so (first-day tester).
            raise CommandError(
                "The translations are not compiled: run `manage.py compilemessages --ignore=.venv` first "
                "(`make run` does), or the demo's stored texts would be in English."
            )
        usernames = seed_demo(reset=options["reset"])
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Accounts: {', '.join(usernames)}"))
        self.stdout.write(f"Demo password: {DEMO_PASSWORD}")
        self.stdout.write(
            "Officials then type a code from an authenticator app set up with their secret in README.md, "
            "or from `manage.py demo_totp <user name>`."
        )


def _catalogue_compiled() -> bool:
    """Whether the site's language has its compiled catalogue (a text every demo stores comes out translated)."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext("Filed.") != "Filed."
