import hashlib
import io
import re
from types import SimpleNamespace

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from portal.lib.uploads import (
    MAX_UPLOAD_BYTES,
    CheckedFileField,
    UploadTo,
    check_upload,
    generated_name,
    safe_original_name,
)
from tests.portal.hostile_files import pdf, plain_pdf, stream

# A complete PDF (cross-reference table and all): the upload checks parse it (portal.lib.upload_pdf).
MINIMAL_PDF = plain_pdf()
STORED_NAME = re.compile(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|jpg|png)")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def image_bytes(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


def refusal(uploaded) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(uploaded)
    return caught.value


class AttachmentForm(forms.Form):
    file = CheckedFileField()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        ("营业执照.pdf", MINIMAL_PDF, "application/pdf", "pdf"),
        ("场地照片.jpg", image_bytes("JPEG"), "image/jpeg", "jpg"),
        ("场地照片.png", image_bytes("PNG"), "image/png", "png"),
    ],
)
def test_a_real_pdf_jpeg_or_png_is_accepted_and_described(name, content, content_type, extension):
    uploaded = SimpleUploadedFile(name, content)
    info = check_upload(uploaded)
    assert info.content_type == content_type
    assert info.extension == extension
    assert info.original_name == name
    assert uploaded.tell() == 0
    stored = uploaded.read()
    # A PDF is stored as it came; a picture drawn again (portal.lib.upload_images): described as stored.
    assert stored == content if extension == "pdf" else stored.startswith(content[:3])
    assert info.size == len(stored)
    assert info.sha256 == hashlib.sha256(stored).hexdigest()


def test_the_type_comes_from_the_content_not_the_name():
    info = check_upload(SimpleUploadedFile("photo.pdf", image_bytes("PNG")))
    assert info.content_type == "image/png"
    assert info.extension == "png"


@pytest.mark.parametrize(
    "content", [b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120, b"\x7fELF\x02\x01\x01" + b"\x00" * 120]
)
def test_a_program_renamed_to_pdf_is_refused(content):
    error = refusal(SimpleUploadedFile("年度报告.pdf", content))
    assert error.code == "upload_executable"
    assert error.messages == [
        "“年度报告.pdf” is a program, which cannot be uploaded. Only PDF, JPEG and PNG files are accepted."
    ]


def test_an_html_page_named_pdf_is_refused_naming_the_allowed_types():
    page = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
    error = refusal(SimpleUploadedFile("report.pdf", page))
    assert error.code == "upload_type"
    assert "“report.pdf” is not a PDF, JPEG or PNG file, whatever its name says" in str(error.messages)
    assert "Only PDF, JPEG and PNG files are accepted." in str(error.messages)


def test_another_kind_of_file_is_refused_naming_the_allowed_types():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="GIF")
    error = refusal(SimpleUploadedFile("photo.gif", buffer.getvalue()))
    assert error.code == "upload_type"
    assert "Only PDF, JPEG and PNG files are accepted." in str(error.messages)


def test_a_file_over_20_mb_is_refused_with_its_size():
    error = refusal(SimpleUploadedFile("scan.pdf", b"%PDF-" + b"\x00" * (MAX_UPLOAD_BYTES - 4)))
    assert error.code == "upload_too_large"
    assert error.messages == ["The file is 20.1 MB; files may be at most 20 MB."]


def test_a_file_larger_than_it_claims_is_refused_while_reading():
    content = ContentFile(b"%PDF-" + b"\x00" * MAX_UPLOAD_BYTES, name="scan.pdf")
    content.size = 1024
    error = refusal(content)
    assert error.code == "upload_too_large"


def test_a_file_of_exactly_20_mb_is_accepted():
    def padded(size: int) -> bytes:
        return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>", stream(b"0" * size)])

    content = padded(MAX_UPLOAD_BYTES - len(padded(0)))
    content = padded(MAX_UPLOAD_BYTES - len(padded(0)) - (len(content) - MAX_UPLOAD_BYTES))
    assert len(content) == MAX_UPLOAD_BYTES
    info = check_upload(SimpleUploadedFile("scan.pdf", content))
    assert info.size == MAX_UPLOAD_BYTES


def test_an_empty_file_is_refused():
    error = refusal(ContentFile(b"", name="blank.pdf"))
    assert error.code == "upload_empty"
    assert error.messages == ["“blank.pdf” is empty. Choose the file again."]


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\system.ini.pdf", "system.ini.pdf"),
        ("C:\\Users\\韦建国\\桌面\\营业执照.pdf", "营业执照.pdf"),
        ("report\x00.exe.pdf", "report.exe.pdf"),
        ("photo\u202egnp.exe", "photognp.exe"),
        ("a<b>c?.pdf", "a_b_c_.pdf"),
        ("  .hidden.pdf ", "hidden.pdf"),
    ],
)
def test_an_uploaded_name_keeps_only_a_clean_base_name(given, kept):
    assert safe_original_name(given) == kept


@pytest.mark.parametrize("given", ["", None, "..", "../", "/", "\x00\x01"])
def test_a_name_with_nothing_left_gets_the_fallback(given):
    assert safe_original_name(given) == "attachment"


def test_a_long_name_is_cut_to_100_characters_keeping_its_extension():
    name = safe_original_name("培训" * 80 + ".pdf")
    assert len(name) == 100
    assert name.endswith("培训.pdf")


def test_a_path_traversal_name_is_reduced_when_checking_the_upload():
    uploaded = ContentFile(MINIMAL_PDF, name="../../etc/passwd.pdf")
    assert check_upload(uploaded).original_name == "passwd.pdf"


def test_a_nameless_file_gets_a_fallback_name_with_the_detected_extension():
    assert check_upload(ContentFile(MINIMAL_PDF)).original_name == "attachment.pdf"


def test_a_generated_name_is_a_fresh_uuid_under_year_and_month():
    first, second = generated_name("pdf"), generated_name("pdf")
    assert STORED_NAME.fullmatch(first)
    assert first != second


def test_a_generated_name_refuses_an_extension_that_was_not_detected():
    with pytest.raises(ValueError):
        generated_name("html")


def test_the_stored_name_uses_the_detected_type_and_never_the_users_name():
    uploaded = SimpleUploadedFile("../../evil.html", image_bytes("PNG"))
    instance = SimpleNamespace(file=SimpleNamespace(file=uploaded))
    stored = UploadTo("file")(instance, uploaded.name)
    assert STORED_NAME.fullmatch(stored)
    assert stored.endswith(".png")


def test_the_stored_name_refuses_a_file_that_was_never_checked_and_is_not_allowed():
    uploaded = SimpleUploadedFile("report.pdf", b"<html></html>")
    with pytest.raises(ValidationError):
        UploadTo("file")(SimpleNamespace(file=SimpleNamespace(file=uploaded)), uploaded.name)


def test_the_form_field_attaches_what_it_found():
    form = AttachmentForm(files={"file": SimpleUploadedFile("场地照片.jpg", image_bytes("JPEG"))})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"].checked_info.content_type == "image/jpeg"
    assert 'accept="application/pdf,image/jpeg,image/png' in str(form["file"])


def test_the_form_field_shows_the_refusal_next_to_the_field():
    form = AttachmentForm(files={"file": SimpleUploadedFile("report.pdf", b"MZ" + b"\x00" * 64)})
    assert not form.is_valid()
    assert form.errors["file"] == [
        "“report.pdf” is a program, which cannot be uploaded. Only PDF, JPEG and PNG files are accepted."
    ]
