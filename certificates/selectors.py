"""Scoped reads of certificates: who sees which session, and the public verification look-up.

A session is seen by whoever sees its evaluation plan (``supervision.selectors.plans_visible_to``): the agency
its own, officials those of their jurisdiction.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certificates import crypto
from certificates.idnumbers import normalise
from certificates.models import Candidate, Certificate, ImportAttempt, Session, SessionCounts, Tally
from portal.lib.todo import Todo, todo_counted
from portal.models import Role, User
from portal.routers import replica_reads
from publicity.models import Objection
from supervision.models import Plan
from supervision.selectors import plans_visible_to, plans_visible_where

SESSION_ROW_RELATED = ("plan__entry__organisation", "plan__entry__region", "plan__city", "plan__occupation")


def sessions_visible_to(user: User) -> QuerySet[Session]:
    return Session.objects.filter(plans_visible_where(user, "plan")).select_related(*SESSION_ROW_RELATED)


def plans_awaiting_results(user: User) -> QuerySet[Plan]:
    """The agency's announced evaluations whose first exam day has come and that have no results session yet."""
    if not user.is_authenticated or user.role != Role.AGENCY:
        return Plan.objects.none()
    return plans_visible_to(user).filter(
        status=Plan.Status.ANNOUNCED, first_day__lte=timezone.localdate(), session__isnull=True
    )


def withheld_reasons(session: Session) -> dict[int, str]:
    """Candidate id → the reply of the upheld objection that withheld the candidate's certificate (the reason the
    centre gave), read where the objection is kept. Only candidates still withheld are listed."""
    withheld = session.candidates.filter(withheld=True).values("pk")
    objections = Objection.objects.filter(
        status=Objection.Status.UPHELD,
        item__content_type=ContentType.objects.get_for_model(Candidate),
        item__object_id__in=withheld,
    ).order_by("handled_at", "pk")
    return {item_id: reply for item_id, reply in objections.values_list("item__object_id", "reply")}


def pending_objections(session: Session) -> list[Objection]:
    """The objections to this session's results still waiting for the centre's answer (the candidate, or the
    results as a whole when nobody passed, on ``item.label``), oldest first: the agency, the reviewing bureau and
    the centre see them on the session's page."""
    return list(
        Objection.objects.filter(
            Q(
                item__content_type=ContentType.objects.get_for_model(Candidate),
                item__object_id__in=session.candidates.values("pk"),
            )
            | Q(item__content_type=ContentType.objects.get_for_model(Session), item__object_id=session.pk),
            status=Objection.Status.PENDING,
        )
        .select_related("item")
        .order_by("created", "pk")
    )


def any_certificate_due(session: Session) -> bool:
    """Whether the session's approval calls for a certificate: a candidate who passed and whose result no upheld
    objection withheld. None (nobody passed, or every pass withheld): there is nothing to issue. (``exists``, not a
    count: the session's page counts no candidate rows, issue 16.)"""
    return session.candidates.filter(passed=True, withheld=False).exists()


def latest_import(session: Session) -> ImportAttempt | None:
    return session.imports.defer("marked").first()


def certificate_verify(*, name: str, number: str = "", id_number: str = "") -> Certificate | None:
    """The certificate matching the number (or the ID number, or both: every one given must match) and the holder's
    name exactly, or None; which of them did not match is never told. By ID number, the most recently issued of
    the holder's certificates."""
    name = name.strip()
    if not name or not (number or id_number):
        return None
    certificates = Certificate.objects.select_related("entry__organisation", "occupation").filter(holder_name=name)
    if id_number.strip():  # given beside a number too, it must match as well
        certificates = certificates.filter(id_hash=crypto.lookup_hash(normalise(id_number)))
    if number:
        return certificates.filter(number=number.strip().upper()).first()
    return certificates.order_by("-issued_on", "-pk").first()


def certificate_by_number(number: str) -> Certificate | None:
    """The certificate with this number, whoever holds it (the verification's card, ``certificates.verification``,
    compares the name itself)."""
    return Certificate.objects.select_related("entry__organisation", "occupation").filter(number=number).first()


def holder_certificates(*, name: str, id_number: str) -> list[Certificate]:
    """Every certificate of the person with this ID number and exactly this name, newest first (public
    verification by ID number: the page lists them all, the API alongside the newest)."""
    name = name.strip()
    if not name or not id_number.strip():
        return []
    return list(
        Certificate.objects.select_related("entry__organisation", "occupation")
        .filter(holder_name=name, id_hash=crypto.lookup_hash(normalise(id_number)))
        .order_by("-issued_on", "-pk")
    )


def import_progress(session: Session) -> dict | None:
    """The latest upload's check, for the page's progress bar: None when the session has none."""
    attempt = session.imports.only("status", "progress").first()
    if attempt is None:
        return None
    return {
        "done": attempt.status != ImportAttempt.Status.PENDING,
        "status": attempt.status,
        "percent": 100 if attempt.status != ImportAttempt.Status.PENDING else attempt.progress,
    }


COUNTED = ("candidates", "passed", "corrected", "issued", "rendered")


def counts_fresh(session_id: int) -> dict[str, int]:
    """The session's counts (``SessionCounts``) counted from its rows: two queries over every candidate and
    certificate of the session."""
    candidates = Candidate.objects.filter(session_id=session_id).aggregate(
        candidates=Count("pk"),
        passed=Count("pk", filter=Q(passed=True)),
        corrected=Count("pk", filter=Q(corrected=True)),
    )
    certificates = Certificate.objects.filter(candidate__session_id=session_id).aggregate(
        issued=Count("pk"), rendered=Count("pk", filter=~Q(pdf=""))
    )
    return {**candidates, **certificates}


def session_counts(session: Session) -> dict[str, int]:
    """The session's candidates, those passed and those corrected, its certificates issued and those rendered, as
    kept with the rows (``SessionCounts``): one query of one row, whatever the session's size (issue 16 item 4).
    A session without its row (written around ``session_create``) is counted afresh."""
    counts = SessionCounts.objects.filter(session=session).values(*COUNTED).first()
    return counts if counts is not None else counts_fresh(session.pk)


def corrected_passed(session: Session, counts: dict[str, int]) -> int:
    """The corrected candidates who pass (a corrected publicity names them alone): counted only when the kept counts
    say the session has corrected rows (after a return), so that the page of any other session stays one row."""
    if not counts["corrected"]:
        return 0
    return session.candidates.filter(corrected=True, passed=True).count()


def rendering_progress(counts: dict[str, int]) -> dict:
    """The electronic certificates of the session rendered so far (the Celery job after issue), from its
    ``session_counts``."""
    issued, rendered = counts["issued"], counts["rendered"]
    return {
        "done": rendered >= issued,
        "issued": issued,
        "rendered": rendered,
        "percent": round(100 * rendered / issued) if issued else 0,
    }


def certificates_visible_to(user: User) -> QuerySet[Certificate]:
    """Certificates of the sessions the user sees (an official's jurisdiction: the evaluation's city or the
    agency's)."""
    return Certificate.objects.filter(candidate__session__in=sessions_visible_to(user).values("pk"))


@replica_reads()
def statistics(user: User) -> dict:
    """Certificates by occupation and level, by city of the evaluation and by month of issue, valid and revoked;
    read from the read replica when one is configured (``portal.routers``: a second's lag does not change a
    statistic).

    Added up from the sessions' tallies (``Tally``, written with the certificates), a few rows per session,
    instead of counting the certificates themselves: 1.5 s a query at 1,000,000 certificates (issue 16)."""
    from django.db.models import Sum

    # One grouped read (issue 16): the scope's plans are matched once, and the three charts and the total are
    # added up here from the groups (a few hundred rows for a province) instead of four queries each applying
    # the scope again. The order of the occupations is the database's (its collation sorts the names).
    groups = (
        Tally.objects.filter(plans_visible_where(user, "session__plan"))
        .values("occupation__name", "level", "session__plan__city__name", "session__plan__city__code", "month")
        .annotate(total=Sum("total"), revoked=Sum("revoked"))
        .order_by("occupation__name", "-level")
    )
    by_occupation: dict[tuple, dict] = {}
    by_city: dict[tuple, dict] = {}
    by_month: dict[object, dict] = {}
    total = 0
    for group in groups:
        total += group["total"]
        for rows, key, first in (
            (by_occupation, (group["occupation__name"], group["level"]), ("occupation__name", "level")),
            (
                by_city,
                (group["session__plan__city__name"], group["session__plan__city__code"]),
                ("session__plan__city__name", "session__plan__city__code"),
            ),
            (by_month, group["month"], ("month",)),
        ):
            row = rows.get(key)
            if row is None:
                row = rows[key] = {**{name: group[name] for name in first}, "total": 0, "revoked": 0}
            row["total"] += group["total"]
            row["revoked"] += group["revoked"]
    return {
        "total": total,
        "by_occupation": list(by_occupation.values()),
        "by_city": sorted(by_city.values(), key=lambda row: row["session__plan__city__code"]),
        "by_month": sorted(by_month.values(), key=lambda row: row["month"]),
    }


def removal_consequences(entry) -> list[str]:
    """What removing ``entry`` from the directory does to its results and certificates, in numbers (registered with
    ``supervision.removal``; the removal's confirmation page lists it). The portal changes none of them on removal:
    the results go on through publicity, report and approval, but ``certificates_issue`` refuses an agency that is
    not active, so no certificate is issued for them; the certificates issued stay valid and verifiable."""
    sessions = Session.objects.filter(plan__entry=entry).exclude(status=Session.Status.ISSUED)
    counts = sessions.aggregate(
        notice=Count("pk", filter=Q(status=Session.Status.PUBLICITY)),
        other=Count("pk", filter=~Q(status=Session.Status.PUBLICITY)),
    )
    waiting = Candidate.objects.filter(session__in=sessions, passed=True, withheld=False).count()
    valid = Certificate.objects.filter(entry=entry, status=Certificate.Status.VALID).count()
    return [
        ngettext(
            "%(count)d results session on public notice: the notice runs to its end and the results can still be "
            "reported and approved.",
            "%(count)d results sessions on public notice: the notices run to their end and the results can still be "
            "reported and approved.",
            counts["notice"],
        )
        % {"count": counts["notice"]},
        ngettext(
            "%(count)d other results session not issued yet (being entered, to report, reported, returned or "
            "approved).",
            "%(count)d other results sessions not issued yet (being entered, to report, reported, returned or "
            "approved).",
            counts["other"],
        )
        % {"count": counts["other"]},
        # Who is affected, in plain words (a tester could not tell what "4 candidates … in those sessions" meant).
        ngettext(
            "%(count)d candidate of this agency has passed and has no certificate yet: once the agency is removed, "
            "it can no longer issue that certificate, and the portal does not pass the result to another agency.",
            "%(count)d candidates of this agency have passed and have no certificate yet: once the agency is "
            "removed, it can no longer issue their certificates, and the portal does not pass their results to "
            "another agency.",
            waiting,
        )
        % {"count": waiting}
        if waiting
        else _("No candidate of this agency who passed is waiting for a certificate."),
        ngettext(
            "%(count)d certificate issued: it stays valid and verifiable online; the removal revokes nothing "
            "(谁评价、谁发证、谁负责: the agency remains answerable for it).",
            "%(count)d certificates issued: they stay valid and verifiable online; the removal revokes nothing "
            "(谁评价、谁发证、谁负责: the agency remains answerable for them).",
            valid,
        )
        % {"count": valid},
    ]


def sessions_upload_refused(user: User) -> QuerySet[Session]:
    """The agency's sessions still waiting for their results whose latest upload was refused (errors to correct
    and upload again); a refused correction after a return is already the “returned” to-do."""
    latest = ImportAttempt.objects.filter(session=OuterRef("pk")).order_by("-created", "-pk").values("status")[:1]
    return (
        sessions_visible_to(user)
        .filter(status=Session.Status.RESULTS)
        .annotate(latest_upload=Subquery(latest))
        .filter(latest_upload=ImportAttempt.Status.REFUSED)
    )


def home_panel(user: User) -> dict:
    """The user's pending results work for the home page's to-do list: a city bureau's reported results to
    approve or return; an agency's results to report after their publicity, and results returned to it."""
    if not user.is_authenticated:
        return {}
    url = reverse("certificates:session_list")
    if user.role == Role.CITY_HR:
        return {
            "todo": [
                todo_counted(
                    _("Reported results to approve"),
                    sessions_visible_to(user).filter(
                        status=Session.Status.REPORTED, plan__entry__region__path__startswith=user.jurisdiction.path
                    )
                    if user.jurisdiction
                    else Session.objects.none(),
                    url,
                    "bi-award",
                )
            ]
        }
    if user.role == Role.AGENCY:
        sessions = sessions_visible_to(user)
        return {
            "todo": [
                todo_counted(
                    _("Results publicised, to report"),
                    sessions.filter(status=Session.Status.PUBLICISED),
                    url,
                    "bi-send",
                ),
                _one_or_list(_("Results uploads refused, to correct"), sessions_upload_refused(user), url),
                todo_counted(
                    _("Results returned by the HR bureau"),
                    sessions.filter(status=Session.Status.RETURNED),
                    url,
                    "bi-arrow-return-left",
                ),
            ]
        }
    return {}


def _one_or_list(label, sessions: QuerySet[Session], url: str) -> Todo:
    """One session waiting opens its page (where the refused upload's errors are); several, the list."""
    pks = list(sessions.order_by("pk").values_list("pk", flat=True)[:2])
    count = len(pks) if len(pks) < 2 else sessions.count()
    link = reverse("certificates:session_detail", args=[pks[0]]) if count == 1 else url
    return Todo(label=label, count=count, url=link, icon="bi-exclamation-circle")
