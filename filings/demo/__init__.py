"""Demo filings for `manage.py seed_demo`, by topic: applications and experts, the review in every state, a
selection on public notice, a filed agency with its receipt;
the Shaanxi (police-first) call in every state it reaches; a centre's acceptance queue long enough to page."""

from filings.demo.applications import seed_applications, seed_expert_profiles
from filings.demo.filed import seed_filed
from filings.demo.queue import seed_queue
from filings.demo.review import seed_review
from filings.demo.selection import seed_publicity
from filings.demo.shaanxi import seed_shaanxi


def seed() -> list[str]:
    seed_applications()
    seed_expert_profiles()
    seed_review()
    seed_publicity()
    seed_filed()
    seed_shaanxi()
    seed_queue()
    return []
