"""How the bytes of an XML feed become text, whatever they claim to be.

Labels lie: servers send a stale charset, feeds declare Latin-1 and write
UTF-8. The bytes are trusted over labels that disagree with them, and only
encodings that read markup like ASCII are ever taken from a label.
"""

from __future__ import annotations

import codecs
import re

_XML_ENCODING = re.compile(
    rb"""^<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']"""
)
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
# XML spec appendix F: how "<" or "<?xm" looks in encodings without a BOM.
_UNMARKED_ENCODINGS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp037"),
)


def decode(body: bytes, content_type: str) -> str:
    """The document as text, trusting the bytes over labels that disagree.

    Valid UTF-8 with non-ASCII characters is almost never really Latin-1, so
    UTF-8 wins over a declared single-byte encoding; bytes that are not UTF-8
    try the HTTP charset, the XML declaration, then Windows-1252.
    """
    for marker, encoding in _BYTE_ORDER_MARKS:
        if body.startswith(marker):
            return body[len(marker) :].decode(encoding, "replace")
    for marker, encoding in _UNMARKED_ENCODINGS:
        if body.startswith(marker):
            return body.decode(encoding, "replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _XML_ENCODING.match(body)
    labels = (_charset(content_type), declared.group(1).decode("ascii") if declared else "")
    for label in labels:
        codec = _ascii_compatible(label)
        if codec is None:
            continue
        try:
            return body.decode(codec)
        except UnicodeDecodeError:
            continue
    return body.decode("windows-1252", "replace")


def _charset(content_type: str) -> str:
    for parameter in content_type.split(";")[1:]:
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'")
    return ""


def _ascii_compatible(label: str) -> str | None:
    """The codec for ``label`` if it reads markup like ASCII (never UTF-7 or UTF-16)."""
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
        probe = "<?xml encoding='x'?>"
        return name if probe.encode(name) == probe.encode("ascii") else None
    except (LookupError, UnicodeError):
        return None
