"""The selection (择优遴选) and its public notice: the filings side of ``publicity``.

The centre marks each assessed application selected or not, with a reason (``selection_mark``), and drafts a
notice from the selected applications of a call (``selection_notice_create``). ``FilingSelection`` is the
notice kind ``filing_selection``: publishing moves each application to 公示, an upheld objection takes it out
of the selection, closing passes the rest. Every move goes through ``application_transition``, so each leaves
one history row and one audit entry.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.models import Call, Level
from filings.models import Application, ApplicationOccupation, RankingTally, State
from filings.services.review import application_transition, in_jurisdiction
from portal.models import Role, User
from publicity.models import Notice, NoticeItem
from publicity.selectors import subjects_on_open_notices
from publicity.services import notice_create, notice_problems
from publicity.subjects import Entry

KIND = "filing_selection"
# The ranking shows every application that has been assessed, whatever was decided on it since.
RANKED_STATES = (
    State.ASSESSED,
    State.SELECTED,
    State.NOT_SELECTED,
    State.PUBLICITY,
    State.OBJECTION_UPHELD,
    State.PUBLICISED,
    State.MINISTRY_REVIEW,
    State.MINISTRY_REJECTED,
    State.FILED,
)
# Still in the selection: selected and not taken out since (by an upheld objection or the ministry).
IN_SELECTION = (State.SELECTED, State.PUBLICITY, State.PUBLICISED, State.MINISTRY_REVIEW, State.FILED)


@transaction.atomic
def ranking_tallies_rebuild() -> int:
    """Recount every ``RankingTally`` from the applications (the trigger keeps them; this is for a repair, and for
    the tests' proof that the kept counts equal a fresh count). Returns the number of groups."""
    RankingTally.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO filings_rankingtally (call_id, region_id, state, score, n)"
            " SELECT call_id, region_id, state, COALESCE(panel_score, %s), COUNT(*) FROM filings_application"
            " WHERE state <> %s AND submitted_at IS NOT NULL"
            " GROUP BY call_id, region_id, state, COALESCE(panel_score, %s)",
            [RankingTally.NO_SCORE, State.DRAFT, RankingTally.NO_SCORE],
        )
    return RankingTally.objects.count()


def selection_mark(*, application: Application, by: User, selected: bool, reason: str, request=None) -> Application:
    """Mark an assessed application selected or not selected; the reason is required and kept."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for this decision.")})
    with transaction.atomic():
        application = application_transition(
            application=application,
            by=by,
            name="select" if selected else "not_select",
            text=reason,
            request=request,
            from_service=True,
        )
        Application.objects.filter(pk=application.pk).update(selection_reason=reason)
        application.selection_reason = reason
    return application


def applications_on_open_notices() -> QuerySet:
    """Applications already on a draft or published notice: they cannot go on another one."""
    return subjects_on_open_notices(Application)


def call_title(call: Call) -> str:
    """The title of the call's current version (its latest published one), else of its latest version, else its
    code. Without the versions prefetched, read as two columns: a version's rules (scopes, offerings, materials:
    JSON) decoded for its title alone cost the selection page ~1 ms (issue 16 item 4)."""
    if "versions" in getattr(call, "_prefetched_objects_cache", {}):
        version = call.current_version or call.latest_version
        return version.title if version else call.code
    versions = list(call.versions.order_by("-number").values_list("title", "published_at"))
    published = [title for title, published_at in versions if published_at]
    titles = published or [title for title, _published_at in versions]
    return titles[0] if titles else call.code


def selection_notice_create(
    *,
    call: Call,
    by: User,
    title: str,
    body: str,
    window_days: int | str,
    applications: Iterable[Application],
    request=None,
) -> Notice:
    """A draft notice of selected applications of the call, in the centre's province."""
    if not SELECTION.may_manage(by, Notice(kind=KIND, region=call.province)):
        raise PermissionDenied
    with transaction.atomic():
        # The chosen applications stay locked until the notice is written: of two requests drafting a notice
        # of the same applications at once (a double click, two tabs), the second waits here, then finds them
        # on the first one's notice and is refused below.
        ids = list(
            Application.objects.select_for_update()
            .filter(pk__in=[a.pk for a in applications])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        # Read afresh: the caller's objects may predate the selection.
        chosen = list(Application.objects.filter(pk__in=ids).select_related("region", "organisation").order_by("pk"))
        errors = notice_problems(title=title, window_days=window_days)
        taken = set(applications_on_open_notices().values_list("object_id", flat=True))
        on_other = [a.organisation.name for a in chosen if a.pk in taken]
        if not chosen:
            errors["applications"] = [_("Tick at least one selected application.")]
        elif on_other:
            errors["applications"] = [
                _(
                    "Already on another notice, perhaps drafted a moment ago: %(names)s. Open the list of "
                    "notices to find it."
                )
                % {"names": "、".join(on_other)}
            ]
        elif not all(a.call_id == call.pk and a.state == State.SELECTED and in_jurisdiction(by, a) for a in chosen):
            errors["applications"] = [
                _("Only selected applications of this call that are not on another notice can be published.")
            ]
        if errors:
            raise ValidationError(errors)
        return notice_create(
            kind=KIND,
            region=call.province,
            by=by,
            title=title,
            body=body,
            window_days=window_days,
            subjects=[(a, a.organisation.name) for a in chosen],
            subtitle=call_title(call),
            request=request,
        )


# ---------------------------------------------------------------- the notice kind


def occupations_of(application: Application) -> list[dict]:
    """[{"name": "保卫管理员", "levels": ["三级/高级工", ...]}] from the latest submitted version's rows."""
    grouped: OrderedDict[str, dict] = OrderedDict()
    rows = sorted(application.occupation_rows.all(), key=lambda row: (row.occupation.code, -row.level))
    for row in rows:
        entry = grouped.setdefault(row.occupation.code, {"name": row.occupation.name, "levels": []})
        entry["levels"].append(str(Level(row.level).label) if row.level in Level.values else str(row.level))
    return list(grouped.values())


def occupations_by_application(ids: Iterable[int]) -> dict[int, list[dict]]:
    """What ``occupations_of`` answers for each of the applications ``ids``, in one query of plain values (no
    model instances: the selection page's 50 rows, issue 16 item 4)."""
    rows = ApplicationOccupation.objects.filter(application_id__in=list(ids)).values_list(
        "application_id", "occupation__code", "occupation__name", "level"
    )
    grouped: dict[int, OrderedDict[str, dict]] = {}
    for application_id, code, name, level in sorted(rows, key=lambda row: (row[0], row[1], -row[3])):
        entry = grouped.setdefault(application_id, OrderedDict()).setdefault(code, {"name": name, "levels": []})
        entry["levels"].append(str(Level(level).label) if level in Level.values else str(level))
    return {application_id: list(by_code.values()) for application_id, by_code in grouped.items()}


def with_details(applications: QuerySet[Application]) -> QuerySet[Application]:
    return applications.select_related("organisation", "region__parent").prefetch_related("occupation_rows__occupation")


class FilingSelection:
    """The notice of the agencies the centre selected from a call (遴选结果公示)."""

    kind = KIND
    manager_roles = (Role.CENTRE,)

    def may_manage(self, user: User, notice: Notice) -> bool:
        jurisdiction = user.jurisdiction if user.is_authenticated else None
        return (
            user.role == Role.CENTRE and jurisdiction is not None and notice.region.path.startswith(jurisdiction.path)
        )

    def entries(self, items: Sequence[NoticeItem]) -> list[Entry]:
        by_pk = {a.pk: a for a in with_details(Application.objects.filter(pk__in=[item.object_id for item in items]))}
        entries = []
        for item in items:
            application = by_pk[item.object_id]
            entries.append(
                Entry(
                    item=item,
                    name=application.organisation.name,
                    city=application.region.city.name,
                    occupations=occupations_of(application),
                    scope=application.get_scope_display(),
                    link=reverse("filings:application_detail", args=[application.pk]),
                    state=application.get_state_display(),
                )
            )
        return sorted(entries, key=lambda e: (by_pk[e.item.object_id].region.code, e.name))

    def _move(self, items: Sequence[NoticeItem], name: str, *, by: User, text: str, request, source: State) -> None:
        applications = Application.objects.filter(pk__in=[item.object_id for item in items], state=source)
        for application in applications.order_by("pk"):
            application_transition(
                application=application, by=by, name=name, text=text, request=request, from_service=True
            )

    def on_publish(self, *, notice: Notice, items: Sequence[NoticeItem], by: User, request) -> None:
        comment = _("Published for public notice in “%(title)s”; objections until %(date)s.") % {
            "title": notice.title,
            "date": notice.closes_on.isoformat(),
        }
        self._move(items, "publish_notice", by=by, text=comment, request=request, source=State.SELECTED)

    def on_uphold(self, *, item: NoticeItem, by: User, reply: str, request) -> None:
        self._move([item], "uphold_objection", by=by, text=reply, request=request, source=State.PUBLICITY)

    def on_close(self, *, notice: Notice, items: Sequence[NoticeItem], by: User, request) -> None:
        comment = _("Public notice “%(title)s” closed without an upheld objection.") % {"title": notice.title}
        self._move(items, "close_notice", by=by, text=comment, request=request, source=State.PUBLICITY)

    def managers(self, notice: Notice) -> QuerySet[User]:
        return User.objects.filter(
            role=Role.CENTRE,
            is_active=True,
            department__region__code__in=[code for code in notice.region.path.split("/") if code],
        )

    def objection_link(self, item: NoticeItem) -> str:
        return reverse("publicity:notice_detail", args=[item.notice_id])

    def management_link(self) -> str:
        return reverse("filings:notice_list")


SELECTION = FilingSelection()
