"""Demo filings for `manage.py seed_demo`, by topic: applications and experts, the review in every state, a
selection on public notice, a filed agency with its receipt;
the Shaanxi (police-first) call in every state it reaches; a centre's acceptance queue long enough to page."""

from django.db.models import QuerySet

from agencies.models import Organisation
from filings.demo.applications import seed_applications, seed_expert_profiles
from filings.demo.filed import seed_filed
from filings.demo.queue import queue_organisations, seed_queue
from filings.demo.review import review_organisations, seed_review
from filings.demo.selection import seed_publicity, selection_organisations
from filings.demo.shaanxi import seed_shaanxi, shaanxi_organisations
from filings.models import Application
from publicity.selectors import notices_only_about


def seed() -> list[str]:
    seed_applications()
    seed_expert_profiles()
    seed_review()
    seed_publicity()
    seed_filed()
    seed_shaanxi()
    seed_queue()
    return []


def demo_organisations() -> QuerySet[Organisation]:
    """The organisations made here (``portal.demo.demo_reset``)."""
    return review_organisations() | queue_organisations() | selection_organisations() | shaanxi_organisations()


def demo_roots(organisations: QuerySet[Organisation]) -> list[QuerySet]:
    """The notices of the demo's applications (selection notices), unless they list another agency too."""
    return [notices_only_about(Application.objects.filter(organisation__in=organisations))]
