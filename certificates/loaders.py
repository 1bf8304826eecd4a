"""Object loaders: the gate between a request and a session or its children. Outside the user's organisation or
jurisdiction, a 404."""

from __future__ import annotations

from django.http import HttpRequest

from certificates.models import Candidate, Certificate, ImportAttempt, Session
from certificates.selectors import sessions_visible_to
from portal.lib.http import object_or_404


def session_for(request: HttpRequest, pk: int | str) -> Session:
    return object_or_404(sessions_visible_to(request.user), pk)


def import_of(session: Session, pk: int | str) -> ImportAttempt:
    return object_or_404(session.imports.all(), pk)


def certificate_of(session: Session, pk: int | str) -> Certificate:
    return object_or_404(Certificate.objects.filter(candidate__session=session), pk)


def candidate_of(session: Session, pk: int | str) -> Candidate:
    return object_or_404(session.candidates.all(), pk)
