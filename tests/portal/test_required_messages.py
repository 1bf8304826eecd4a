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


# ---------------------------------------------------------------- forms the portal does not define (issue qa4)


def _django_built_forms(people) -> dict[str, forms.BaseForm]:
    """Forms users meet that Django and the installed packages build: why a base form class would not do."""
    from django.contrib import admin
    from django.contrib.admin.helpers import ActionForm
    from django.contrib.auth.forms import PasswordChangeForm
    from django.test import RequestFactory
    from django_celery_beat.models import PeriodicTask

    request = RequestFactory().get("/admin/")
    request.user = people.admin
    periodic = admin.site._registry[PeriodicTask].get_form(request)
    return {
        "password change": PasswordChangeForm(people.city_nanning, data={}),
        "admin (django-celery-beat)": periodic(data={}),
        "admin action bar": ActionForm(data={}),
    }


@pytest.mark.django_db
def test_forms_built_by_django_and_packages_speak_the_portals_words_too(people):
    with translation.override("zh-hans"):
        built = _django_built_forms(people)
        assert built["password change"].errors["old_password"] == ["请填写旧密码。"]
        (name,) = built["admin (django-celery-beat)"].errors["name"]
        assert name.startswith("请填写") and name.endswith("。")  # the field's label as the catalogue words it
        assert built["admin action bar"].errors["action"] == ["请选择动作。"]


@pytest.mark.django_db
def test_without_the_patch_those_forms_would_keep_djangos_words(people):
    from portal.lib import formmessages

    formmessages.uninstall()
    try:
        assert not formmessages.installed()
        with translation.override("zh-hans"):
            built = _django_built_forms(people)
            django_words = str(DJANGO_REQUIRED)
            assert "这个字段是必须的" in django_words
            assert built["password change"].errors["old_password"] == [django_words]
            assert built["admin action bar"].errors["action"] == [django_words]
    finally:
        formmessages.install()
    assert formmessages.installed()


def test_installing_twice_wraps_once():
    from portal.lib import formmessages

    wrapper = forms.BaseForm.__init__
    formmessages.install()
    assert forms.BaseForm.__init__ is wrapper
    assert getattr(wrapper, formmessages.MARK).__qualname__ == "BaseForm.__init__"  # Django's own, underneath
