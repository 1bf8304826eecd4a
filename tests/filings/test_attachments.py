"""Materials: the same file twice in one slot is refused; removing an attachment asks first."""

from django.urls import reverse

from filings.examples import sample_pdf
from filings.services import attachment_remove


def upload(client, application, material, file):
    return client.post(
        reverse("filings:attachment_upload", args=[application.pk]),
        {"material": material, "file": file},
        headers={"X-Requested-With": "fetch"},
    )


def test_the_same_file_twice_in_one_slot_is_refused_with_its_name(people, client_for, draft):
    client = client_for(people.agency_nanning)
    assert upload(client, draft, "work_plan", sample_pdf("工作方案")).json()["ok"] is True
    again = sample_pdf("工作方案")
    again.name = "工作方案（副本）.pdf"
    answer = upload(client, draft, "work_plan", again).json()
    assert answer["ok"] is False
    assert "该文件已作为“工作方案.pdf”上传到此处" in answer["error"]
    assert draft.attachments.filter(material="work_plan", removed=False).count() == 1


def test_the_same_file_may_go_to_another_slot_or_back_after_removal(people, client_for, draft):
    client = client_for(people.agency_nanning)
    upload(client, draft, "work_plan", sample_pdf("材料"))
    assert upload(client, draft, "credit_report", sample_pdf("材料")).json()["ok"] is True
    attachment_remove(attachment=draft.attachments.get(material="work_plan"), by=people.agency_nanning)
    assert upload(client, draft, "work_plan", sample_pdf("材料")).json()["ok"] is True


def test_removing_an_attachment_asks_first(people, client_for, draft):
    client = client_for(people.agency_nanning)
    upload(client, draft, "work_plan", sample_pdf("工作方案"))
    page = client.get(reverse("filings:application_edit", args=[draft.pk])).content.decode()
    form = page.split('class="d-inline remove-attachment"')[1].split("</form>")[0]
    assert 'data-confirm="确定从此项材料中移除“工作方案.pdf”吗？"' in form
    assert "js/confirm.js" in page
