# ruff: noqa: E501  (the mutants quote source lines as they are)
"""Hand-made mutants over supervision/, certificates/ and reports/, run one at a time (bench/README.md,
"Mutation run: supervision, certificates, reports").

Each mutant replaces one exact piece of source (it must occur exactly once), runs the test files that matter
with ``-x -q`` on SQLite, and restores the file with ``git checkout -- FILE``. A mutant is killed when a test
fails. Results go to ``bench/mutation_round3.json`` (one entry per mutant and phase).

    .venv/bin/python bench/mutation_round3.py                  # every mutant against the suite as it was
    .venv/bin/python bench/mutation_round3.py --phase after    # the same with the mutation-kill test files added
    .venv/bin/python bench/mutation_round3.py --only C01 S05   # some mutants
    .venv/bin/python bench/mutation_round3.py --new-only       # only against the mutation-kill files (fast check)

The working tree must be clean in the mutated apps before a run; the script refuses otherwise.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
RESULTS = ROOT / "bench" / "mutation_round3.json"

T = "tests/"
CERT = [T + "certificates"]
SUP = [T + "supervision"]
REP = [T + "reports"]
AE = T + "test_access_effects.py"
RM = T + "test_role_matrix.py"

NEW = {
    "certificates": T + "certificates/test_mutation_kills.py",
    "supervision": T + "supervision/test_mutation_kills.py",
    "reports": T + "reports/test_mutation_kills.py",
}

NOOP = "(lambda *args, **kwargs: None)("

# (id, file, old, new, test paths, extra pytest arguments for the access/role files)
MUTANTS: list[dict] = []


def m(mid: str, path: str, old: str, new: str, tests: list[str], *, also: tuple = (), what: str = "") -> None:
    MUTANTS.append({"id": mid, "file": path, "old": old, "new": new, "tests": tests, "also": also, "what": what})


# ---------------------------------------------------------------- certificates

m(
    "C01",
    "certificates/rules.py",
    "elif Decimal(value) < getattr(",
    "elif Decimal(value) <= getattr(",
    CERT,
    what="a score of exactly 60 fails (< to <=)",
)
m(
    "C02",
    "certificates/rules.py",
    "return years_before(exam_day, years) <= scores.guard_card_date",
    "return years_before(exam_day, years) < scores.guard_card_date",
    CERT,
    what="a 保安员证 issued exactly 3 years before the exam no longer exempts",
)
m(
    "C03",
    "certificates/rules.py",
    "<= scores.guard_card_date <= exam_day",
    "<= scores.guard_card_date < exam_day",
    CERT,
    what="a card issued on the exam day no longer exempts",
)
m(
    "C04",
    "certificates/reference.py",
    '(GUARD, 5, "computer", 60, 60, None, None, 3, JIANGSU)',
    '(GUARD, 5, "computer", 60, 60, None, None, 2, JIANGSU)',
    CERT,
    what="exemption 3 years -> 2",
)
m(
    "C05",
    "certificates/reference.py",
    '(MANAGER, 2, "exam_review", 60, 60, 60, None, None, SHAANXI)',
    '(MANAGER, 2, "exam_review", 60, 60, None, None, None, SHAANXI)',
    CERT,
    what="保卫管理员 level 2 without the comprehensive review",
)
m(
    "C06",
    "certificates/reference.py",
    '(GUARD, 1, "written_defence", 60, 60, None, 60, None, JIANGSU)',
    '(GUARD, 1, "written_defence", 60, 60, None, None, None, JIANGSU)',
    CERT,
    what="保安员 level 1 without the thesis defence",
)
m(
    "C07",
    "certificates/reference.py",
    '(GUARD, 4, "computer", 60, 60, None, None, None, JIANGSU)',
    '(GUARD, 4, "computer", 60, 60, None, None, 3, JIANGSU)',
    CERT,
    what="the theory exemption extended to level 4",
)
m(
    "C08",
    "certificates/idnumbers.py",
    'return "M" if int(number[16]) % 2 else "F"',
    'return "M" if int(number[15]) % 2 else "F"',
    CERT,
    what="gender read from the wrong digit",
)
m(
    "C09",
    "certificates/idnumbers.py",
    'return number[:4] + "*" * (len(number) - 8) + number[-4:]',
    'return number[:6] + "*" * (len(number) - 10) + number[-4:]',
    CERT,
    what="masked ID shows the whole address code",
)
m(
    "C10",
    "certificates/notices.py",
    'return f"{mask_name(candidate.name)}（{candidate.id_masked}）"',
    'return f"{candidate.name}（{candidate.id_masked}）"',
    CERT,
    what="results notice shows names unmasked",
)
m(
    "C11",
    "certificates/verification.py",
    '"holder_name": mask_name(certificate.holder_name),',
    '"holder_name": certificate.holder_name,',
    CERT,
    what="verification shows the holder's name unmasked",
)
m(
    "C12",
    "certificates/numbering.py",
    "first = counter.last + 1",
    "first = counter.last",
    CERT,
    what="serials start at 0 / repeat the last one",
)
m(
    "C13",
    "certificates/numbering.py",
    "counter = NumberCounter.objects.select_for_update().get(pk=counter.pk)",
    "counter = NumberCounter.objects.get(pk=counter.pk)",
    CERT,
    what="counter row not locked",
)
m(
    "C14",
    "certificates/services.py",
    "if plan.first_day > timezone.localdate():",
    "if plan.first_day >= timezone.localdate():",
    CERT,
    also=(AE, "-k", "certificates:session_create"),
    what="no session on the first exam day",
)
m(
    "C15",
    "certificates/services.py",
    'if session.status not in (Session.Status.RESULTS, Session.Status.RETURNED):\n        raise WorkflowError(_("The results can no',
    'if session.status not in (Session.Status.RESULTS,):\n        raise WorkflowError(_("The results can no',
    CERT,
    what="returned results cannot be uploaded again",
)
m(
    "C16",
    "certificates/services.py",
    "if days < PUBLICITY_MIN_WORKDAYS:",
    "if days <= PUBLICITY_MIN_WORKDAYS:",
    CERT,
    what="5 working days refused",
)
m(
    "C17",
    "certificates/notices.py",
    "PUBLICITY_MIN_WORKDAYS = 5",
    "PUBLICITY_MIN_WORKDAYS = 4",
    CERT,
    what="4 working days of publicity accepted",
)
m(
    "C18",
    "certificates/notices.py",
    "report_due=add_workdays(notice.closes_on, REPORT_WITHIN_WORKDAYS),",
    'report_due=notice.closes_on + __import__("datetime").timedelta(days=REPORT_WITHIN_WORKDAYS),',
    CERT,
    what="report due in calendar days",
)
m(
    "C19",
    "certificates/services.py",
    "users=_hr_of(session),",
    "users=User.objects.none(),",
    CERT,
    what="the HR bureau is not told of reported results",
)
m(
    "C20",
    "certificates/services.py",
    "return User.objects.filter(role=Role.CITY_HR, is_active=True, department__region__code__in=codes)",
    "return User.objects.filter(role=Role.POLICE, is_active=True, department__region__code__in=codes)",
    CERT,
    what="reported results go to the police instead of the HR bureau",
)
m(
    "C21",
    "certificates/services.py",
    "by.role == Role.CITY_HR\n        and jurisdiction",
    "by.role in (Role.CITY_HR, Role.POLICE)\n        and jurisdiction",
    CERT,
    also=(AE, "-k", "certificates:session_decide"),
    what="the police may approve results",
)
m(
    "C22",
    "certificates/services.py",
    "and jurisdiction is not None\n        and session.plan.entry.region.path.startswith(jurisdiction.path)",
    "and jurisdiction is not None",
    CERT,
    also=(AE, "-k", "certificates:session_decide"),
    what="any city's HR bureau may approve (jurisdiction dropped)",
)
m(
    "C23",
    "certificates/services.py",
    "if session.status != Session.Status.REPORTED:",
    "if session.status not in (Session.Status.REPORTED, Session.Status.PUBLICISED):",
    CERT,
    what="results approved before they are reported",
)
m(
    "C24",
    "certificates/services.py",
    "audit_record(\n            action=Action.RESULTS_APPROVE",
    NOOP + "\n            action=Action.RESULTS_APPROVE",
    CERT,
    what="no audit row for approve/return",
)
m(
    "C25",
    "certificates/services.py",
    "if entry.status != DirectoryEntry.Status.ACTIVE:",
    "if entry.status == DirectoryEntry.Status.REMOVED:",
    CERT,
    what="a suspended agency issues certificates",
)
m(
    "C26",
    "certificates/services.py",
    "session.candidates.filter(passed=True, withheld=False)",
    "session.candidates.filter(passed=True)",
    CERT,
    what="a withheld candidate gets a certificate",
)
m(
    "C27",
    "certificates/selectors.py",
    "return certificates.filter(number=number.strip().upper()).first()",
    "return Certificate.objects.filter(number=number.strip().upper()).first()",
    CERT,
    what="verification by number ignores the name",
)
m(
    "C28",
    "certificates/selectors.py",
    '.order_by("-issued_on", "-pk").first()',
    '.order_by("issued_on", "pk").first()',
    CERT,
    what="verification by ID number returns the oldest certificate",
)
m(
    "C29",
    "certificates/importing.py",
    "                level=plan.level,\n                status=Certificate.Status.VALID,",
    "                level=plan.level,",
    CERT,
    what="a revoked certificate blocks a new one (一人多证)",
)
m(
    "C30",
    "certificates/importing.py",
    "                occupation=plan.occupation,\n                level=plan.level,\n",
    "                occupation=plan.occupation,\n",
    CERT,
    what="a certificate of another level blocks (一人多证)",
)
m(
    "C31",
    "certificates/importing.py",
    "if scores.guard_card_date and scores.guard_card_date > exam_day:",
    "if scores.guard_card_date and scores.guard_card_date >= exam_day:",
    CERT,
    what="a card issued on the exam day refused",
)
m(
    "C32",
    "certificates/importing.py",
    "not Decimal(0) <= score <= Decimal(100)",
    "not Decimal(0) <= score < Decimal(100)",
    CERT,
    what="a score of 100 refused",
)
m(
    "C33",
    "certificates/selectors.py",
    "status=Plan.Status.ANNOUNCED, first_day__lte=timezone.localdate(), session__isnull",
    "status=Plan.Status.ANNOUNCED, first_day__lt=timezone.localdate(), session__isnull",
    CERT,
    what="an evaluation starting today is not offered for results",
)
m(
    "C34",
    "certificates/loaders.py",
    "return object_or_404(Certificate.objects.filter(candidate__session=session), pk)",
    "return object_or_404(Certificate.objects.filter(entry=session.plan.entry), pk)",
    CERT,
    also=(AE, "-k", "certificates:revoke"),
    what="a certificate loaded through the agency, not its session",
)
m(
    "C35",
    "certificates/loaders.py",
    "return object_or_404(session.candidates.all(), pk)",
    "return object_or_404(Candidate.objects.all(), pk)",
    CERT,
    also=(AE, "-k", "certificates:candidate_reveal"),
    what="a candidate of another session revealed under one's own",
)
m(
    "C36",
    "certificates/loaders.py",
    "return object_or_404(session.imports.all(), pk)",
    "return object_or_404(ImportAttempt.objects.all(), pk)",
    CERT,
    what="another session's marked workbook downloadable",
)
m(
    "C37",
    "certificates/views.py",
    "REVEALERS = (Role.AGENCY, Role.CITY_HR)",
    "REVEALERS = (Role.AGENCY, Role.CITY_HR, Role.POLICE)",
    CERT,
    also=(RM, "-k", "certificates:candidate_reveal"),
    what="the police may read ID numbers in clear",
)
m(
    "C38",
    "certificates/models.py",
    "and today > self.report_due",
    "and today >= self.report_due",
    CERT,
    what="overdue on the due day itself",
)
m(
    "C39",
    "certificates/services.py",
    "audit_record(action=Action.ID_NUMBER_VIEW",
    NOOP + "action=Action.ID_NUMBER_VIEW",
    CERT,
    what="reading an ID number in clear not audited",
)
m(
    "C40",
    "certificates/services.py",
    "if certificate.status == Certificate.Status.REVOKED:",
    "if certificate.status == Certificate.Status.REVOKED and certificate.revoked_reason == reason.strip():",
    CERT,
    what="a revoked certificate revoked again (new reason, new date)",
)

# ---------------------------------------------------------------- supervision

PLANS = "supervision/services/plans.py"
SEL = "supervision/selectors.py"
COMP = "supervision/services/complaints.py"
SANC = "supervision/services/sanctions.py"
INSP = "supervision/services/inspections.py"
DRAW = "supervision/services/draws.py"
SP = T + "supervision/test_plans.py"
SR = T + "supervision/test_registrations.py"
SC = T + "supervision/test_complaints.py"
SS = T + "supervision/test_sanctions.py"
SI = T + "supervision/test_inspections.py"
SD = T + "supervision/test_draws.py"
SW = T + "supervision/test_workspace_queries.py"
SPG = T + "supervision/test_pages.py"

m(
    "S01",
    PLANS,
    "ANNOUNCEMENT_LEAD_WORKDAYS = 10",
    "ANNOUNCEMENT_LEAD_WORKDAYS = 9",
    SUP,
    what="announcement 9 working days ahead accepted",
)
m(
    "S02",
    PLANS,
    "return add_workdays(announced_on, ANNOUNCEMENT_LEAD_WORKDAYS)",
    "return announced_on + dt.timedelta(days=ANNOUNCEMENT_LEAD_WORKDAYS)",
    SUP,
    what="announcement lead counted in calendar days",
)
m(
    "S03",
    PLANS,
    "        if first_day < allowed:",
    "        if first_day <= allowed:",
    SUP,
    what="first exam day exactly 10 working days ahead refused",
)
m(
    "S04",
    PLANS,
    "        if plan.first_day < allowed:\n            raise ValidationError(",
    "        if plan.first_day < timezone.localdate():\n            raise ValidationError(",
    SUP,
    what="announce does not re-check the 10 working days",
)
m("S05", PLANS, "MIN_EXAMINERS = 3", "MIN_EXAMINERS = 2", SUP, what="two examiners accepted")
m(
    "S06",
    PLANS,
    "elif supervisor in examiners:",
    "elif supervisor in examiners[1:]:",
    SUP,
    what="supervisor may be the first examiner",
)
m(
    "S07",
    PLANS,
    "elif entry.scope == Scope.CITY and city.pk != entry.region_id:",
    "elif entry.scope == Scope.CITY and city.level != Region.Level.CITY:",
    SUP,
    what="a city-scope agency may evaluate in another city",
)
m(
    "S08",
    PLANS,
    '"deadline": add_workdays(today, settings.CROSS_REGION_CONSENT_WORKDAYS),',
    '"deadline": today + dt.timedelta(days=settings.CROSS_REGION_CONSENT_WORKDAYS),',
    SUP,
    what="consent deadline in calendar days",
)
m(
    "S09",
    PLANS,
    "            plan.status = Plan.Status.AWAITING_CONSENT\n            _notify_hr(plan)",
    "            plan.status = Plan.Status.AWAITING_CONSENT",
    SUP,
    what="the local HR bureau is not told",
)
m(
    "S10",
    PLANS,
    "        role=Role.CITY_HR,\n        is_active=True,\n        department__kind=Department.Kind.HR_BUREAU,",
    "        role=Role.POLICE,\n        is_active=True,\n        department__kind=Department.Kind.HR_BUREAU,",
    SUP,
    what="cross-region report notified to the wrong role",
)
m(
    "S11",
    PLANS,
    "if by.role != Role.CITY_HR or not _in_jurisdiction(by, plan.city):",
    "if by.role != Role.CITY_HR or not _in_jurisdiction(by, plan.entry.region):",
    SUP,
    also=(AE, "-k", "supervision:report_decide"),
    what="the agency's home bureau decides instead of the evaluation city's",
)
m(
    "S12",
    PLANS,
    "if plan.status != Plan.Status.READY:",
    "if plan.status not in (Plan.Status.READY, Plan.Status.REFUSED):",
    SUP,
    what="a refused plan announced",
)
m(
    "S13",
    PLANS,
    "if plan.status == Plan.Status.ANNOUNCED and plan.first_day <= timezone.localdate():",
    "if plan.status == Plan.Status.ANNOUNCED and plan.first_day < timezone.localdate():",
    SUP,
    what="withdrawn on its first exam day",
)
m(
    "S14",
    PLANS,
    "        _require_active(plan.entry)\n        if plan.status == Plan.Status.AWAITING_CONSENT:",
    "        if plan.status == Plan.Status.AWAITING_CONSENT:",
    SUP,
    what="a suspended agency announces",
)
m(
    "S15",
    PLANS,
    "if by.role != Role.POLICE or not _in_jurisdiction(by, registration.city):",
    "if by.role not in (Role.POLICE, Role.CITY_HR) or not _in_jurisdiction(by, registration.city):",
    SUP,
    also=(AE, "-k", "supervision:registration_detail"),
    what="the HR bureau confirms police registrations",
)
m(
    "S16",
    PLANS,
    'if registration.status != PoliceRegistration.Status.SUBMITTED:\n            raise WorkflowError(\n                _("This registration is now “%(status)s”; only one awaiting the police can be confirmed.")',
    'if registration.status == PoliceRegistration.Status.CONFIRMED:\n            raise WorkflowError(\n                _("This registration is now “%(status)s”; only one awaiting the police can be confirmed.")',
    SUP,
    what="a returned registration confirmed",
)
m(
    "S17",
    SEL,
    '    return plans.filter(\n        Q(city__in=regions) | Q(entry__in=DirectoryEntry.objects.filter(region__in=regions).values("pk"))\n    )',
    "    return plans.filter(Q(city__in=regions))",
    SUP,
    what="home city no longer sees its agency's plans elsewhere",
)
m(
    "S18",
    SEL,
    "        return registrations.filter(entry__organisation_id=user.organisation_id)",
    "        return registrations",
    SUP,
    also=(AE, "-k", "supervision:registration_detail"),
    what="agencies see all registrations",
)
m(
    "S19",
    SEL,
    "    return complaints.filter(entry__region__in=_regions_under(path))",
    "    return complaints",
    SUP,
    also=(AE, "-k", "supervision:complaint_detail"),
    what="officials see every city's complaints",
)
m(
    "S20",
    SEL,
    "        .exclude(status=DirectoryEntry.Status.REMOVED)\n        .exclude(Exists(home))",
    "        .exclude(Exists(home))",
    SUP,
    what="removed agencies flagged unregistered",
)
m(
    "S21",
    SEL,
    "        .filter(last_day__gte=timezone.localdate())\n        .annotate(police_registered",
    "        .filter(last_day__gt=timezone.localdate())\n        .annotate(police_registered",
    SUP,
    what="a plan on its last day is no longer flagged",
)
m(
    "S22",
    COMP,
    '"conclude": ((S.ACCEPTED, S.INVESTIGATING), S.CONCLUDED),',
    '"conclude": ((S.RECEIVED, S.ACCEPTED, S.INVESTIGATING), S.CONCLUDED),',
    SUP,
    what="a complaint concluded without being accepted",
)
m(
    "S23",
    COMP,
    "return add_workdays(received_on, settings.COMPLAINT_REPLY_WORKDAYS)",
    "return received_on + dt.timedelta(days=settings.COMPLAINT_REPLY_WORKDAYS)",
    SUP,
    what="complaint reply due in calendar days",
)
m(
    "S24",
    COMP,
    "late = Complaint.objects.filter(deadline__lt=today)",
    "late = Complaint.objects.filter(deadline__lte=today)",
    SUP,
    what="reminded on the due day itself",
)
m(
    "S25",
    COMP,
    ".exclude(status__in=(S.REPLIED, S.DECLINED))",
    ".exclude(status__in=(S.REPLIED,))",
    SUP,
    what="declined complaints still reminded",
)
m(
    "S26",
    COMP,
    'if step == "conclude" and outcome == Complaint.Outcome.UPHELD:',
    'if step == "conclude" and outcome != Complaint.Outcome.UPHELD:',
    SUP,
    what="credit record for the not-upheld complaint instead of the upheld one",
)
m(
    "S27",
    COMP,
    "return user.is_authenticated and user.role in (Role.CITY_HR, Role.CENTRE) and in_jurisdiction",
    "return user.is_authenticated and user.role in (Role.CITY_HR, Role.CENTRE, Role.POLICE) and in_jurisdiction",
    SUP,
    also=(AE, "-k", "supervision:complaint_detail"),
    what="the police handle complaints",
)
m(
    "S28",
    COMP,
    '    if anonymous:\n        name = ""',
    '    if False:\n        name = ""',
    SUP,
    what="an anonymous complainant's name kept",
)
m(
    "S29",
    SANC,
    "return user.role == Role.CITY_HR and kind != Sanction.Kind.REMOVAL",
    "return user.role == Role.CITY_HR",
    SUP,
    also=(AE, "-k", "supervision:sanction_new"),
    what="a city bureau removes an agency",
)
m(
    "S30",
    SANC,
    "elif (until - today).days > MAX_SUSPENSION_DAYS:",
    "elif (until - today).days >= MAX_SUSPENSION_DAYS:",
    SUP,
    what="a suspension of exactly the maximum refused",
)
m("S31", SANC, "elif rectify_by <= today:", "elif rectify_by < today:", SUP, what="rectify by today accepted")
m("S32", SANC, "elif until < today:", "elif until <= today:", SUP, what="a suspension ending today refused")
m(
    "S33",
    SANC,
    "in_force = entry.sanctions.filter(kind=Sanction.Kind.SUSPENSION, lifted_on=None).first()",
    "in_force = entry.sanctions.filter(kind=Sanction.Kind.SUSPENSION).first()",
    SUP,
    what="a lifted suspension blocks a new one",
)
m(
    "S34",
    SANC,
    'return f"{prefix}{count + 1}号"',
    'return f"{prefix}{count}号"',
    SUP,
    what="decision numbers start at 0",
)
m(
    "S35",
    SANC,
    "lifted_on=None, until__lt=today)",
    "lifted_on=None, until__lte=today)",
    SUP,
    what="a suspension lifted on its last day",
)
m(
    "S36",
    SANC,
    "            credit_record_add(\n                entry=entry,\n                kind=CreditRecord.Kind.SANCTION,",
    "            " + NOOP + "\n                entry=entry,\n                kind=CreditRecord.Kind.SANCTION,",
    SUP,
    what="a sanction not in the credit record",
)
m(
    "S37",
    SANC,
    '_notify(\n                sanction,\n                _("Sanction decided',
    NOOP + '\n                sanction,\n                _("Sanction decided',
    SUP,
    what="sanction not notified",
)
m(
    "S38",
    INSP,
    "deadline=add_workdays(timezone.localdate(), workdays),",
    'deadline=timezone.localdate() + __import__("datetime").timedelta(days=workdays),',
    SUP,
    what="rectification due in calendar days",
)
m(
    "S39",
    INSP,
    "if not MIN_WORKDAYS <= workdays <= MAX_WORKDAYS:",
    "if not MIN_WORKDAYS <= workdays < MAX_WORKDAYS:",
    SUP,
    what="60 working days refused",
)
m(
    "S40",
    INSP,
    "(Rectification.Status.OPEN, Rectification.Status.ANSWERED))",
    "(Rectification.Status.OPEN, Rectification.Status.ANSWERED, Rectification.Status.CLOSED))",
    SUP,
    what="a closed order escalated",
)
m(
    "S41",
    INSP,
    "if by.role != Role.AGENCY or by.organisation_id != entry.organisation_id:",
    "if by.role != Role.AGENCY:",
    SUP,
    also=(AE, "-k", "supervision:rectification_detail"),
    what="any agency answers an order",
)
m(
    "S42",
    INSP,
    '    if entry.status == DirectoryEntry.Status.REMOVED:\n        raise WorkflowError(_("The agency has been removed from the directory."))\n',
    "",
    SUP,
    what="a removed agency inspected",
)
m(
    "S43",
    DRAW,
    "return sorted({(inspector, agency) for inspector, agency in pairs})",
    "return []",
    SUP,
    what="conflicts not excluded from a draw",
)
m(
    "S44",
    DRAW,
    "entries.filter(status=status) if status else entries.exclude(status=removed)",
    "entries.filter(status=status) if status else entries",
    SUP,
    what="removed agencies in the 'all' pool",
)
m(
    "S45",
    DRAW,
    "role__in=INSPECTOR_ROLES, is_active=True, department",
    "role__in=INSPECTOR_ROLES, department",
    SUP,
    what="inactive officials drawn",
)
m(
    "S46",
    PLANS,
    'PoliceRegistration.objects.select_for_update(of=("self",))\n        .select_related("city", "entry__organisation")',
    'PoliceRegistration.objects\n        .select_related("city", "entry__organisation")',
    SUP,
    what="registration row not locked",
)

# ---------------------------------------------------------------- reports

PER = "reports/periods.py"
RSEL = "reports/selectors.py"
RSV = "reports/services.py"
m("R01", PER, "QUARTER_DUE_DAY = 20", "QUARTER_DUE_DAY = 21", REP, what="quarter due on the 21st")
m(
    "R02",
    PER,
    "            day -= dt.timedelta(days=1)",
    "            day += dt.timedelta(days=1)",
    REP,
    what="holiday moves the due day later",
)
m("R03", PER, "FIRST_QUARTER = (2024, 2)", "FIRST_QUARTER = (2024, 1)", REP, what="Q1 2024 required")
m(
    "R04",
    PER,
    "return dt.date(self.year, 3 * self.quarter + 1, 1) - dt.timedelta(days=1)",
    "return dt.date(self.year, 3 * self.quarter + 1, 1)",
    REP,
    what="a quarter ends on the next one's first day",
)
m(
    "R05",
    PER,
    "today <= p.due(calendar) <= horizon",
    "today < p.due(calendar) <= horizon",
    REP,
    what="a report due today not generated",
)
m("R06", PER, "YEAR_DUE = (12, 10)", "YEAR_DUE = (12, 20)", REP, what="year report due 20 December")
m(
    "R07",
    RSEL,
    'overdue=Count("pk", filter=Q(deadline__lt=today) & ~Q(state__in=SETTLED)),',
    'overdue=Count("pk", filter=Q(deadline__lte=today) & ~Q(state__in=SETTLED)),',
    REP,
    what="applications overdue on their deadline day",
)
m(
    "R08",
    RSEL,
    'applications = Application.objects.filter(where("region", "organisation")).exclude(state=State.DRAFT)',
    'applications = Application.objects.filter(where("region", "organisation"))',
    REP,
    what="drafts counted",
)
m(
    "R09",
    RSEL,
    '.annotate(n=Count("pk"), revoked=Count("pk", filter=Q(status=Certificate.Status.REVOKED)))',
    '.annotate(n=Count("pk", filter=Q(status=Certificate.Status.VALID)), revoked=Count("pk", filter=Q(status=Certificate.Status.REVOKED)))',
    REP,
    what="revoked certificates not counted as issued",
)
m(
    "R10",
    RSEL,
    "    return reports.filter(region__path__startswith=region.path)",
    "    return reports",
    REP,
    also=(AE, "-k", "reports"),
    what="every department reads every report",
)
m(
    "R11",
    "reports/loaders.py",
    "if region is None or region.pk != report.region_id:",
    "if region is None:",
    REP,
    also=(AE, "-k", "reports"),
    what="the province changes a city's report",
)
m(
    "R12",
    RSV,
    "if not (report.experience and report.difficulties):",
    "if not (report.experience or report.difficulties):",
    REP,
    what="submitted with one section empty",
)
m(
    "R13",
    RSV,
    "    return list(Department.objects.filter(region_id=region.parent_id))",
    "    return []",
    REP,
    what="the province is not told of a submitted report",
)
m(
    "R14",
    RSV,
    '        if report.status == Report.Status.SUBMITTED:\n            raise WorkflowError(_("This report has been submitted; it is not generated again."))\n',
    "",
    REP,
    also=(AE, "-k", "reports:regenerate"),
    what="a submitted report regenerated",
)
m(
    "R15",
    RSV,
    "            if existing is not None:\n                continue",
    "            if existing is not None and existing.status == Report.Status.SUBMITTED:\n                continue",
    REP,
    what="the schedule reminds again every day",
)
m(
    "R16",
    RSEL,
    'overdue=Count("pk", filter=Q(deadline__lt=today) & ~Q(status__in=handled)),',
    'overdue=Count("pk", filter=Q(deadline__lt=today)),',
    REP,
    what="replied complaints counted overdue",
)
m(
    "R17",
    RSEL,
    'where("city", "entry__organisation"), last_day__range=days, status=Plan.Status.ANNOUNCED',
    'where("city", "entry__organisation"), last_day__range=days',
    REP,
    what="withdrawn plans counted as evaluations held",
)
m(
    "R18",
    RSEL,
    "rate = round(100 * passed / n, 1) if n else 0.0",
    "rate = round(100 * passed / n) if n else 0.0",
    REP,
    what="pass rate rounded to whole percent",
)
m(
    "R19",
    RSEL,
    'Certificate.objects.filter(where("entry__region", "entry__organisation"), issued_on__range=days)',
    'Certificate.objects.filter(where("entry__region", "entry__organisation"))',
    REP,
    what="certificates of other periods counted",
)
m(
    "R20",
    RSEL,
    "complaints.filter(replied_at__isnull=False)",
    "complaints.filter(status=Complaint.Status.REPLIED)",
    REP,
    what="declined complaints left out of the mean working days to reply",
)

# The mutation-kill test that answers each survivor (--new-only runs just those).
KILLERS = {
    "C14": "test_results_can_be_entered_on_the_first_exam_day_itself",
    "C33": "test_results_can_be_entered_on_the_first_exam_day_itself",
    "C15": "test_results_returned_by_the_bureau_can_be_uploaded_again",
    "C21": "test_the_police_get_no_decision_form_and_cannot_approve",
    "C22": "test_the_bureau_of_the_evaluation_city_reads_but_the_agencys_own_city_decides",
    "C23": "test_results_still_on_notice_or_just_publicised_cannot_be_approved",
    "C24": "test_approval_and_return_are_audited_with_the_deciding_official",
    "C28": "test_verification_by_id_number_answers_the_latest_certificate",
    "C30": "test_a_certificate_of_another_level_does_not_block_the_next_level",
    "C31": "test_a_card_issued_on_the_exam_day_exempts_from_theory",
    "C32": "test_scores_run_from_zero_to_one_hundred_inclusive",
    "C34": "test_a_certificate_is_revoked_only_under_its_own_session",
    "C35": "test_another_agencys_candidate_is_not_revealed_under_ones_own_session",
    "C36": "test_another_agencys_marked_workbook_is_a_404_under_ones_own_session",
    "C40": "test_a_revoked_certificate_cannot_be_revoked_again",
    "S09": "test_a_cross_region_plan_is_reported_to_that_citys_hr_bureau_not_its_police",
    "S10": "test_a_cross_region_plan_is_reported_to_that_citys_hr_bureau_not_its_police",
    "S16": "test_a_returned_registration_cannot_be_confirmed_until_the_agency_answers",
    "S21": "test_an_unregistered_evaluation_is_flagged_through_its_last_exam_day",
    "S22": "test_a_complaint_not_yet_accepted_cannot_be_concluded",
    "S25": "test_a_declined_complaint_is_not_reminded_as_overdue",
    "S33": "test_after_a_suspension_is_lifted_a_new_one_can_be_decided",
    "S40": "test_a_closed_order_cannot_be_escalated",
    "S41": "test_another_agency_cannot_answer_the_order",
    "S42": "test_a_removed_agency_is_not_inspected",
    "S44": "test_a_draw_over_every_status_leaves_removed_agencies_out",
    "S45": "test_an_official_no_longer_in_post_is_not_drawn",
    "S39": "test_a_rectification_order_may_be_given_one_to_sixty_working_days",
    "S37": "test_a_sanction_reaches_the_agency_and_the_officials_of_its_city",
    "S46": "test_two_police_officers_deciding_at_once_decide_once",
    "R07": "test_an_application_is_overdue_after_its_deadline_not_on_it",
    "R09": "test_certificates_issued_in_the_quarter_count_the_revoked_ones_and_no_others",
    "R17": "test_only_announced_evaluations_count_as_held",
    "R18": "test_the_pass_rate_keeps_one_decimal",
    "R19": "test_certificates_issued_in_the_quarter_count_the_revoked_ones_and_no_others",
    "R20": "test_a_declined_complaint_counts_in_the_days_to_reply",
    "R12": "test_a_report_with_one_section_empty_is_not_submitted",
    "R14": "test_a_submitted_report_stays_submitted_when_asked_to_regenerate",
}

# Survivors that no test on SQLite can kill, and why.
EQUIVALENT = {
    "R08": "equivalent: drafts entering the applications query change no figure — the rows skip the draft "
    "state, and the overdue count and working days exclude it as settled",
}
# Survivors on SQLite that a PostgreSQL test kills (SQLite locks the whole file on a write, so a missing row lock
# changes nothing there): the CI runs the suite on PostgreSQL.
POSTGRESQL_ONLY = {
    "C13": "killed on PostgreSQL by tests/certificates/test_numbering.py::test_parallel_reservations_on_the_counter_never_share_a_serial",
    "S46": "killed on PostgreSQL by the new tests/supervision/test_mutation_kills.py::test_two_police_officers_deciding_at_once_decide_once",
}


def line_of(mutant: dict) -> int:
    text = (ROOT / mutant["file"]).read_text()
    return text[: text.index(mutant["old"])].count("\n") + 1


def table(paths: list[str]) -> str:
    """The markdown table of the results in ``paths`` (JSON files of runs)."""
    results: dict[tuple[str, str], dict] = {}
    for path in paths:
        for result in json.loads(Path(path).read_text()):
            results[(result["id"], result["phase"].removesuffix("-full"))] = result
    lines = [
        "| mutant | where | the deliberate bug | suite before | with the new tests |",
        "|---|---|---|---|---|",
    ]
    for mutant in MUTANTS:
        before = results.get((mutant["id"], "before"))
        if before is None:
            continue
        after = results.get((mutant["id"], "new-only"))
        if before["killed"]:
            was, now = "killed", "killed"
        else:
            was = "**survived**"
            if after is not None and after["killed"]:
                now = "killed by `" + KILLERS.get(mutant["id"], "the new file") + "`"
            elif mutant["id"] in POSTGRESQL_ONLY:
                now = POSTGRESQL_ONLY[mutant["id"]]
            elif mutant["id"] in EQUIVALENT:
                now = EQUIVALENT[mutant["id"]]
            else:
                now = "survived"
        lines.append(f"| {mutant['id']} | `{mutant['file']}:{line_of(mutant)}` | {mutant['what']} | {was} | {now} |")
    return "\n".join(lines)


# --quick: first the test expected to kill the mutant (its name says the rule); a mutant that survives it is run
# again against the module's test files as usual, so --quick changes the time a run takes, never its verdict.
Q = {
    "pr": T + "certificates/test_pass_rules.py",
    "pd": T + "certificates/test_personal_data.py",
    "rw": T + "certificates/test_results_workflow.py",
    "ve": T + "certificates/test_verification.py",
    "nu": T + "certificates/test_numbering.py",
    "pe": T + "reports/test_periods.py",
    "re": T + "reports/test_reports.py",
    "sc": T + "reports/test_schedule.py",
}
QUICK = {
    "C06": [Q["pr"], "-k", "seeded_table"],
    "C07": [Q["pr"], "-k", "seeded_table"],
    "C08": [Q["pd"], "-k", "gender"],
    "C09": [Q["pd"], "-k", "masks"],
    "C10": [Q["rw"], "-k", "masked"],
    "C11": [Q["ve"], "-k", "masked"],
    "C12": [Q["nu"], "-k", "without_gaps"],
    "C16": [Q["rw"], "-k", "at_least_five"],
    "C17": [Q["rw"], "-k", "at_least_five"],
    "C18": [Q["rw"], "-k", "ten_working_days_after"],
    "C19": [Q["rw"], "-k", "reaches_the_hr_bureau"],
    "C20": [Q["rw"], "-k", "reaches_the_hr_bureau"],
    "C25": [Q["nu"], "-k", "suspended_or_removed"],
    "C26": [Q["rw"], "-k", "withholds"],
    "C27": [Q["ve"], "-k", "wrong_name"],
    "C37": [Q["ve"], "-k", "reading_an_id_number"],
    "C38": [Q["rw"], "-k", "past_its_due_day"],
    "C39": [Q["ve"], "-k", "reading_an_id_number"],
    "R01": [Q["pe"], "-k", "due_date"],
    "R02": [Q["pe"]],
    "R03": [Q["pe"], "-k", "second_quarter_of_2024"],
    "R04": [Q["pe"], "-k", "periods_and_their_days"],
    "R05": [Q["pe"], "-k", "due_periods"],
    "R06": [Q["pe"], "-k", "due_periods"],
    "R10": [Q["re"], "-k", "outsiders"],
    "R11": [Q["re"], "-k", "outsiders"],
    "R12": [Q["re"], "-k", "submitting_needs_both"],
    "R13": [Q["re"], "-k", "submitting_needs_both"],
    "R14": [Q["re"], "-k", "submitting_needs_both"],
    "R15": [Q["sc"], "-k", "reminded_once"],
    "R16": [Q["re"], "-k", "city_report_counts"],
    "S03": [SP, "-k", "exactly_ten"],
    "S04": [SP, "-k", "announcing_later"],
    "S05": [SP, "-k", "two_examiners"],
    "S07": [SP, "-k", "city_scope_agency_cannot_plan_in_another"],
    "S08": [SP, "-k", "consent_deadline or awaits_that_citys"],
    "S11": [SP, "-k", "another_city_cannot_decide"],
    "S14": [SS, "-k", "blocks_plans_and_announcements"],
    "S17": [SR, "-k", "see"],
    "S18": [SR, "-k", "agency_sees_only_its_own"],
    "S19": [SC, "-k", "police_of_the_city_read"],
    "S20": [SR, "-k", "removed_agency_is_not_listed"],
    "S23": [SC, "-k", "fifteen_working_days"],
    "S24": [SC, "-k", "overdue_the_day_after"],
    "S26": [SC, "-k", "not_upheld or accepts_investigates"],
    "S27": [SC, "-k", "only_the_bureau"],
    "S28": [SC, "-k", "anonymous"],
    "S29": [SS, "-k", "removal_is_the_centres"],
    "S30": [SS, "-k", "limits"],
    "S31": [SS, "-k", "limits"],
    "S32": [SS, "-k", "limits"],
    "S34": [SS, "-k", "warning_is_numbered"],
    "S35": [SS, "-k", "ends_after"],
    "S36": [SS, "-k", "warning_is_numbered"],
    "S38": [SI, "-k", "due_in_working_days"],
    "S39": [SI, "-k", "within_bounds"],
    "S43": [SD, "-k", "conflict or inspected_an_agency"],
}


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout


def run_tests(paths: list[str], extra: list[str] | None = None) -> tuple[int, str]:
    command = [PY, "-m", "pytest", "-x", "-q", "-p", "no:randomly", *paths, *(extra or [])]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    tail = [line for line in done.stdout.splitlines() if line.strip()][-1:] or [""]
    failed = [line for line in done.stdout.splitlines() if line.startswith("FAILED") or line.startswith("ERROR")]
    return done.returncode, (failed[0] if failed else tail[0])[:300]


def apply(mutant: dict) -> str:
    """Mutate the file; returns its original text (to restore it)."""
    path = ROOT / mutant["file"]
    text = path.read_text()
    count = text.count(mutant["old"])
    if count != 1:
        raise SystemExit(f"{mutant['id']}: the original text occurs {count} times in {mutant['file']}")
    path.write_text(text.replace(mutant["old"], mutant["new"]))
    return text


def restore(mutant: dict, original: str) -> None:
    """Back to the original text; in a git checkout also ``git checkout -- FILE`` (the committed file)."""
    (ROOT / mutant["file"]).write_text(original)
    if (ROOT / ".git").exists():
        git("checkout", "--", mutant["file"])


# The test files that exercise each module, most telling first (-x stops at the first failure): a folder takes
# minutes on the shared machine; --full runs a mutant against its whole folder instead.
C = T + "certificates/test_"
R = T + "reports/test_"
NARROW = {
    "certificates/rules.py": [C + "pass_rules.py", C + "import.py"],
    "certificates/reference.py": [C + "pass_rules.py", C + "import.py"],
    "certificates/idnumbers.py": [C + "personal_data.py", C + "import.py", C + "results_workflow.py"],
    "certificates/notices.py": [C + "results_workflow.py"],
    "certificates/verification.py": [C + "verification.py"],
    "certificates/numbering.py": [C + "numbering.py"],
    "certificates/services.py": [
        C + "results_workflow.py",
        C + "numbering.py",
        C + "personal_data.py",
        C + "import.py",
    ],
    "certificates/selectors.py": [C + "verification.py", C + "results_workflow.py", C + "personal_data.py"],
    "certificates/importing.py": [C + "import.py", C + "pass_rules.py"],
    "certificates/loaders.py": [C + "personal_data.py", C + "results_workflow.py"],
    "certificates/views.py": [C + "personal_data.py", C + "results_workflow.py"],
    "certificates/models.py": [C + "results_workflow.py"],
    "reports/periods.py": [R + "periods.py", R + "schedule.py"],
    "reports/selectors.py": [R + "reports.py"],
    "reports/services.py": [R + "reports.py", R + "schedule.py"],
    "reports/loaders.py": [R + "reports.py"],
    "supervision/services/plans.py": [SP, SR, SPG],
    "supervision/selectors.py": [SW, SPG, SP, SR, SC, SI, SS],
    "supervision/services/complaints.py": [SC, SI, SPG],
    "supervision/services/sanctions.py": [SS, SI, SPG],
    "supervision/services/inspections.py": [SI, SS],
    "supervision/services/draws.py": [SD],
}


def run(mutant: dict, phase: str, new_only: bool, full: bool, quick: bool = False) -> dict:
    app = mutant["file"].split("/")[0]
    original = apply(mutant)
    started = time.monotonic()
    try:
        if new_only:
            commands = [([NEW[app]], ["-k", KILLERS[mutant["id"]]] if mutant["id"] in KILLERS else None)]
        else:
            paths = list(mutant["tests"])
            if not full and mutant["file"] in NARROW:
                paths = list(NARROW[mutant["file"]])
            if phase == "after" and NEW[app] not in paths and not any(NEW[app].startswith(p + "/") for p in paths):
                paths.append(NEW[app])
            commands = [(paths, None)]
            if mutant["also"]:
                commands.append(([mutant["also"][0]], list(mutant["also"][1:])))
        outcome = {"rc": 0, "detail": ""}
        if quick and not new_only and mutant["id"] in QUICK:
            first = QUICK[mutant["id"]]
            rc, detail = run_tests([first[0]], first[1:])
            if rc == 1:  # a test failed: killed (anything else, e.g. nothing selected, runs the usual files)
                outcome, commands = {"rc": rc, "detail": detail}, []
        for paths, extra in commands:
            rc, detail = run_tests(paths, extra)
            if rc != 0:
                outcome = {"rc": rc, "detail": detail}
                break
            outcome["detail"] = detail
    finally:
        restore(mutant, original)
    return {
        "id": mutant["id"],
        "file": mutant["file"],
        "what": mutant["what"],
        "phase": "new-only" if new_only else phase + ("-full" if full else ""),
        "killed": outcome["rc"] == 1,
        "rc": outcome["rc"],
        "detail": outcome["detail"],
        "seconds": round(time.monotonic() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phase", default="before", choices=("before", "after"))
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--new-only", action="store_true")
    parser.add_argument("--check", action="store_true", help="only check that every mutant applies")
    parser.add_argument("--full", action="store_true", help="each mutant against its whole test folder")
    parser.add_argument("--table", nargs="*", help="print the markdown table of these result files")
    parser.add_argument("--quick", action="store_true", help="first the test expected to kill each mutant")
    options = parser.parse_args()
    if options.table is not None:
        print(table(options.table or [str(RESULTS)]))
        return
    dirty = (
        git("status", "--porcelain", "--", "supervision", "certificates", "reports") if (ROOT / ".git").exists() else ""
    )
    if dirty.strip():
        raise SystemExit("supervision/, certificates/ or reports/ has uncommitted changes:\n" + dirty)
    by_id = {mu["id"]: mu for mu in MUTANTS}
    chosen = [by_id[mid] for mid in options.only] if options.only else MUTANTS
    if options.check:
        for mutant in chosen:
            restore(mutant, apply(mutant))
        print(f"{len(chosen)} mutants apply")
        return
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    for mutant in chosen:
        result = run(mutant, options.phase, options.new_only, options.full, options.quick)
        results = [r for r in results if not (r["id"] == result["id"] and r["phase"] == result["phase"])]
        results.append(result)
        RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
        state = "killed" if result["killed"] else ("SURVIVED" if result["rc"] == 0 else f"rc={result['rc']}")
        print(f"{result['id']} {state:9} {result['seconds']:6.1f}s {result['what']} | {result['detail']}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
