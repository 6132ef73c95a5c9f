"""Uploaded files are judged by their bytes: a crafted set of bad files, each refused."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kanwu import uploads
from kanwu.uploads import (
    MB,
    UploadRefused,
    attachment_response,
    check_upload,
    private_storage,
    store_private,
)
from tests.core.pdfs import object_stream_pdf, pdf_file, plain_pdf, stream

ALLOWED = frozenset({"doc", "docx", "pdf", "jpeg", "png", "webp"})


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def image_bytes(fmt: str, size: tuple[int, int] = (40, 30), **save: Any) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#cc3300").save(buffer, fmt, **save)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims to be width x height: what a decompression bomb looks like."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))  # fmt: skip


def zip_bytes(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX_PARTS = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
    "word/document.xml": b'<?xml version="1.0"?><w:document/>',
}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def corrupt_deflate(method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A Word document whose first member's compressed bytes are damaged (zlib.error, or the
    bzip2 / LZMA decoders' errors for those methods)."""
    text = "".join(f"<w:p>第{n}段</w:p>" for n in range(3000)).encode()
    data = bytearray(zip_bytes({"word/styles.xml": text, **DOCX_PARTS}, method))
    start = 30 + len("word/styles.xml")  # after the first local file header
    data[start + 40 : start + 60] = b"\xff" * 20
    return bytes(data)


def pdf(body: bytes) -> bytes:
    """A whole PDF file (cross-reference table included) whose first object is `body`."""
    return pdf_file({1: body})


BAD_FILES = {
    "windows exe named .jpg": ("photo.jpg", b"MZ\x90\x00\x03" + b"\x00" * 200, "可执行程序"),
    "ELF named .pdf": ("paper.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "可执行程序"),
    "Mach-O named .png": ("a.png", b"\xcf\xfa\xed\xfe" + b"\x00" * 200, "可执行程序"),
    "shell script named .docx": ("a.docx", b"#!/bin/sh\nrm -rf /\n", "可执行程序"),
    "HTML named .png": (
        "photo.png",
        b"<!DOCTYPE html><html><script>alert(1)</script>",
        "网页或 SVG",
    ),
    "HTML with BOM and spaces": (
        "p.jpg",
        b"\xef\xbb\xbf  \n<html><body>hi</body></html>",
        "网页或 SVG",
    ),
    "SVG named .webp": (
        "i.webp",
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/'
        b'svg"><script>alert(1)</script></svg>',
        "网页或 SVG",
    ),
    "bare SVG named .jpg": ("i.jpg", b"<svg onload=alert(1)>", "网页或 SVG"),
    "UTF-16 HTML": ("u.png", "<html><script>x</script>".encode("utf-16"), "网页或 SVG"),
    "PDF with JavaScript": (
        "a.pdf",
        pdf(b"<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"),
        "含有脚本",
    ),
    "PDF with a hex-escaped name": (
        "a.pdf",
        pdf(b"<< /OpenAction << /S /J#61vaScript /JS (x) >> >>"),
        "含有脚本",
    ),
    "PDF with JavaScript in a compressed stream": (
        "a.pdf",
        pdf(
            b"<< /Type /ObjStm /Filter /FlateDecode >>\nstream\n"
            + zlib.compress(b"2 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj")
            + b"\nendstream"
        ),
        "含有脚本",
    ),
    "PDF that launches a program": ("a.pdf", pdf(b"<< /S /Launch /F (cmd.exe) >>"), "含有脚本"),
    "PDF with an embedded file": ("a.pdf", pdf(b"<< /Type /EmbeddedFile >>"), "含有脚本"),
    "image over the pixel limit": ("big.png", png_header_only(10000, 5000), "像素太多"),
    "decompression bomb": ("bomb.png", png_header_only(60000, 60000), "像素太多"),
    "BMP (decoder not allowed)": ("a.jpg", image_bytes("BMP"), "文件类型不被接受"),
    "TIFF (decoder not allowed)": ("a.png", image_bytes("TIFF"), "文件类型不被接受"),
    "GIF where GIF is not accepted": ("a.gif", image_bytes("GIF"), "文件类型不被接受"),
    "truncated JPEG": ("t.jpg", image_bytes("JPEG", (400, 300))[:300], "不是有效的图片"),
    "JPEG header and garbage": ("g.jpg", b"\xff\xd8\xff\xe0" + b"garbage" * 50, "不是有效的图片"),
    "plain zip named .docx": (
        "a.docx",
        zip_bytes({"readme.txt": b"hi"}),
        "是压缩包，不是 Word 文档",
    ),
    "docx with macros": (
        "m.docx",
        zip_bytes({**DOCX_PARTS, "word/vbaProject.bin": b"x"}),
        "含有宏",
    ),
    "docx carrying an exe": (
        "e.docx",
        zip_bytes({**DOCX_PARTS, "word/x.bin": b"MZ\x90" + b"\0" * 9}),
        "可执行程序",
    ),
    "broken zip": ("b.docx", b"PK\x03\x04" + b"\x00" * 40, "不是有效的 Word 文档"),
    "docx with corrupt deflate data": ("z.docx", corrupt_deflate(), "不是有效的 Word 文档"),
    "docx with corrupt bzip2 data": (
        "z.docx",
        corrupt_deflate(zipfile.ZIP_BZIP2),
        "不是有效的 Word 文档",
    ),
    "docx with corrupt LZMA data": (
        "z.docx",
        corrupt_deflate(zipfile.ZIP_LZMA),
        "不是有效的 Word 文档",
    ),
    "OLE file that is not Word": ("x.doc", OLE + "Workbook".encode("utf-16-le"), "不是 Word 文档"),
    "Word binary with macros": (
        "m.doc",
        OLE + "WordDocument".encode("utf-16-le") + "_VBA_PROJECT".encode("utf-16-le"),
        "含有宏",
    ),
    "unknown bytes": ("a.pdf", b"just some text, not a PDF", "文件类型不被接受"),
    "empty file": ("e.jpg", b"", "空文件"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_each_bad_file_is_refused(case: str) -> None:
    name, data, message = BAD_FILES[case]
    with pytest.raises(UploadRefused) as refused:
        check_upload(upload(name, data), allowed=ALLOWED, max_bytes=20 * MB)
    assert message in refused.value.messages[0]
    assert name in refused.value.messages[0]


def test_zip_bomb_is_refused_after_decompression(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "MAX_UNPACKED_BYTES", 2 * MB)
    bomb = zip_bytes({**DOCX_PARTS, "word/media/zeros.bin": b"\x00" * (3 * MB)})
    assert len(bomb) < 20_000
    with pytest.raises(UploadRefused, match="解压后过大"):
        check_upload(upload("bomb.docx", bomb), allowed=ALLOWED, max_bytes=20 * MB)


def test_zip_that_lies_about_its_sizes_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "MAX_UNPACKED_BYTES", 2 * MB)
    data = bytearray(zip_bytes({**DOCX_PARTS, "word/zeros.bin": b"\x00" * (3 * MB)}))
    # Rewrite the central directory's uncompressed size of the big member to 10 bytes.
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 10)
    with pytest.raises(UploadRefused):
        check_upload(upload("liar.docx", bytes(data)), allowed=ALLOWED, max_bytes=20 * MB)


def test_pillow_bomb_warning_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Between Pillow's limit and twice it, Pillow only warns: that warning refuses too."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    data = image_bytes("PNG", (40, 30))  # 1200 pixels: a warning, not yet Pillow's error
    with pytest.raises(UploadRefused, match="像素太多"):
        check_upload(upload("w.png", data), allowed=ALLOWED, max_bytes=20 * MB)


def test_too_big_file_is_refused_before_reading() -> None:
    data = image_bytes("PNG")
    with pytest.raises(UploadRefused, match="超过"):
        check_upload(upload("a.png", data), allowed=ALLOWED, max_bytes=len(data) - 1)


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("photo.jpg", image_bytes("JPEG"), "jpeg"),
        ("photo.png", image_bytes("PNG"), "png"),
        ("photo.webp", image_bytes("WEBP"), "webp"),
        ("wrong-extension.jpg", image_bytes("PNG"), "png"),
        ("paper.pdf", pdf(b"<< /Type /Catalog /Pages 2 0 R >>"), "pdf"),
        ("paper.docx", zip_bytes(DOCX_PARTS), "docx"),
        ("old.doc", OLE + "WordDocument".encode("utf-16-le"), "doc"),
    ],
)
def test_good_files_are_accepted_by_content(name: str, data: bytes, kind: str) -> None:
    checked = check_upload(upload(name, data), allowed=ALLOWED, max_bytes=20 * MB)
    assert checked.kind.name == kind
    assert checked.original_name == name


def test_images_are_reencoded_without_metadata_or_trailing_data() -> None:
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#123456").save(buffer, "JPEG", exif=exif)
    polyglot = buffer.getvalue() + b"<html><script>alert(1)</script></html>"
    checked = check_upload(upload("p.jpg", polyglot), allowed=ALLOWED, max_bytes=20 * MB)
    assert b"<script" not in checked.data
    assert b"SecretCameraMaker" not in checked.data
    with Image.open(io.BytesIO(checked.data)) as image:
        assert image.format == "JPEG"
        assert image.size == (40, 30)


@pytest.mark.django_db  # closing a response sends request_finished, which checks connections
def test_files_are_stored_privately_under_random_names_and_served_as_downloads(
    settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    checked = check_upload(upload("我的照片.png", image_bytes("PNG")), allowed=ALLOWED,
                           max_bytes=MB)  # fmt: skip
    first = store_private(checked, folder="test")
    second = store_private(checked, folder="test")
    assert first != second
    assert "照片" not in first
    assert first.endswith(".png")
    stored = tmp_path / "private" / first
    assert stored.read_bytes() == checked.data
    assert not str(stored).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        private_storage.url(first)

    response = attachment_response(first, filename="我的照片.png")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == checked.data
    response.close()


def test_names_are_cleaned() -> None:
    assert uploads.clean_filename("../../etc/passwd") == "passwd"
    assert uploads.clean_filename('C:\\Users\\a\\"x<y>".pdf') == "xy.pdf"
    assert uploads.clean_filename("") == "附件"


# PDFs checked object by object (pypdf): every stream decoded through all its filters.
JS_ACTION = b"<< /S /JavaScript /JS (app.alert(1)) >>"


def pypdf_file(change: Any = None) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if change is not None:
        change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def open_action_js(writer: Any) -> None:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer.add_open_action(
        DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert(1)"),
            }
        )
    )


HIDDEN_PDFS = {
    "JavaScript in an ASCIIHex object stream": object_stream_pdf(
        {5: JS_ACTION}, ["ASCIIHexDecode"]
    ),
    "JavaScript in a twice-Flate object stream": object_stream_pdf(
        {5: JS_ACTION}, ["FlateDecode", "FlateDecode"]
    ),
    "JavaScript in an ASCII85 + Flate object stream": object_stream_pdf(
        {5: JS_ACTION}, ["ASCII85Decode", "FlateDecode"]
    ),
    "JavaScript in an LZW object stream": object_stream_pdf({5: JS_ACTION}, ["LZWDecode"]),
    "an object stream the xref does not list": plain_pdf(
        {
            5: stream(
                b"6 0 obj " + JS_ACTION + b" endobj",
                ["ASCIIHexDecode"],
                b"/Type /ObjStm /N 1 /First 0 ",
            )
        }
    ),
    "Launch in a twice-Flate object stream": object_stream_pdf(
        {5: b"<< /S /Launch /F (calc.exe) >>"}, ["FlateDecode", "FlateDecode"]
    ),
    "an open action running JavaScript (pypdf writer)": pypdf_file(open_action_js),
    "an embedded file (pypdf writer)": pypdf_file(
        lambda writer: writer.add_attachment("a.exe", b"MZ")
    ),
    "additional actions on a page": plain_pdf(
        {5: b"<< /Type /Page /Parent 2 0 R /AA << /O 6 0 R >> >>", 6: b"<< /S /GoTo /D [3 0 R] >>"}
    ),
    "rich media": plain_pdf({5: b"<< /Type /Annot /Subtype /RichMedia >>"}),
    "an XFA form": plain_pdf(
        {5: stream(b"<xdp:xdp/>", ["FlateDecode"])},
        catalog=b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA 5 0 R >> >>",
    ),
    "a hex-escaped name in an ASCIIHex stream": object_stream_pdf(
        {5: b"<< /S /Java#53cript /J#53 (x) >>"}, ["ASCIIHexDecode"]
    ),
}


@pytest.mark.parametrize("data", HIDDEN_PDFS.values(), ids=HIDDEN_PDFS.keys())
def test_pdfs_with_scripts_or_files_anywhere_are_refused(data: bytes) -> None:
    with pytest.raises(UploadRefused, match="含有脚本、附件或自动执行的动作"):
        check_upload(upload("a.pdf", data), allowed=ALLOWED, max_bytes=20 * MB)


@pytest.mark.parametrize(
    "data",
    [
        plain_pdf(),
        pypdf_file(),
        # Opening at the first page is a harmless open action.
        plain_pdf(catalog=b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>"),
        object_stream_pdf({5: b"<< /S /GoTo /D [3 0 R /Fit] >>"}, ["FlateDecode", "FlateDecode"]),
        object_stream_pdf({5: b"<< /Title (Report) >>"}, ["ASCII85Decode", "LZWDecode"]),
    ],
    ids=["plain", "pypdf", "open at page", "twice-Flate object stream", "A85+LZW object stream"],
)
def test_ordinary_pdfs_are_accepted(data: bytes) -> None:
    checked = check_upload(upload("report.pdf", data), allowed=ALLOWED, max_bytes=20 * MB)
    assert checked.kind.name == "pdf"
    assert checked.data == data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (pypdf_file(lambda writer: writer.encrypt("", "owner-secret")), "已加密"),
        (pypdf_file(lambda writer: writer.encrypt("user", "owner")), "已加密"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 50, "已损坏或无法检查"),
        (plain_pdf()[:300], "已损坏或无法检查"),
        (
            plain_pdf({5: b"<< /Length 3 /Filter /NoSuchDecode >>\nstream\nabc\nendstream"}),
            "已损坏或无法检查",
        ),
    ],
    ids=["encrypted, empty password", "encrypted", "garbage", "truncated", "unknown filter"],
)
def test_pdfs_that_cannot_be_checked_are_refused_as_such(data: bytes, message: str) -> None:
    with pytest.raises(UploadRefused, match=message):
        check_upload(upload("a.pdf", data), allowed=ALLOWED, max_bytes=20 * MB)
