"""PDF files built in code for the upload checks: whole files with a cross-reference table
(or stream), objects hidden in object streams, streams behind any chain of filters."""

from __future__ import annotations

import base64
import binascii
import zlib


def pdf_file(objects: dict[int, bytes], *, root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF whose objects (number -> body) are listed in a classic xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        if number in offsets:
            out += b"%010d 00000 n \n" % offsets[number]
        else:
            out += b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        size, root, trailer_extra, xref,
    )  # fmt: skip
    return bytes(out)


def stream(data: bytes, filters: list[str], extra: bytes = b"") -> bytes:
    """A stream object's body: `data` encoded by `filters` (applied last to first, as a
    reader undoes them first to last)."""
    encoded = data
    for name in reversed(filters):
        encoded = ENCODERS[name](encoded)
    names = b" ".join(b"/" + name.encode() for name in filters)
    return (
        b"<< /Length %d /Filter [%s] %s>>\nstream\n" % (len(encoded), names, extra)
        + encoded
        + b"\nendstream"
    )


def lzw_encode(data: bytes) -> bytes:
    """LZW as PDF's LZWDecode reads it (early change, 9 to 12 bit codes)."""
    table = {bytes([i]): i for i in range(256)}
    next_code, width = 258, 9
    bits, nbits, out = 0, 0, bytearray()

    def emit(code: int) -> None:
        nonlocal bits, nbits
        bits = (bits << width) | code
        nbits += width
        while nbits >= 8:
            nbits -= 8
            out.append((bits >> nbits) & 0xFF)

    emit(256)
    word = b""
    for byte in data:
        candidate = word + bytes([byte])
        if candidate in table:
            word = candidate
            continue
        emit(table[word])
        table[candidate] = next_code
        next_code += 1
        if next_code + 1 >= 1 << width and width < 12:
            width += 1
        word = bytes([byte])
    if word:
        emit(table[word])
    emit(257)
    if nbits:
        out.append((bits << (8 - nbits)) & 0xFF)
    return bytes(out)


ENCODERS = {
    "FlateDecode": zlib.compress,
    "ASCIIHexDecode": lambda data: binascii.hexlify(data) + b">",
    "ASCII85Decode": lambda data: base64.a85encode(data) + b"~>",
    "LZWDecode": lzw_encode,
}


def object_stream_pdf(hidden: dict[int, bytes], filters: list[str]) -> bytes:
    """A PDF 1.5 file whose objects `hidden` (number -> body) sit in an object stream encoded
    by `filters`, listed in a cross-reference stream, as modern writers make them."""
    header = b" ".join(b"%d %d" % (number, 0) for number in hidden)  # offsets fixed below
    parts, offset = [], 0
    pairs = []
    for number, body in hidden.items():
        pairs.append(b"%d %d" % (number, offset))
        parts.append(body)
        offset += len(body) + 1
    header = b" ".join(pairs) + b"\n"
    content = header + b"\n".join(parts)
    catalog = b"<< /Type /Catalog /Pages 2 0 R >>"
    pages = b"<< /Type /Pages /Kids [] /Count 0 >>"
    objstm_number = max(hidden) + 1
    objstm = stream(
        content, filters, b"/Type /ObjStm /N %d /First %d " % (len(hidden), len(header))
    )
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in ((1, catalog), (2, pages), (objstm_number, objstm)):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_number = objstm_number + 1
    offsets[xref_number] = len(out)
    rows = bytearray()
    for number in range(xref_number + 1):
        if number in offsets:
            rows += bytes([1]) + offsets[number].to_bytes(4, "big") + bytes([0])
        elif number in hidden:
            index = list(hidden).index(number)
            rows += bytes([2]) + objstm_number.to_bytes(4, "big") + bytes([index])
        else:
            rows += bytes([0, 0, 0, 0, 0, 255])
    packed = zlib.compress(bytes(rows))
    out += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 1] /Root 1 0 R /Length %d "
        b"/Filter /FlateDecode >>\nstream\n"
        % (xref_number, xref_number + 1, len(packed))
        + packed
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    )
    return bytes(out)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"


def plain_pdf(extra_objects: dict[int, bytes] | None = None, *, catalog: bytes = CATALOG) -> bytes:
    """A one-page PDF with a line of text, plus `extra_objects`."""
    content = stream(b"BT /F1 12 Tf 72 720 Td (hello) Tj ET", ["FlateDecode"])
    objects = {1: catalog, 2: PAGES, 3: PAGE, 4: content, **(extra_objects or {})}
    return pdf_file(objects)
