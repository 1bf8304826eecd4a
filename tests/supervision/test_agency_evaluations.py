"""First-day finding: nothing led from an agency to its own announced evaluations. Its directory page now links to
the public list filtered to it (``?entry=``), which names the agency and lists its evaluations only; the other
filters keep it; without it every agency's are listed as before."""

from __future__ import annotations

from django.urls import reverse

from tests.certificates.factories import announced_plan


def test_the_directory_page_leads_to_the_agencys_own_evaluations(client, people, nanning_entry, liuzhou_entry):
    ours = announced_plan(nanning_entry, people.agency_nanning, days_ago=-20)
    theirs = announced_plan(liuzhou_entry, people.agency_liuzhou, days_ago=-20)
    entry_page = client.get(reverse("directory:entry", args=[nanning_entry.pk])).content.decode()
    link = f"/evaluations/?entry={nanning_entry.pk}"
    assert link in entry_page and "查看其认定计划" in entry_page

    listing = client.get(link).content.decode()
    assert f"{nanning_entry.organisation.name}的评价计划" in listing
    assert reverse("evaluations:detail", args=[ours.pk]) in listing
    assert reverse("evaluations:detail", args=[theirs.pk]) not in listing
    # Another filter keeps the agency (its hidden field), and the list of every agency is one click away.
    assert f'name="entry" value="{nanning_entry.pk}"' in listing
    assert 'href="/evaluations/">查看全部机构</a>' in listing

    every = client.get("/evaluations/").content.decode()
    assert reverse("evaluations:detail", args=[theirs.pk]) in every
    assert reverse("evaluations:detail", args=[ours.pk]) in every
    assert "的评价计划" not in every


def test_an_unknown_agency_is_a_bad_filter(client, db):
    assert client.get("/evaluations/?entry=999999").status_code == 400
