"""An agency's supervision file links only what its reader can open: the HR bureau of 柳州 reads the file of
南宁's province-wide agency (registered with 柳州's police), but the complaints about it are 南宁's to handle —
they are listed in the chain without a link, never as a link that answers 404."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from supervision.services import complaint_submit, registration_submit
from supervision.services.inspections import inspection_open
from tests.portal.factories import region
from tests.supervision.factories import today_is

WEDNESDAY = dt.date(2026, 11, 4)


def _setting(people, entry):
    with today_is(WEDNESDAY):
        registration_submit(
            entry=entry,
            city=region("450200"),
            by=people.agency_nanning,
            responsible="张三",
            phone="0771-5832198",
            sites="柳州市城中区文昌路1号",
        )
        complaint = complaint_submit(entry=entry, happened_on=WEDNESDAY, content="考场无视频监控。", anonymous=True)
        inspection = inspection_open(entry=entry, by=people.city_nanning, complaint=complaint)
    return complaint, inspection


def test_another_citys_bureau_sees_the_complaint_in_the_chain_without_a_link_it_cannot_open(
    people, nanning_entry, client_for
):
    complaint, inspection = _setting(people, nanning_entry)
    liuzhou = client_for(people.city_liuzhou)
    page = liuzhou.get(reverse("supervision:agency_file", args=[nanning_entry.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    complaint_url = reverse("supervision:complaint_detail", args=[complaint.pk])
    assert complaint_url not in html
    assert liuzhou.get(complaint_url).status_code == 404  # what the link led to
    # Named in the chain, with who handles it, but not linked ("投诉 88" rather than the pk anywhere in the page).
    mention = f"投诉 {complaint.pk} "
    assert mention in html and "南宁" in html.split(mention, 1)[1][:400]
    # Every link of the page opens for its reader.
    inspection_url = reverse("supervision:inspection_detail", args=[inspection.pk])
    assert inspection_url in html
    assert liuzhou.get(inspection_url).status_code == 200


def test_the_home_citys_bureau_still_follows_the_complaint_link(people, nanning_entry, client_for):
    complaint, _inspection = _setting(people, nanning_entry)
    nanning = client_for(people.city_nanning)
    html = nanning.get(reverse("supervision:agency_file", args=[nanning_entry.pk])).content.decode()
    complaint_url = reverse("supervision:complaint_detail", args=[complaint.pk])
    assert complaint_url in html
    assert nanning.get(complaint_url).status_code == 200


def test_a_drawn_inspector_from_another_city_reads_the_inspection_without_a_link_to_the_file(
    people, liuzhou_entry, client_for
):
    with today_is(WEDNESDAY):
        inspection = inspection_open(entry=liuzhou_entry, by=people.city_liuzhou)
    inspection.team.add(people.police_nanning)  # as a random draw puts them on the team
    police = client_for(people.police_nanning)
    page = police.get(reverse("supervision:inspection_detail", args=[inspection.pk]))
    assert page.status_code == 200
    file_url = reverse("supervision:agency_file", args=[liuzhou_entry.pk])
    assert police.get(file_url).status_code == 404
    html = page.content.decode()
    assert file_url not in html
    assert liuzhou_entry.organisation.name in html
    own = client_for(people.city_liuzhou).get(reverse("supervision:inspection_detail", args=[inspection.pk]))
    assert file_url in own.content.decode()
