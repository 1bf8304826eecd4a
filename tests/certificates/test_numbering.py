"""Certificate numbers: the national 22-character form, gap-free per agency and year, under concurrency too;
issuing refused for an agency suspended or removed from the directory."""

from __future__ import annotations

import datetime as dt
import threading
from unittest import mock

import pytest
from django.db import connection

from certificates.models import Certificate, NumberCounter, Session
from certificates.numbering import format_number
from certificates.services import certificates_issue
from portal.lib.errors import WorkflowError
from tests.certificates.factories import approved_session, candidates, filed_entry, id_number


@pytest.fixture
def entry(people):
    return filed_entry(people.org_nanning, institution_code="S000045000001")


def test_the_default_rule_is_the_national_22_character_form(entry):
    # S + 0000 (agency code) + 45 (Guangxi) + 000001 (agency sequence) + 26 (2026) + 5 (level) + 000001 (serial)
    number = format_number(entry, year=2026, level=5, serial=1)
    assert number == "S000045000001265000001"
    assert len(number) == 22


def test_an_agency_on_a_code_in_another_layout_gets_its_province_and_directory_id(people):
    # A provisional code made before provisional codes took the ministry's layout (S, province, year, sequence).
    entry = filed_entry(people.org_liuzhou, institution_code="S45202600007")
    assert format_number(entry, year=2027, level=3, serial=42) == f"S000045{entry.pk:06d}273000042"


def test_the_rule_is_a_setting(entry, settings):
    settings.CERTIFICATE_NUMBER_PATTERN = "GX-{year}-{level}-{serial:04d}"
    assert format_number(entry, year=2026, level=4, serial=7) == "GX-26-4-0007"


def test_issuing_numbers_the_passed_candidates_from_one_without_gaps(entry, people):
    session = approved_session(entry, people.agency_nanning, 3)
    candidates(session, [("未过", id_number(900))], passed=False)
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 7, 1)):
        issued = certificates_issue(session=session, by=people.agency_nanning)
    assert [c.number for c in issued] == [
        "S000045000001265000001",
        "S000045000001265000002",
        "S000045000001265000003",
    ]
    session.refresh_from_db()
    assert session.status == Session.Status.ISSUED
    assert Certificate.objects.count() == 3


def test_a_second_session_of_the_year_continues_and_a_new_year_starts_again(entry, people):
    first = approved_session(entry, people.agency_nanning, 2)
    second = approved_session(entry, people.agency_nanning, 1, first=100, level=4)
    third = approved_session(entry, people.agency_nanning, 1, first=200, level=3)
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 12, 31)):
        certificates_issue(session=first, by=people.agency_nanning)
        assert [c.number for c in certificates_issue(session=second, by=people.agency_nanning)] == [
            "S000045000001264000003"
        ]
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2027, 1, 4)):
        assert [c.number for c in certificates_issue(session=third, by=people.agency_nanning)] == [
            "S000045000001273000001"
        ]


@pytest.mark.parametrize("status", ["suspended", "removed"])
def test_a_suspended_or_removed_agency_issues_nothing(people, status):
    entry = filed_entry(people.org_nanning, institution_code="S000045000001", status=status)
    session = approved_session(entry, people.agency_nanning, 2)
    with pytest.raises(WorkflowError):
        certificates_issue(session=session, by=people.agency_nanning)
    assert not Certificate.objects.exists()
    assert not NumberCounter.objects.filter(entry=entry, last__gt=0).exists()
    assert Session.objects.get(pk=session.pk).status == Session.Status.APPROVED


def test_results_not_yet_approved_are_not_issued(entry, people):
    session = approved_session(entry, people.agency_nanning, 1)
    Session.objects.filter(pk=session.pk).update(status=Session.Status.REPORTED)
    session.refresh_from_db()
    with pytest.raises(WorkflowError):
        certificates_issue(session=session, by=people.agency_nanning)
    assert not Certificate.objects.exists()


def test_a_refused_issue_gives_its_numbers_back(entry, people):
    """一人多证 caught at issue (a certificate from elsewhere since the import): nothing issued, no gap."""
    other = filed_entry(people.org_liuzhou, institution_code="S000045000002")
    clash = approved_session(other, people.agency_liuzhou, 1)
    certificates_issue(session=clash, by=people.agency_liuzhou)
    session = approved_session(entry, people.agency_nanning, 1)  # the same person (serial 0)
    with pytest.raises(WorkflowError):
        certificates_issue(session=session, by=people.agency_nanning)
    assert not Certificate.objects.filter(entry=entry).exists()
    assert NumberCounter.objects.filter(entry=entry, last__gt=0).count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)")
@pytest.mark.django_db(transaction=True)
def test_parallel_issues_of_one_agency_share_one_gap_free_sequence(reference_data):
    from agencies.models import Organisation
    from portal.models import Role
    from tests.agencies.factories import OrganisationFactory
    from tests.portal.factories import UserFactory, region

    organisation: Organisation = OrganisationFactory(name="南宁并发测试学校", region=region("450100"))
    agency = UserFactory(username="parallel", role=Role.AGENCY, organisation=organisation)
    entry = filed_entry(organisation, institution_code="S000045000009")
    sessions = [approved_session(entry, agency, 20, first=100 * i) for i in range(4)]
    barrier = threading.Barrier(len(sessions))
    failures: list[BaseException] = []

    def issue(session):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            certificates_issue(session=session, by=agency)
        except BaseException as error:  # reported below
            failures.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=issue, args=(session,)) for session in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    serials = sorted(int(number[-6:]) for number in Certificate.objects.values_list("number", flat=True))
    assert serials == list(range(1, 81))
    assert NumberCounter.objects.get(entry=entry).last == 80


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)")
@pytest.mark.django_db(transaction=True)
def test_parallel_reservations_on_the_counter_never_share_a_serial(reference_data):
    """The counter's own lock, without the issue's lock on the directory entry: each thread reserves five serials
    while the others try, with a pause between reading the counter and writing it back."""
    import time

    from django.db import transaction

    from certificates.numbering import next_serials
    from tests.agencies.factories import OrganisationFactory
    from tests.portal.factories import region

    entry = filed_entry(OrganisationFactory(name="南宁计数测试学校", region=region("450100")))
    original_save = NumberCounter.save
    barrier = threading.Barrier(4)
    reserved: list[int] = []
    failures: list[BaseException] = []

    def slow_save(self, *args, **kwargs):
        time.sleep(0.05)
        return original_save(self, *args, **kwargs)

    def reserve():
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                reserved.extend(next_serials(entry, 2026, 5))
        except BaseException as error:  # reported below
            failures.append(error)
        finally:
            thread_connection.close()

    with mock.patch.object(NumberCounter, "save", slow_save):
        threads = [threading.Thread(target=reserve) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert failures == []
    assert sorted(reserved) == list(range(1, 21))


def test_statistics_count_the_certificates_of_the_jurisdiction_only(entry, people, client_for):
    session = approved_session(entry, people.agency_nanning, 3)
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 7, 1)):
        certificates_issue(session=session, by=people.agency_nanning)
    nanning = client_for(people.city_nanning).get("/certificates/statistics/")
    assert nanning.status_code == 200 and nanning.context["total"] == 3
    charts = dict(nanning.context["charts"])
    assert [(bar["total"], bar["width"]) for bars in charts.values() for bar in bars] == [(3, 100)] * 3
    assert [bar["label"] for bar in list(charts.values())[2]] == ["2026-07"]
    assert client_for(people.city_liuzhou).get("/certificates/statistics/").context["total"] == 0
    assert client_for(people.agency_nanning).get("/certificates/statistics/").status_code == 403
