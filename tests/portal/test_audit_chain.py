"""The audit log the application cannot rewrite (issue 14, item 5): the HMAC-SM3 chain, its verification naming
the first broken row, the archive of rows past the retention, the PostgreSQL trigger against the portal's own
role, concurrent writers on one chain, and reading personal data being audited."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from portal.lib import auditchain
from portal.models import AuditChainHead, AuditEvent
from portal.services import audit_archive, audit_chain_head, audit_chain_verify, audit_record

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only (SQLite has no such guard)"
)


def chained(when: dt.datetime, action: str = "login", actor=None) -> AuditEvent:
    """A row chained as ``audit_record`` chains it, written at ``when`` (old rows: the trigger refuses to backdate
    one afterwards)."""
    with transaction.atomic():
        head = audit_chain_head()
        event = AuditEvent(
            time=when,
            actor=actor,
            username=actor.username if actor else "old",
            role=actor.role if actor else "",
            action=action,
            seq=head.seq + 1,
            prev_mac=head.mac,
        )
        event.mac = auditchain.mac_of({name: getattr(event, name) for name in auditchain.FIELDS})
        event.save()
        head.seq, head.mac = event.seq, event.mac
        head.save()
    return event


def tamper(sql: str, params: list) -> None:
    """Change the table behind the application's back: the trigger set aside, as a database owner could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred foreign-key checks run now
            cursor.execute("ALTER TABLE portal_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE portal_auditevent ENABLE TRIGGER USER")


def test_each_row_is_chained_to_the_previous_with_hmac_sm3(people):
    first = audit_record(action="login", actor=people.centre)
    second = audit_record(action="logout", actor=people.centre, detail="明细")
    assert second.seq == first.seq + 1 and second.prev_mac == first.mac
    assert len(second.mac) == 64 and second.mac == auditchain.mac_of(
        {name: getattr(second, name) for name in auditchain.FIELDS}
    )
    # The MAC is keyed: another key gives another MAC, so nobody without the key can forge a row.
    assert second.mac != auditchain.mac_of({name: getattr(second, name) for name in auditchain.FIELDS}, key="00" * 32)
    assert audit_chain_verify() is None
    call_command("verify_audit_chain")


def test_a_changed_row_is_named_as_the_first_broken_one(people):
    rows = [audit_record(action="login", actor=people.centre, detail=str(n)) for n in range(5)]
    tamper("UPDATE portal_auditevent SET detail = %s WHERE id = %s", ["改过", rows[2].pk])
    with pytest.raises(CommandError) as raised:
        call_command("verify_audit_chain")
    assert f"seq={rows[2].seq} (id={rows[2].pk})" in str(raised.value)
    assert "content was changed" in str(raised.value)


def test_a_removed_row_breaks_the_chain_at_the_next(people):
    rows = [audit_record(action="login", actor=people.centre, detail=str(n)) for n in range(4)]
    tamper("DELETE FROM portal_auditevent WHERE id = %s", [rows[1].pk])
    broken = audit_chain_verify()
    assert broken.seq == rows[2].seq and "missing" in broken.reason


def test_a_row_rechained_without_the_key_is_found(people):
    rows = [audit_record(action="login", actor=people.centre) for _ in range(3)]
    forged = {name: getattr(rows[1], name) for name in auditchain.FIELDS} | {"action": "logout"}
    tamper(
        "UPDATE portal_auditevent SET action = %s, mac = %s WHERE id = %s",
        ["logout", auditchain.mac_of(forged, key="11" * 32), rows[1].pk],
    )
    assert audit_chain_verify().seq == rows[1].seq


def test_a_row_inserted_around_the_chain_is_named(people):
    audit_record(action="login", actor=people.centre)
    outsider = AuditEvent.objects.create(username="mallory", action="login")
    with pytest.raises(CommandError, match=f"id={outsider.pk}.*not in the chain"):
        call_command("verify_audit_chain")


def test_rows_past_the_retention_are_archived_with_their_chain_then_deleted(people, settings, tmp_path):
    settings.AUDIT_ARCHIVE_DIR = tmp_path
    now = timezone.now()
    old = [chained(now - dt.timedelta(days=days)) for days in (400, 300, 185)]
    kept = chained(now - dt.timedelta(days=183, hours=23))
    recent = audit_record(action="login", actor=people.centre)
    path = audit_archive()
    assert path.name == f"audit-{old[0].seq:010d}-{old[-1].seq:010d}.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        archived = [json.loads(line) for line in lines]
    assert [row["seq"] for row in archived] == [event.seq for event in old]
    assert archived[-1]["mac"] == old[-1].mac and archived[0]["prev_mac"] == old[0].prev_mac
    assert set(AuditEvent.objects.values_list("pk", flat=True)) == {kept.pk, recent.pk}
    head = AuditChainHead.objects.get(pk=1)
    assert (head.archived_seq, head.archived_mac) == (old[-1].seq, old[-1].mac)
    # The rows left verify from where the archive ends; the archive verifies with them.
    assert audit_chain_verify() is None
    assert audit_chain_verify(archives=[path]) is None
    call_command("verify_audit_chain", str(path))
    assert audit_archive() is None  # nothing more is due


def test_the_archive_command_says_what_it_did(people, settings, tmp_path, capsys):
    settings.AUDIT_ARCHIVE_DIR = tmp_path
    call_command("archive_audit_log")
    assert "No audit rows are past the retention period" in capsys.readouterr().out
    chained(timezone.now() - dt.timedelta(days=200))
    call_command("archive_audit_log")
    assert "Archived to" in capsys.readouterr().out


def test_a_user_with_audit_rows_cannot_be_deleted_only_deactivated(people):
    from django.db.models import ProtectedError

    audit_record(action="login", actor=people.city_liuzhou)
    with pytest.raises(ProtectedError):
        people.city_liuzhou.delete()


# ---------------------------------------------------------------- PostgreSQL: the trigger against the portal's role


@postgresql_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE portal_auditevent SET detail = 'x' WHERE id = %(id)s",
        "DELETE FROM portal_auditevent WHERE id = %(id)s",
        "TRUNCATE portal_auditevent",
        "UPDATE portal_auditevent SET time = now() - interval '400 days' WHERE id = %(id)s",
    ],
)
def test_the_portals_own_role_cannot_change_delete_or_truncate_audit_rows(people, sql):
    event = audit_record(action="login", actor=people.centre)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)")
        assert cursor.fetchone()[1] is False  # the role the portal runs as, not a superuser
        with pytest.raises(DatabaseError) as raised, transaction.atomic():
            cursor.execute(sql, {"id": event.pk})
    assert "audit" in str(raised.value)
    assert AuditEvent.objects.filter(pk=event.pk, detail="").exists()


@postgresql_only
@pytest.mark.parametrize(("days", "deleted"), [(183, False), (184, False), (185, True)])
def test_only_a_row_older_than_184_days_may_be_deleted(people, days, deleted):
    event = chained(timezone.now() - dt.timedelta(days=days, minutes=-1 if days == 184 else 0))
    with connection.cursor() as cursor:
        if deleted:
            cursor.execute("DELETE FROM portal_auditevent WHERE id = %s", [event.pk])
        else:
            with pytest.raises(DatabaseError), transaction.atomic():
                cursor.execute("DELETE FROM portal_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists() is not deleted


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    writers, per_writer = 6, 15
    start = threading.Barrier(writers)
    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(per_writer):
                with transaction.atomic():
                    audit_record(action="login", username=f"w{n}", detail=str(i))
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, writers * per_writer + 1))
    assert audit_chain_verify() is None


# ---------------------------------------------------------------- reading personal data is audited


def test_an_official_reading_an_application_is_audited_the_agency_reading_its_own_is_not(people, client_for):
    from tests.filings.factories import nanning_submission

    application = nanning_submission(people)
    before = AuditEvent.objects.filter(action="personal_data_view").count()
    assert (
        client_for(people.agency_nanning).get(reverse("filings:application_detail", args=[application.pk])).status_code
        == 200
    )
    assert AuditEvent.objects.filter(action="personal_data_view").count() == before
    assert (
        client_for(people.city_nanning).get(reverse("filings:application_detail", args=[application.pk])).status_code
        == 200
    )
    row = AuditEvent.objects.filter(action="personal_data_view").latest("seq")
    assert row.username == "city_nanning" and row.object_id == str(application.pk)
    assert row.object_type == "filings.Application"
    pdf = client_for(people.city_nanning).get(reverse("filings:version_pdf", args=[application.pk, 1]))
    assert pdf.status_code == 200
    assert AuditEvent.objects.filter(action="personal_data_view", username="city_nanning").count() == 2
