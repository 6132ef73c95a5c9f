"""Files readers upload (contributions, takedown proof): checked by content, stored privately.

Nothing here trusts a file's name or its declared type. `check_upload` looks at the bytes:

- executables (PE, ELF, Mach-O, scripts), HTML and SVG are refused whatever they are called;
- images are decoded by Pillow with only the JPEG, PNG, GIF and WebP decoders, under a pixel
  limit, with Pillow's decompression-bomb warning turned into an error, and re-encoded, so
  anything hidden after or inside the image data (and EXIF metadata) is dropped;
- PDFs that can run JavaScript or launch, embed or submit things are refused: every object is
  read by pypdf, every stream decoded whatever its filters (Flate, nested or not, ASCIIHex,
  ASCII85, LZW, RunLength) and object streams searched too, with a budget; an encrypted or
  unreadable PDF is refused as such;
- .docx files (zip archives) are decompressed in full against a size budget before they are
  accepted, and macros are refused; .doc files must be Word documents without macros.

Accepted files are stored by `store_private` under settings.DATA_DIR / "private" (never under
MEDIA_ROOT, so no web server serves them) with random names, and editors download them through
`attachment_response`, always as an attachment.
"""

from __future__ import annotations

import io
import lzma
import re
import secrets
import warnings
import zipfile
import zlib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

MB = 1024 * 1024
# Pixels an uploaded image may have (about 8000 x 5000); Pillow's own limit is higher.
MAX_IMAGE_PIXELS = 40_000_000
# What a .docx may grow to when decompressed, and how many members it may have.
MAX_UNPACKED_BYTES = 100 * MB
MAX_ARCHIVE_MEMBERS = 2000
# How much decompressed PDF stream data is searched for scripts before giving up (refusing).
MAX_PDF_STREAM_BYTES = 100 * MB
# Objects a PDF may have (a 300-page report has a few thousand).
MAX_PDF_OBJECTS = 500_000


@dataclass(frozen=True)
class Kind:
    name: str
    extension: str
    content_type: str
    label: str


KINDS = {
    kind.name: kind
    for kind in [
        Kind("jpeg", ".jpg", "image/jpeg", "JPG 图片"),
        Kind("png", ".png", "image/png", "PNG 图片"),
        Kind("gif", ".gif", "image/gif", "GIF 图片"),
        Kind("webp", ".webp", "image/webp", "WebP 图片"),
        Kind("pdf", ".pdf", "application/pdf", "PDF 文档"),
        Kind("doc", ".doc", "application/msword", "Word 文档（.doc）"),
        Kind(
            "docx",
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word 文档（.docx）",
        ),
    ]
}
IMAGE_KINDS = frozenset({"jpeg", "png", "gif", "webp"})
# Pillow's format names: the only decoders an upload may reach.
PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}

EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE / DOS
    b"\x7fELF",
    b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"#!",  # scripts
    b"\x00asm",  # WebAssembly
    b"dex\n",  # Android
)  # fmt: skip
MARKUP_RE = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|\?xml|meta)\b", re.IGNORECASE
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF_NAME_RE = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
PDF_HEX_RE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM_RE = re.compile(rb"stream\r?\n")
# Names that make a PDF run code, launch programs, carry files or submit data. /OpenAction is
# allowed (opening at a page is common); an /OpenAction running a script names one of these.
PDF_DANGEROUS_NAMES = frozenset(
    {b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia", b"XFA",
     b"AA", b"SubmitForm", b"ImportData"}
)  # fmt: skip
PDF_DANGEROUS = frozenset("/" + name.decode() for name in PDF_DANGEROUS_NAMES)
# Image data is decoded by image codecs, not searched: it cannot hold PDF objects.
PDF_IMAGE_FILTERS = frozenset({"/DCTDecode", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode"})


class UploadRefused(ValidationError):
    """A file refused by a content check; the message is shown to the reader."""


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks: `data` is what gets stored (re-encoded for images)."""

    kind: Kind
    data: bytes
    original_name: str

    @property
    def size(self) -> int:
        return len(self.data)


def clean_filename(name: str) -> str:
    """The name the reader's file had, reduced to something safe to show and to offer back."""
    base = Path(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:|?*')
    return base.strip(" .")[:100] or "附件"


def allowed_labels(allowed: Collection[str]) -> str:
    return "、".join(KINDS[name].label for name in KINDS if name in allowed)


def sniff(data: bytes) -> str | None:
    """The kind of file the bytes are, by their signature: a key of KINDS, "zip",
    "executable", "markup" or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(OLE_MAGIC):
        return "doc"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(EXECUTABLE_MAGIC):
        return "executable"
    head = data[:4096].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    if MARKUP_RE.search(head.replace(b"\x00", b"")):
        return "markup"
    return None


def check_upload(
    upload: IO[bytes] | Any, *, allowed: Collection[str], max_bytes: int
) -> CheckedFile:
    """Check one uploaded file; return what to store or raise UploadRefused (in Chinese).

    `allowed` holds keys of KINDS; `upload` is a Django UploadedFile or any binary file with
    a `name`.
    """
    name = clean_filename(getattr(upload, "name", "") or "")
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise UploadRefused(f"“{name}”超过 {max_bytes // MB} MB，请压缩后再上传。")
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRefused(f"“{name}”超过 {max_bytes // MB} MB，请压缩后再上传。")
    if not data:
        raise UploadRefused(f"“{name}”是空文件。")

    kind = sniff(data)
    if kind == "executable":
        raise UploadRefused(f"“{name}”是可执行程序或脚本，不能上传。")
    if kind == "markup":
        raise UploadRefused(f"“{name}”是网页或 SVG 文件，不是图片或文档，不能上传。")
    if kind == "zip":
        _check_archive(name, data)
        kind = "docx"
    if kind is None or kind not in allowed:
        raise UploadRefused(f"“{name}”的文件类型不被接受。只接受：{allowed_labels(allowed)}。")

    if kind in IMAGE_KINDS:
        data = _reencode_image(name, data, kind)
    elif kind == "pdf":
        _check_pdf(name, data)
    elif kind == "doc":
        _check_word_binary(name, data)
    return CheckedFile(kind=KINDS[kind], data=data, original_name=name)


def _reencode_image(name: str, data: bytes, kind: str) -> bytes:
    broken = UploadRefused(f"“{name}”不是有效的图片，或文件已损坏。")
    too_big = UploadRefused(
        f"“{name}”的像素太多（超过 {MAX_IMAGE_PIXELS // 10000} 万像素），请缩小后再上传。"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[kind]]) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise too_big
                image.seek(0)  # the first frame of an animation only
                image.load()
                picture = ImageOps.exif_transpose(image) if kind == "jpeg" else image.copy()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise too_big from error
        except (OSError, ValueError, SyntaxError, EOFError, UnidentifiedImageError) as error:
            raise broken from error
    out = io.BytesIO()
    if kind == "jpeg":
        picture.convert("RGB").save(out, "JPEG", quality=90)
    elif kind == "png":
        if picture.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            picture = picture.convert("RGBA")
        picture.save(out, "PNG")
    elif kind == "gif":
        picture.save(out, "GIF")
    else:
        has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
        picture.convert("RGBA" if has_alpha else "RGB").save(out, "WEBP", quality=90)
    return out.getvalue()


def _pdf_names(data: bytes) -> set[bytes]:
    return {
        PDF_HEX_RE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
        for raw in PDF_NAME_RE.findall(data)
    }


def _check_pdf(name: str, data: bytes) -> None:
    refused = UploadRefused(
        f"“{name}”含有脚本、附件或自动执行的动作，出于安全考虑不予接收；"
        "请用“打印为 PDF”另存为普通 PDF 后再上传。"
    )
    # First the bytes as they are, and every stream zlib opens: this finds names even in a
    # file too damaged for a parser.
    if _pdf_names(data) & PDF_DANGEROUS_NAMES:
        raise refused
    budget = MAX_PDF_STREAM_BYTES
    for match in PDF_STREAM_RE.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        if end < 0:
            break
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(data[start:end], budget + 1)
        except zlib.error:
            continue
        budget -= len(inflated)
        if budget < 0:
            raise UploadRefused(f"“{name}”解压后过大，不予接收。")
        if b"/" in inflated and _pdf_names(inflated) & PDF_DANGEROUS_NAMES:
            raise refused
    # Then every object as a PDF reader sees it, every stream decoded through all its filters.
    _check_pdf_objects(name, data, refused)


def _check_pdf_objects(name: str, data: bytes, refused: UploadRefused) -> None:
    broken = UploadRefused(f"“{name}”已损坏或无法检查，不予接收。")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UploadRefused(f"“{name}”已加密，无法检查（已损坏或无法检查），不予接收。")
        references = [
            (number, generation)
            for generation, numbers in reader.xref.items()
            for number in numbers
        ] + [(number, 0) for number in reader.xref_objStm]
        if len(references) > MAX_PDF_OBJECTS:
            raise broken
        budget = [MAX_PDF_STREAM_BYTES]
        if _pdf_object_refused(reader.trailer, budget):
            raise refused
        for number, generation in references:
            item = reader.get_object(IndirectObject(number, generation, reader))
            if _pdf_object_refused(item, budget):
                raise refused
            if budget[0] < 0:
                break
    except UploadRefused:
        raise
    except Exception as error:  # pypdf raises many kinds of errors for a damaged file
        raise broken from error
    if budget[0] < 0:
        raise UploadRefused(f"“{name}”解压后过大，不予接收。")


def _pdf_object_refused(root: Any, budget: list[int]) -> bool:
    """Whether `root` (not following references: every object is visited on its own) names
    a dangerous thing, as a key or a value, or holds one in its decoded stream data."""
    stack = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            continue
        if isinstance(item, NameObject):
            if str(item) in PDF_DANGEROUS:
                return True
        elif isinstance(item, DictionaryObject):
            if any(str(key) in PDF_DANGEROUS for key in item):
                return True
            stack.extend(item.values())
            if isinstance(item, StreamObject) and _pdf_stream_refused(item, budget):
                return True
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return False


def _pdf_stream_refused(stream: StreamObject, budget: list[int]) -> bool:
    filters = stream.get("/Filter")
    if isinstance(filters, IndirectObject):
        filters = filters.get_object()
    names = {str(f) for f in filters} if isinstance(filters, ArrayObject) else {str(filters)}
    if stream.get("/Subtype") == "/Image" or names & PDF_IMAGE_FILTERS:
        return False
    decoded = stream.get_data()  # every filter, in order; a filter it cannot undo raises
    budget[0] -= len(decoded)
    if budget[0] < 0:
        return False  # reported by the caller as too big
    # An object stream holds whole objects (they are visited on their own as well, but a
    # hidden one the cross-reference table does not list is found here).
    return stream.get("/Type") == "/ObjStm" and bool(_pdf_names(decoded) & PDF_DANGEROUS_NAMES)


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def _check_word_binary(name: str, data: bytes) -> None:
    # OLE2 also holds .xls, .ppt and .msi installers: insist on Word's main stream.
    if _utf16("WordDocument") not in data:
        raise UploadRefused(f"“{name}”不是 Word 文档，不能上传。")
    if _utf16("_VBA_PROJECT") in data or _utf16("Macros") in data:
        raise UploadRefused(f"“{name}”含有宏，出于安全考虑不予接收，请另存为不含宏的文档。")


def _check_archive(name: str, data: bytes) -> None:
    """Decompress every member against a budget; require a Word document without macros."""
    too_big = UploadRefused(f"“{name}”解压后过大，不予接收。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_ARCHIVE_MEMBERS:
                raise too_big
            if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
                raise too_big
            names = {member.filename for member in members}
            budget = MAX_UNPACKED_BYTES
            for member in members:
                if member.flag_bits & 0x1:
                    raise UploadRefused(f"“{name}”已加密，不能检查，不予接收。")
                # The sizes in the headers may lie: count what really comes out.
                with archive.open(member) as stream:
                    first = True
                    while chunk := stream.read(1024 * 1024):
                        if first and chunk.startswith(EXECUTABLE_MAGIC[:2]):
                            raise UploadRefused(f"“{name}”里包含可执行程序，不能上传。")
                        first = False
                        budget -= len(chunk)
                        if budget < 0:
                            raise too_big
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        lzma.LZMAError,
        OSError,
        EOFError,
        ValueError,
    ) as error:  # a member's deflate / bzip2 (OSError) / LZMA data is corrupt
        raise UploadRefused(f"“{name}”不是有效的 Word 文档，或文件已损坏。") from error
    except NotImplementedError as error:  # an unsupported compression method
        raise UploadRefused(f"“{name}”使用了不支持的压缩方式，不予接收。") from error
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise UploadRefused(f"“{name}”是压缩包，不是 Word 文档，不能上传。")
    if any(member.lower().endswith("vbaproject.bin") for member in names):
        raise UploadRefused(f"“{name}”含有宏，出于安全考虑不予接收，请另存为不含宏的文档。")


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under settings.DATA_DIR / "private": outside MEDIA_ROOT and STATIC_ROOT, never
    given a URL. The folder is read from settings on each use, so tests can move it."""

    def __init__(self) -> None:
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self) -> str:
        return str(Path(settings.DATA_DIR) / "private")

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())

    @property
    def base_url(self) -> None:  # type: ignore[override]
        return None

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no URL; use attachment_response")


private_storage = PrivateStorage()


def random_name(folder: str, kind: Kind) -> str:
    """A storage name nobody can guess: folder/YYYY/MM/<32 hex digits><extension>."""
    now = timezone.now()
    return f"{folder}/{now:%Y/%m}/{secrets.token_hex(16)}{kind.extension}"


def store_private(checked: CheckedFile, *, folder: str) -> str:
    """Write a checked file to private storage under a random name; return that name."""
    return private_storage.save(random_name(folder, checked.kind), ContentFile(checked.data))


def attachment_response(name: str, *, filename: str) -> FileResponse:
    """A stored private file as a download (never shown inline by the browser)."""
    response = FileResponse(
        private_storage.open(name, "rb"),
        as_attachment=True,
        filename=clean_filename(filename),
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
