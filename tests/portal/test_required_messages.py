"""A required field left empty is answered in the portal's words, naming the field ("请填写{字段名}。"), on every form
of the portal — never Django's default "这个字段是必须的。" — and the API's ``detail`` reads the form's own errors as
plain sentences, without ``__all__:`` (a first-day tester's findings)."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.utils import translation

from portal.lib.formmessages import DJANGO_REQUIRED

APPS = ("portal", "agencies", "publicity", "filings", "supervision", "certificates", "reports")


def project_forms() -> list[type[forms.BaseForm]]:
    """Every form class defined in the project's modules (forms, views, admin, lib)."""
    found: dict[str, type[forms.BaseForm]] = {}
    root = Path(settings.BASE_DIR)
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if "migrations" in parts or "management" in parts or parts[-1] in ("demo", "tasks"):
                continue
            module = importlib.import_module(".".join(parts))
            for name, value in vars(module).items():
                if (
                    inspect.isclass(value)
                    and issubclass(value, forms.BaseForm)
                    and value.__module__ == module.__name__
                    and not inspect.isabstract(value)
                ):
                    found[f"{module.__name__}.{name}"] = value
    return list(found.values())


def _instance(form_class: type[forms.BaseForm]) -> forms.BaseForm | None:
    try:
        return form_class()
    except (TypeError, ValueError):  # needs its object, its user or its model: the fields are the class's
        return None


def test_the_walk_finds_the_portals_forms():
    names = {form.__name__ for form in project_forms()}
    assert {"ImportForm", "CorrectionForm", "AuditFilterForm"} <= names
    assert len(names) > 40


@pytest.mark.django_db
def test_no_required_field_of_any_form_keeps_djangos_message():
    unworded = []
    with translation.override("zh-hans"):
        for form_class in project_forms():
            form = _instance(form_class)
            fields = form.fields if form is not None else form_class.base_fields
            if form is None:  # built as the form's __init__ would: the same mechanism, applied to its fields
                from portal.lib.formmessages import name_required

                shell = forms.Form()
                shell.fields = {name: field.__deepcopy__({}) for name, field in fields.items()}
                name_required(shell)
                fields = shell.fields
            for name, field in fields.items():
                message = field.error_messages.get("required")
                if field.required and (message is DJANGO_REQUIRED or "这个字段是必须的" in str(message)):
                    unworded.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert unworded == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "expected"),
    [
        (forms.CharField(label="退回理由"), "请填写退回理由。"),
        (forms.ChoiceField(label="等级", choices=[("1", "一级")]), "请选择等级。"),
        (forms.FileField(label="成绩表"), "请选择成绩表。"),
        (forms.BooleanField(label="我已阅读承诺书"), "请勾选“我已阅读承诺书”。"),
        (forms.CharField(), "请填写此项。"),
        (forms.CharField(label="理由", error_messages={"required": "请说明理由。"}), "请说明理由。"),
    ],
)
def test_an_empty_required_field_is_named_in_the_portals_words(field, expected):
    class Sample(forms.Form):
        value = field

    with translation.override("zh-hans"):
        form = Sample(data={})
        assert form.errors == {"value": [expected]}


@pytest.mark.django_db
def test_the_apis_detail_reads_the_forms_own_error_as_a_sentence(client):
    response = client.post("/api/v1/certificates/verify/", {"name": "陆海涛"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert response.json()["detail"] == "请填写证书编号或身份证号。"
    assert "__all__" not in response.json()["detail"]
