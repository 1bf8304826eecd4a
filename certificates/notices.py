"""The results notice (认定结果公示): a kind of the generic public notices (``publicity.subjects``), registered in
``CertificatesConfig.ready``. Each candidate is an entry, published under a masked name and ID number (张*三,
4501**********1234). The agency publishes and closes its notice ("谁评价、谁负责"); objections are handled by the
provincial centre on the notices' page, as for every notice. An upheld objection withholds that candidate's
certificate; the close sets the date from which the agency has 10 working days to report the results.

An evaluation where nobody passed is publicised too (the publicity is what lets a candidate object to their
result): its notice lists nobody, says that nobody is proposed as qualified and how many took part, and has one
entry, unlisted (``Entry.listed``), that stands for the session's results as a whole: the session itself, which an
objection may concern like a candidate. Upholding it withholds nothing (no certificate is due) and tells the
agency to check its results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates.models import Candidate, Session
from portal.lib.workdays import add_workdays
from portal.models import Role, User
from portal.services import audit_record, notify
from publicity.models import Notice, NoticeItem
from publicity.subjects import Entry, Headings, Wording

KIND = "evaluation_results"
# 桂人社函〔2020〕203号 三（五）: 认定结果进行不少于5个工作日公示; 经公示无异议的, 10个工作日内 … 上报.
PUBLICITY_MIN_WORKDAYS = 5
REPORT_WITHIN_WORKDAYS = 10


def candidate_label(candidate: Candidate) -> str:
    from certificates.idnumbers import mask_name

    return f"{mask_name(candidate.name)}（{candidate.id_masked}）"


def session_label(took: int) -> str:
    """The name of the entry standing for the results of a session where nobody passed (``took``: how many took
    part)."""
    return _("Results of this evaluation (%(took)s took part)") % {"took": took}


def _is_session(item: NoticeItem) -> bool:
    return item.content_type_id == ContentType.objects.get_for_model(Session).pk


def _lists_nobody(notice: Notice) -> bool:
    """A notice of a session where nobody passed: its one entry is the session, not a candidate."""
    return notice.items.filter(content_type=ContentType.objects.get_for_model(Session)).exists()


def _agency_users(session) -> QuerySet[User]:
    """The accounts of the agency whose results the session holds: told of what happens to them on the notice."""
    return User.objects.filter(organisation_id=session.plan.entry.organisation_id, role=Role.AGENCY)


def _result_raised(params: dict) -> tuple[tuple[str, str], tuple[str, str]]:
    """(subject, body) told to the agency and to the reviewing bureau of an objection to one candidate's result."""
    return (
        (
            _("Objection to the result of %(candidate)s (%(session)s)") % params,
            _(
                "An objection to the result of %(candidate)s (%(session)s) was raised during the results "
                "notice. The provincial centre looks into it and answers it before the notice closes "
                "(%(closes)s).\n"
                "What to do next: nothing for now; you will be told the outcome. If it is upheld, no certificate "
                "is issued to this candidate."
            )
            % params,
        ),
        (
            _("Objection to the results of %(agency)s: %(candidate)s") % params,
            _(
                "An objection to the result of %(candidate)s (%(session)s, %(agency)s) was raised during the "
                "results notice. The provincial centre answers it.\n"
                "What to do next: when the agency reports these results, check that an upheld objection's "
                "candidate gets no certificate."
            )
            % params,
        ),
    )


def _results_raised(params: dict) -> tuple[tuple[str, str], tuple[str, str]]:
    """The same, of an objection to the results of a session where nobody passed."""
    return (
        (
            _("Objection to the results of %(session)s") % params,
            _(
                "An objection to the results of %(session)s, where nobody passed, was raised during the results "
                "notice. The provincial centre looks into it and answers it before the notice closes "
                "(%(closes)s).\n"
                "What to do next: nothing for now; you will be told the outcome."
            )
            % params,
        ),
        (
            _("Objection to the results of %(agency)s: %(session)s") % params,
            _(
                "An objection to the results of %(session)s (%(agency)s), where nobody passed, was raised during "
                "the results notice. The provincial centre answers it.\n"
                "What to do next: when the agency reports these results, check how the objection was answered."
            )
            % params,
        ),
    )


class EvaluationResults:
    kind = KIND
    manager_roles = (Role.CENTRE,)
    # A session on a notice stands for its results as a whole (nobody passed): no entry of the public list.
    unlisted_models = (Session,)
    headings = Headings(
        caption=gettext_lazy("Candidates proposed as qualified"),
        name=gettext_lazy("Candidate"),
        occupations=gettext_lazy("Occupation"),
        levels=gettext_lazy("Level"),
        scope=gettext_lazy("Result"),
        city=gettext_lazy("City of the evaluation"),
        objected=gettext_lazy("Candidate you object to"),
        empty=gettext_lazy("No candidate remains on this notice."),
    )
    # A notice of a session where nobody passed (``_lists_nobody``): no list, the results as a whole objected to.
    headings_nobody = replace(
        headings,
        objected=gettext_lazy("Results you object to"),
        empty=gettext_lazy("Nobody is proposed as qualified in this evaluation."),
    )
    wording = Wording(
        label=gettext_lazy("Evaluation results"),
        entries=gettext_lazy("Candidates on the notice"),
        uphold_confirm=gettext_lazy(
            "Uphold the objection? This candidate's result will be withheld from certification and the agency told."
        ),
        upheld=gettext_lazy(
            "Objection upheld: the result of %(name)s is withheld from certification; the agency has been told."
        ),
    )
    wording_nobody = replace(
        wording,
        entries=gettext_lazy("Results on the notice"),
        uphold_confirm=gettext_lazy(
            "Uphold the objection? Nobody passed, so no certificate is withheld; the agency is told to check its "
            "results."
        ),
        upheld=gettext_lazy("Objection upheld: %(name)s; the agency has been told to check its results."),
    )

    def headings_of(self, notice: Notice) -> Headings:
        return self.headings_nobody if _lists_nobody(notice) else self.headings

    def wording_of(self, notice: Notice) -> Wording:
        return self.wording_nobody if _lists_nobody(notice) else self.wording

    def _sessions(self, notice: Notice) -> QuerySet[Session]:
        return Session.objects.filter(notice=notice)

    def may_manage(self, user: User, notice: Notice) -> bool:
        if not user.is_authenticated:
            return False
        if user.role == Role.AGENCY:
            # A new notice is checked by certificates.services.results_publicise before it is made.
            return (
                notice.pk is None
                or self._sessions(notice).filter(plan__entry__organisation_id=user.organisation_id).exists()
            )
        jurisdiction = user.jurisdiction
        return (
            user.role == Role.CENTRE and jurisdiction is not None and notice.region.path.startswith(jurisdiction.path)
        )

    def entries(self, items: Sequence[NoticeItem]) -> list[Entry]:
        candidates = Candidate.objects.select_related("session__plan__occupation", "session__plan__city").in_bulk(
            [item.object_id for item in items if not _is_session(item)]
        )
        entries = []
        for item in items:
            if _is_session(item):
                entries.append(self._session_entry(item))
                continue
            candidate = candidates[item.object_id]
            plan = candidate.session.plan
            entries.append(
                Entry(
                    item=item,
                    name=item.label,
                    city=plan.city.name,
                    occupations=[{"name": plan.occupation.name, "levels": [plan.level_label]}],
                    scope=str(_("Passed") if candidate.passed else _("Not passed")),
                    link=reverse("certificates:session_detail", args=[candidate.session_id]),
                    state=str(_("Withheld") if candidate.withheld else candidate.session.get_status_display()),
                )
            )
        return entries

    def _session_entry(self, item: NoticeItem) -> Entry:
        session = Session.objects.select_related("plan__occupation", "plan__city").get(pk=item.object_id)
        plan = session.plan
        return Entry(
            item=item,
            name=item.label,
            city=plan.city.name,
            occupations=[{"name": plan.occupation.name, "levels": [plan.level_label]}],
            scope=str(_("Nobody proposed as qualified")),
            link=reverse("certificates:session_detail", args=[session.pk]),
            state=session.get_status_display(),
            listed=False,
        )

    def on_publish(self, *, notice: Notice, items, by: User, request) -> None:
        self._sessions(notice).update(status=Session.Status.PUBLICITY)

    def on_uphold(self, *, item: NoticeItem, by: User, reply: str, request) -> None:
        if _is_session(item):
            self._session_upheld(item=item, by=by, reply=reply, request=request)
            return
        candidate = Candidate.objects.select_for_update().get(pk=item.object_id)
        candidate.withheld = True
        candidate.save(update_fields=["withheld"])
        audit_record(action="results_withhold", request=request, actor=by, obj=candidate.session, detail=reply)
        session = candidate.session
        with translation.override(settings.LANGUAGE_CODE):
            params = {"candidate": item.label, "session": session.plan.label, "reason": reply}
            if candidate.passed:
                subject = _("Certificate withheld: %(candidate)s") % params
                body = _(
                    "An objection to the result of %(candidate)s (%(session)s) was upheld during the results notice. "
                    "The result is withheld from certification: no certificate is issued to this candidate.\n"
                    "Reason: %(reason)s\n"
                    "What to do next: if the result was wrong, correct it after the HR bureau returns the results; "
                    "otherwise report the other results as usual."
                )
            else:  # no certificate was due: the agency is told the outcome, not of a certificate withheld
                subject = _("Objection upheld: %(candidate)s") % params
                body = _(
                    "An objection to the result of %(candidate)s (%(session)s) was upheld during the results notice. "
                    "The candidate did not pass, so no certificate was due.\n"
                    "Reason: %(reason)s\n"
                    "What to do next: check the candidate's scores; if they were recorded wrongly, correct them "
                    "after the HR bureau returns the results. Otherwise report the results as usual."
                )
            notify(
                users=_agency_users(session),
                subject=subject,
                body=body % params,
                link=reverse("certificates:session_detail", args=[session.pk]),
            )

    def _session_upheld(self, *, item: NoticeItem, by: User, reply: str, request) -> None:
        """An objection to the results of a session where nobody passed, upheld: no certificate to withhold; the
        agency is told to check its results (a wrong one is corrected after the HR bureau returns them)."""
        # Nothing of the session changes: the answer's own audit row (``objection_handle``, on the session) is the
        # record.
        session = Session.objects.select_related("plan").get(pk=item.object_id)
        with translation.override(settings.LANGUAGE_CODE):
            params = {"session": session.plan.label, "reason": reply}
            notify(
                users=_agency_users(session),
                subject=_("Objection upheld: results of %(session)s") % params,
                body=_(
                    "An objection to the results of %(session)s was upheld during the results notice. Nobody passed, "
                    "so no certificate is withheld.\n"
                    "Reason: %(reason)s\n"
                    "What to do next: check the results the objection concerns; if a result was recorded wrongly, "
                    "correct it after the HR bureau returns the results. Otherwise report the results as usual."
                )
                % params,
                link=reverse("certificates:session_detail", args=[session.pk]),
            )

    def on_raise(self, *, notice: Notice, item: NoticeItem, objection) -> None:
        """The agency whose results these are and the HR bureau that reviews them learn of the objection too:
        the centre answers it, but the outcome may withhold a certificate of theirs (or, nobody having passed,
        concern the results as a whole)."""
        from certificates.services.common import hr_reviewers  # the services package imports this module

        whole = _is_session(item)
        if whole:
            session = Session.objects.select_related("plan__entry__organisation").get(pk=item.object_id)
        else:
            candidate = Candidate.objects.select_related("session__plan__entry__organisation").get(pk=item.object_id)
            session = candidate.session
        with translation.override(settings.LANGUAGE_CODE):
            params = {
                "candidate": item.label,
                "session": session.plan.label,
                "agency": session.plan.entry.organisation.name,
                "closes": notice.closes_on.isoformat() if notice.closes_on else "",
            }
            to_agency, to_bureau = _results_raised(params) if whole else _result_raised(params)
            link = reverse("certificates:session_detail", args=[session.pk])
            notify(users=_agency_users(session), subject=to_agency[0], body=to_agency[1], link=link)
            notify(users=hr_reviewers(session), subject=to_bureau[0], body=to_bureau[1], link=link)

    def on_dismiss(self, *, item: NoticeItem, by: User, reply: str, request) -> None:
        if _is_session(item):
            session = Session.objects.select_related("plan").get(pk=item.object_id)
            with translation.override(settings.LANGUAGE_CODE):
                params = {"session": session.plan.label, "reason": reply}
                notify(
                    users=_agency_users(session),
                    subject=_("Objection dismissed: results of %(session)s") % params,
                    body=_(
                        "The objection to the results of %(session)s was dismissed by the provincial centre. The "
                        "results stand.\n"
                        "Reason: %(reason)s\n"
                        "What to do next: nothing; report the results as usual once the notice closes."
                    )
                    % params,
                    link=reverse("certificates:session_detail", args=[session.pk]),
                )
            return
        session = Candidate.objects.select_related("session__plan").get(pk=item.object_id).session
        with translation.override(settings.LANGUAGE_CODE):
            params = {"candidate": item.label, "session": session.plan.label, "reason": reply}
            notify(
                users=_agency_users(session),
                subject=_("Objection dismissed: %(candidate)s") % params,
                body=_(
                    "The objection to the result of %(candidate)s (%(session)s) was dismissed by the provincial "
                    "centre. The result stands.\n"
                    "Reason: %(reason)s\n"
                    "What to do next: nothing; report the results as usual once the notice closes."
                )
                % params,
                link=reverse("certificates:session_detail", args=[session.pk]),
            )

    def on_close(self, *, notice: Notice, items, by: User, request) -> None:
        self._sessions(notice).update(
            status=Session.Status.PUBLICISED,
            publicised_on=notice.closes_on,
            report_due=add_workdays(notice.closes_on, REPORT_WITHIN_WORKDAYS),
        )

    def managers(self, notice: Notice) -> QuerySet[User]:
        return User.objects.filter(
            role=Role.CENTRE,
            is_active=True,
            department__region__code__in=[code for code in notice.region.path.split("/") if code],
        )

    def objection_link(self, item: NoticeItem) -> str:
        return reverse("publicity:notice_detail", args=[item.notice_id])

    def management_link(self) -> str:
        # The centre manages results notices in its 公示管理 list, beside the filing selections (kind filter).
        return reverse("filings:notice_list") + "?kind=evaluation_results"


RESULTS = EvaluationResults()
