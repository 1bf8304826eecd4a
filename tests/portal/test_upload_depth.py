"""Uploads read in depth (issue 14, item 4): the hostile corpus is refused, ordinary files still pass, images are
stored drawn again without their metadata, deceptive names are refused, and ClamAV is asked when configured."""

from __future__ import annotations

import io
import socket
import struct
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import translation
from PIL import Image
from pypdf import PdfWriter

from filings.examples import sample_pdf
from portal.lib import clamd
from portal.lib.uploads import check_upload
from tests.portal.hostile_files import CORPUS, EICAR, PAGE, flate_bomb, image, pdf, plain_pdf, stream


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def refused(name: str, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile(name, content))
    return caught.value


@pytest.mark.parametrize("item", sorted(CORPUS))
def test_every_item_of_the_hostile_corpus_is_refused(item):
    name, make = CORPUS[item]
    error = refused(name, make())
    assert error.code in ("upload_unsafe", "upload_type")
    assert name in error.messages[0]


def test_the_bomb_is_stored_small_and_stopped_at_the_limit_without_inflating_it_all():
    bomb = flate_bomb()
    assert len(bomb) < 300_000
    started = time.monotonic()
    error = refused("bomb.pdf", bomb)
    assert "compression bomb" in error.messages[0] and "50 MB" in error.messages[0]
    assert time.monotonic() - started < 10


def test_a_stream_just_under_the_limit_passes_and_just_over_is_refused():
    import zlib

    from portal.lib.upload_pdf import PDF_STREAM_LIMIT

    def with_stream(size: int) -> bytes:
        data = zlib.compress(b"\0" * size, 9)
        return pdf(
            [*PAGE[:2], b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>", stream(data, b"/Filter /FlateDecode")]
        )

    check_upload(SimpleUploadedFile("a.pdf", with_stream(PDF_STREAM_LIMIT)))
    assert "compression bomb" in refused("a.pdf", with_stream(PDF_STREAM_LIMIT + 1)).messages[0]


@pytest.mark.parametrize(
    ("extra_object", "reason"),
    [
        (b"<< /Type /Action /S /Launch /F (calc.exe) >>", "starts a program"),
        (b"<< /Names << /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> >> >>", "embedded files"),
        (b"<< /Type /Annot /Subtype /RichMedia /RichMediaContent << >> >>", "multimedia"),
        (b"<< /Fields [] /XFA (<xdp/>) >>", "XFA"),
        (b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>", "JavaScript"),
        (b"<< /S /SubmitForm /F (http://example.com) >>", "sends data away"),
    ],
)
def test_active_content_anywhere_in_a_pdf_is_refused(extra_object, reason):
    document = pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Extra 4 0 R >>",
            *PAGE[1:],
            extra_object,
            b"<< /Type /Filespec >>",
        ]
    )
    assert reason in refused("a.pdf", document).messages[0]


def test_an_open_action_that_only_shows_the_first_page_is_accepted():
    document = pdf([b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>", *PAGE[1:]])
    assert check_upload(SimpleUploadedFile("a.pdf", document)).content_type == "application/pdf"


def test_an_encrypted_pdf_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    assert "encrypted" in refused("a.pdf", out.getvalue()).messages[0]


@pytest.mark.parametrize(("tail", "accepted"), [(b"\r\n  \n", True), (b"\n\x00\x00", True), (b"\nxyz", False)])
def test_after_the_last_eof_only_whitespace_may_follow(tail, accepted):
    content = plain_pdf() + tail
    if accepted:
        check_upload(SimpleUploadedFile("a.pdf", content))
    else:
        assert "follows the end of the document" in refused("a.pdf", content).messages[0]


def test_a_pdf_without_its_end_marker_is_refused():
    assert "end marker" in refused("a.pdf", plain_pdf().replace(b"%%EOF", b"")).messages[0]


def test_ordinary_pdfs_pass_the_portals_own_and_the_demos():
    check_upload(SimpleUploadedFile("a.pdf", plain_pdf()))
    check_upload(sample_pdf("工作方案"))
    from weasyprint import HTML

    rendered = HTML(
        string="<h1>备案回执</h1><p>南宁市安盾职业技能培训学校</p><a href='https://x.cn'>链接</a>"
    ).write_pdf()
    assert check_upload(SimpleUploadedFile("回执.pdf", rendered)).size == len(rendered)


@pytest.mark.parametrize(("kind", "extension"), [("JPEG", "jpg"), ("PNG", "png")])
def test_junk_after_a_picture_is_refused(kind, extension):
    assert "follows the end of the picture" in refused(f"a.{extension}", image(kind) + b"junk!junk").messages[0]


def test_a_picture_is_stored_drawn_again_without_its_metadata_and_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotated 90° clockwise, as a phone held upright writes it
    exif[0x010F] = "PhoneMaker"
    original = io.BytesIO()
    Image.new("RGB", (60, 20), (10, 200, 10)).save(original, format="JPEG", exif=exif, comment=b"secret")
    uploaded = SimpleUploadedFile("photo.jpg", original.getvalue())
    info = check_upload(uploaded)
    stored = uploaded.read()
    assert info.size == len(stored) and stored != original.getvalue()
    assert b"PhoneMaker" not in stored and b"secret" not in stored
    drawn = Image.open(io.BytesIO(stored))
    assert drawn.size == (20, 60)
    assert not drawn.getexif()


def test_a_large_upload_kept_on_disk_is_rewritten_in_place():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    original = io.BytesIO()
    Image.new("RGB", (30, 30)).save(original, format="JPEG", exif=exif)
    uploaded = TemporaryUploadedFile("photo.jpg", "image/jpeg", 0, None)
    uploaded.write(original.getvalue())
    uploaded.seek(0)
    info = check_upload(uploaded)
    with open(uploaded.temporary_file_path(), "rb") as on_disk:
        stored = on_disk.read()
    assert len(stored) == info.size and b"PhoneMaker" not in stored


@pytest.mark.parametrize(("width", "height", "accepted"), [(5000, 10000, True), (5000, 10001, False)])
def test_pictures_may_have_at_most_50_million_pixels(width, height, accepted):
    from tests.portal.hostile_files import huge_png

    content = huge_png(width, height)
    if accepted:
        assert check_upload(SimpleUploadedFile("a.png", content)).content_type == "image/png"
    else:
        assert "50 million pixels" in refused("a.png", content).messages[0]


@pytest.mark.parametrize(
    "name",
    [
        "photo\u202egpj.exe",
        "report\u202a.pdf",
        "report\u202d.pdf",
        "a\u2066b\u2069.pdf",
        "a\u2067.pdf",
        "line\nbreak.pdf",
        "tab\t.pdf",
        "bell\x07.pdf",
        "c1\x85.pdf",
    ],
)
def test_a_name_with_direction_or_control_characters_is_refused(name):
    error = refused(name, plain_pdf())
    assert error.code == "upload_name"
    assert "invisible control or text-direction characters" in error.messages[0]


def test_an_ordinary_chinese_name_with_spaces_passes():
    assert (
        check_upload(SimpleUploadedFile("营业 执照（副本）.pdf", plain_pdf())).original_name == "营业 执照（副本）.pdf"
    )


# ---------------------------------------------------------------- ClamAV (a fake clamd speaking INSTREAM)


class FakeClamd:
    """A socket server that answers INSTREAM as clamd does: FOUND when the stream contains EICAR."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.address = f"tcp://127.0.0.1:{self.server.getsockname()[1]}"
        self.received: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                command = b""
                while not command.endswith(b"\0"):
                    command += conn.recv(1)
                assert command == b"zINSTREAM\0"
                data = b""
                while True:
                    header = b""
                    while len(header) < 4:
                        header += conn.recv(4 - len(header))
                    (length,) = struct.unpack(">I", header)
                    if length == 0:
                        break
                    chunk = b""
                    while len(chunk) < length:
                        chunk += conn.recv(length - len(chunk))
                    data += chunk
                self.received.append(data)
                answer = b"stream: Eicar-Test-Signature FOUND\0" if EICAR in data else b"stream: OK\0"
                conn.sendall(answer)

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def fake_clamd(settings):
    server = FakeClamd()
    settings.CLAMD_SOCKET = server.address
    yield server
    server.close()


def test_the_client_streams_in_chunks_and_reads_the_verdict(fake_clamd):
    big = b"x" * (200 * 1024)
    assert clamd.scan_stream(fake_clamd.address, [big]) == clamd.ScanResult(infected=False)
    assert fake_clamd.received == [big]
    assert clamd.scan_stream(fake_clamd.address, [b"abc" + EICAR]) == clamd.ScanResult(
        infected=True, signature="Eicar-Test-Signature"
    )


def test_with_clamd_configured_every_upload_is_scanned(fake_clamd, monkeypatch):
    from portal.lib import upload_pdf

    check_upload(SimpleUploadedFile("a.pdf", plain_pdf()))
    assert fake_clamd.received == [plain_pdf()]
    # What the portal's own checks would miss, clamd finds: here the built-in EICAR check is taken away.
    monkeypatch.setattr(upload_pdf, "EICAR", b"\xff" * 16)
    error = refused("a.pdf", CORPUS["eicar"][1]())
    assert error.code == "upload_virus" and "Eicar-Test-Signature" in error.messages[0]


def test_when_clamd_does_not_answer_the_upload_is_refused(settings):
    settings.CLAMD_SOCKET = "tcp://127.0.0.1:1"
    error = refused("a.pdf", plain_pdf())
    assert error.code == "upload_scanner" and "could not be checked for viruses" in error.messages[0]
