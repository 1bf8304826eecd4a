import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import path, reverse

from portal.lib.access import public
from portal.urls import urlpatterns as portal_urlpatterns

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_database_and_broker(db, client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["database"] == "ok"
    assert body["broker"] in ("ok", "eager")


def test_healthz_is_unhealthy_when_the_broker_is_down(db, client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unhealthy", "database": "ok", "broker": "down"}


def test_unknown_page_is_a_chinese_404(db, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "您访问的页面不存在" in response.content.decode()


@public
def _boom(request):
    raise RuntimeError("secret internals")


urlpatterns = [path("boom/", _boom), *portal_urlpatterns]


@pytest.mark.urls(__name__)
def test_server_error_shows_a_chinese_page_without_a_trace(db, client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "系统出现错误" in page
    assert "secret internals" not in page and "Traceback" not in page


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DJANGO_DEBUG="False")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


# A production instance's environment: DEBUG off, its own secret, hosts, keys (the development ones are refused:
# tests/certificates/test_checks.py) and public address.
PRODUCTION = {
    "DJANGO_DEBUG": "False",
    "DJANGO_SECRET_KEY": "k" * 20 + "Zx9!pQ7#mL2@vB5$nR8&tY4*wE6^uI3(oP1)aS0",
    "DJANGO_ALLOWED_HOSTS": "portal.example.gov.cn",
    "CERTIFICATE_ID_KEY": "9f" * 16,
    "CERTIFICATE_HASH_KEY": "3c" * 32,
    "AUDIT_CHAIN_KEY": "a1" * 32,
    "PORTAL_BASE_URL": "https://portal.example.gov.cn",
}


def test_deploy_check_prints_no_warning_in_production():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("address", "warned"),
    [("http://127.0.0.1:8000", True), ("http://localhost", True), ("https://portal.example.gov.cn", False)],
)
def test_deploy_check_warns_when_the_qr_codes_would_point_at_loopback(address, warned):
    result = _manage("check", "--deploy", **{**PRODUCTION, "PORTAL_BASE_URL": address})
    assert result.returncode == 0, result.stderr  # a warning: the server still starts
    assert ("portal.W002" in result.stderr + result.stdout) is warned


def test_production_refuses_the_development_audit_chain_key():
    result = _manage(
        "check",
        DJANGO_DEBUG="False",
        DJANGO_SECRET_KEY="k" * 20 + "Zx9!pQ7#mL2@vB5$nR8&tY4*wE6^uI3(oP1)aS0",
        DJANGO_ALLOWED_HOSTS="portal.example.gov.cn",
    )
    assert result.returncode != 0
    assert "portal.E001" in result.stderr and "AUDIT_CHAIN_KEY is the development key" in result.stderr


def test_a_retention_below_184_days_is_refused():
    result = _manage("check", AUDIT_RETENTION_DAYS="183")
    assert result.returncode != 0 and "portal.E003" in result.stderr
    assert _manage("check", AUDIT_RETENTION_DAYS="184").returncode == 0


def test_seed_demo_is_refused_when_debug_is_off():
    result = _manage(
        "seed_demo",
        DJANGO_DEBUG="False",
        DJANGO_SECRET_KEY="x" * 60,
        DATABASE_URL="sqlite:///:memory:",
        # Keys of its own: with the development ones the system check stops it before (test_checks.py).
        CERTIFICATE_ID_KEY="9f" * 16,
        CERTIFICATE_HASH_KEY="3c" * 32,
        AUDIT_CHAIN_KEY="a1" * 32,
    )
    assert result.returncode != 0
    assert "refused when DEBUG is off" in result.stderr


def test_ci_runs_the_suite_on_postgresql(db):
    from django.db import connection

    if not os.environ.get("CI"):
        pytest.skip("outside CI the suite may run on SQLite")
    assert connection.vendor == "postgresql"
