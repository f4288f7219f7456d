"""Bytes → text: decode an upload or a file, refusing what is not an article's text.

Order of attempts (the first that decodes cleanly wins): a byte-order mark (UTF-8, UTF-32,
UTF-16) → strict UTF-8 → UTF-16 without a BOM when the NUL bytes say so → cp1252 → the
charset-normalizer guess → Latin-1 (which never fails). Binary input (magic numbers, stray NUL
bytes, mostly control characters) and oversized input raise ``InputError`` with a message from
``analysis.errors.Messages``.

The text that comes out has ``\\n`` newlines, is NFC-normalised and holds no zero-width or
control characters other than ``\\n`` and ``\\t``.

>>> decode_bytes(b"\\x93Hi\\x94")
'“Hi”'
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from charset_normalizer import from_bytes

from analysis.errors import DEFAULT_MAX_BYTES, InputError, Messages

__all__ = ["decode_bytes", "detect_format", "read_path", "max_bytes_limit"]

MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP / Office document"),
    (b"PK\x05\x06", "ZIP"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh91AY&SY", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"\x7fELF", "executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Office document"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x00asm", "WebAssembly"),
    (b"OggS", "Ogg audio"),
    (b"ID3", "MP3 audio"),
    (b"fLaC", "FLAC audio"),
)

BOMS: tuple[tuple[bytes, str], ...] = (  # UTF-32 before UTF-16: FF FE 00 00 starts with FF FE
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

MAX_CONTROL_SHARE = 0.10  # more control characters than this share of the text → binary
UTF16_NUL_SHARE = 0.30  # share of NULs among the odd (LE) or even (BE) bytes that says UTF-16
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ALLOWED_CONTROLS = "\n\t"
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
_DROP = re.compile(
    "[" + ZERO_WIDTH + "".join(
        re.escape(chr(c)) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))
        if chr(c) not in _ALLOWED_CONTROLS
    ) + "]"
)

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")

HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".shtml"})
MARKDOWN_EXTENSIONS = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mkdn"})
TEXT_EXTENSIONS = frozenset({".txt", ".text"})
_HTML_DOC = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]", re.I)
_HTML_TAG = re.compile(r"</?(?:p|div|br|h[1-6]|article|span|a|li|ul|section|meta|title)\b[^<>]{0,300}>", re.I)
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.M)
_MD_LINK = re.compile(r"\]\([^()\s]{1,500}\)")
_MD_EMPHASIS = re.compile(r"(?:\*\*|__)\S[^*_\n]{0,200}(?:\*\*|__)")
_MD_SETEXT = re.compile(r"^\S[^\n]{0,300}\n={3,}[ \t]*$", re.M)
SNIFF_CHARS = 20_000  # format sniffing looks at the start of the text only


def max_bytes_limit(max_bytes: int | None = None) -> int:
    """The size limit in force: the argument, else ``NEWSLENS_MAX_BYTES``, else the default."""
    if max_bytes is not None:
        return max_bytes
    raw = os.environ.get("NEWSLENS_MAX_BYTES", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_MAX_BYTES


def decode_bytes(data: bytes, *, name: str = "input", max_bytes: int | None = None) -> str:
    """Decode ``data`` to clean text; raise ``InputError`` for empty, binary or oversized input."""
    limit = max_bytes_limit(max_bytes)
    if len(data) > limit:
        raise InputError(Messages.TOO_LARGE.format(name=name, size=len(data), limit=limit))
    if not data.strip():
        raise InputError(Messages.EMPTY.format(name=name))
    kind = _binary_kind(data)
    if kind:
        raise InputError(Messages.BINARY.format(name=name, kind=kind))
    text = _decode(data)
    if text is None:
        raise InputError(Messages.BINARY.format(name=name, kind="NUL bytes"))
    if _control_share(text) > MAX_CONTROL_SHARE:
        raise InputError(Messages.BINARY.format(name=name, kind="control characters"))
    text = normalize_text(text)
    size = len(text.encode("utf-8"))
    if size > limit:
        raise InputError(Messages.TOO_LARGE.format(name=name, size=size, limit=limit))
    if not text.strip():
        raise InputError(Messages.EMPTY.format(name=name))
    return text


def normalize_text(text: str) -> str:
    """``\\n`` newlines, NFC, no zero-width or control characters but ``\\n`` and ``\\t``."""
    text = _NEWLINES.sub("\n", text)
    return _DROP.sub("", unicodedata.normalize("NFC", text))


def _binary_kind(data: bytes) -> str | None:
    """The kind of binary file ``data`` starts like, if any."""
    for magic, kind in MAGIC_NUMBERS:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "RIFF media"
    return None


def _decode(data: bytes) -> str | None:
    """The text in ``data``, or None for NUL-laden bytes that are not UTF-16/32."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            text = _try(data, encoding)
            if text is not None:
                return text.removeprefix("\ufeff")
    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        return _try(data, encoding) if encoding else None
    for encoding in ("utf-8", "cp1252"):
        text = _try(data, encoding)
        if text is not None:
            return text
    guess = from_bytes(data).best()
    return str(guess) if guess is not None else data.decode("latin-1")


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NULs sit in every other byte, as in ASCII-range UTF-16."""
    if len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    half = len(data) // 2
    if odd.count(0) >= UTF16_NUL_SHARE * half and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= UTF16_NUL_SHARE * half and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _control_share(text: str) -> float:
    return len(_CONTROL.findall(text)) / max(1, len(text))


def detect_format(text: str, filename: str | None = None) -> str:
    """``"html"``, ``"markdown"`` or ``"text"``: by the file's extension, else by the content.

    >>> detect_format("# Title\\n\\nBody [link](http://x.y).")
    'markdown'
    """
    if filename:
        suffix = Path(filename).suffix.lower()
        if suffix in HTML_EXTENSIONS:
            return "html"
        if suffix in MARKDOWN_EXTENSIONS:
            return "markdown"
        if suffix in TEXT_EXTENSIONS:
            return "text"
    head = text[:SNIFF_CHARS]
    if _HTML_DOC.search(head) or len(_HTML_TAG.findall(head)) >= 3:
        return "html"
    headings = bool(_MD_HEADING.search(head) or _MD_SETEXT.search(head))
    inline = len(_MD_LINK.findall(head)) + len(_MD_EMPHASIS.findall(head))
    if headings or inline >= 2:
        return "markdown"
    return "text"


def read_path(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> tuple[str, str]:
    """Read and decode a file: ``(text, format)``. Raises ``InputError`` on any failure."""
    p = Path(path)
    limit = max_bytes_limit(max_bytes)
    try:
        size = p.stat().st_size
        if size > limit:
            raise InputError(Messages.TOO_LARGE.format(name=p.name, size=size, limit=limit))
        data = p.read_bytes()
    except OSError as e:
        reason = e.strerror or type(e).__name__
        raise InputError(Messages.UNREADABLE.format(name=p.name, reason=reason)) from e
    text = decode_bytes(data, name=p.name, max_bytes=limit)
    return text, detect_format(text, p.name)
