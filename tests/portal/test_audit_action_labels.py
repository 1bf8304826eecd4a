"""Every action code the code base records in the audit log has a Chinese label: the audit list never shows a raw
code such as ``report_submit`` (a first-day tester's finding). The codes are read from the source: every
``audit_record(action=...)`` and ``security_event(action=...)`` call, f-strings expanded over the workflow tables
they are built from; a call whose code this test cannot work out fails it, so a new kind of call is noticed."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from filings.workflow import TABLES
from portal.models import AuditEvent
from portal.services import audit_record
from supervision.services.complaints import STEPS

ROOT = Path(settings.BASE_DIR)
SKIPPED = {".venv", "tests", "bench", "var", "node_modules", "static", "locale"}
CALLS = {"audit_record", "security_event"}
# f-strings: the values their one placeholder takes, from the tables that drive them.
EXPANSIONS = {
    "f'application_{name}'": {f"application_{t.name}" for table in TABLES.values() for t in table},
    "f'complaint_{step}'": {f"complaint_{step}" for step in STEPS},
}
PASSED_ON = {"event['action']"}  # security_events_flush: the codes given to security_event, checked there


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def recorded_codes() -> dict[str, str]:
    """Every action code recorded, with where (file:line)."""
    codes: dict[str, str] = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in SKIPPED or "migrations" in parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name not in CALLS:
                continue
            for keyword in node.keywords:
                if keyword.arg != "action":
                    continue
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                codes.update(dict.fromkeys(_codes_of(keyword.value, path, where), where))
    return codes


def _codes_of(value: ast.expr, path: Path, where: str) -> set[str]:
    source = ast.unparse(value)
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return {value.value}
    if isinstance(value, ast.IfExp):  # one code or the other
        return _codes_of(value.body, path, where) | _codes_of(value.orelse, path, where)
    if source in EXPANSIONS:
        return EXPANSIONS[source]
    if source in PASSED_ON:
        return set()
    if isinstance(value, ast.Attribute):  # Action.X, AuditEvent.Action.X: the module's own names
        module = importlib.import_module(_module_name(path))
        namespace = {"AuditEvent": AuditEvent, **vars(module)}  # AuditEvent: imported inside some functions
        return {str(eval(source, namespace))}  # noqa: S307 - our own source, a dotted name
    raise AssertionError(f"{where}: cannot tell the action code of {source}")


def test_the_scan_finds_the_codes_of_every_kind_of_call():
    codes = recorded_codes()
    assert len(codes) > 60
    for code in ("report_submit", "report_fill", "application_recommend", "complaint_reply", "results_import"):
        assert code in codes, code
    assert "upload_rejected" in codes and "access_denied" in codes  # security_event(action=AuditEvent.Action.X)


def test_every_recorded_action_code_has_a_chinese_label():
    unlabelled = {code: where for code, where in recorded_codes().items() if code not in AuditEvent.Action.values}
    assert unlabelled == {}
    with translation.override("zh-hans"):
        for code in recorded_codes():
            label = str(AuditEvent.Action(code).label)
            assert re.search(r"[\u4e00-\u9fff]", label), f"{code}: {label}"


@pytest.mark.django_db
def test_the_audit_list_shows_report_actions_by_their_label(people, client_for):
    audit_record(action="report_fill", actor=people.city_nanning)
    audit_record(action="report_submit", actor=people.city_nanning)
    page = client_for(people.admin).get(reverse("audit_list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert ">report_submit<" not in page and ">report_fill<" not in page
    assert "工作报告已报送" in page and "工作报告已填写" in page
