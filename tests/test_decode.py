"""Bytes → text: encodings, refusals, normalisation, format detection, reading files."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.decode import decode_bytes, detect_format, read_path
from analysis.errors import InputError


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xef\xbb\xbfHello \xe2\x80\x9cworld\xe2\x80\x9d", "Hello “world”"),
        (b"\xff\xfe" + "Café “news”".encode("utf-16-le"), "Café “news”"),
        (b"\xfe\xff" + "Café “news”".encode("utf-16-be"), "Café “news”"),
        ("Plain UTF-8 – déjà vu".encode(), "Plain UTF-8 – déjà vu"),
        (b"\x93Hi\x94", "“Hi”"),
        (b"caf\xe9 au lait", "café au lait"),
        ("No BOM here".encode("utf-16-le"), "No BOM here"),
    ],
    ids=["utf8-bom", "utf16-le-bom", "utf16-be-bom", "utf8", "cp1252-quotes", "latin1", "utf16-no-bom"],
)
def test_decodes_common_encodings(data: bytes, expected: str) -> None:
    assert decode_bytes(data) == expected


def test_normalises_newlines_nfc_and_invisible_characters() -> None:
    raw = "line one\r\nline two\rline\u200b three\x07\tend\ne\u0301".encode()
    assert decode_bytes(raw) == "line one\nline two\nline three\tend\né"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP"),
        (b"\x1f\x8b\x08\x00" + b"x" * 20, "gzip"),
        (b"abc\x00\x01\x02def\x00\x00\x00ghi\x00", "NUL"),
        (bytes(range(1, 32)) * 4, "control"),
    ],
    ids=["png", "pdf", "zip", "gzip", "nul-laden", "control-chars"],
)
def test_refuses_binary(data: bytes, kind: str) -> None:
    with pytest.raises(InputError, match="binary") as err:
        decode_bytes(data, name="upload.bin")
    assert kind in str(err.value)
    assert str(err.value).startswith("upload.bin:")


@pytest.mark.parametrize("data", [b"", b"   \n\t  \r\n", "\u200b\u200b".encode()])
def test_refuses_empty_and_whitespace(data: bytes) -> None:
    with pytest.raises(InputError, match="empty"):
        decode_bytes(data)


def test_refuses_oversized_bytes_by_argument_and_by_environment(monkeypatch) -> None:
    with pytest.raises(InputError, match="over the limit of 10 bytes"):
        decode_bytes(b"x" * 11, max_bytes=10)
    assert decode_bytes(b"x" * 10, max_bytes=10) == "x" * 10
    monkeypatch.setenv("NEWSLENS_MAX_BYTES", "5")
    with pytest.raises(InputError, match="over the limit of 5 bytes"):
        decode_bytes(b"abcdef")


def test_checks_the_size_of_the_decoded_text_too() -> None:
    # 6 bytes of cp1252 become 12 bytes of UTF-8 text ("é" is two bytes there)
    with pytest.raises(InputError, match="12 bytes is over the limit of 10"):
        decode_bytes(b"\xe9" * 6, max_bytes=10)


@pytest.mark.parametrize(
    ("text", "filename", "expected"),
    [
        ("anything", "story.HTML", "html"),
        ("# looks like markdown", "story.txt", "text"),
        ("plain", "notes.md", "markdown"),
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", None, "html"),
        ("<div><p>One</p><p>Two</p></div>", None, "html"),
        ("# Title\n\nBody text.", None, "markdown"),
        ("Body with [a link](https://x.org) and **bold** words.", None, "markdown"),
        ("Title\n\n- Advertisement -\n\nBody text, with a dash - here.", None, "text"),
        ("Prices rose 3% > forecast < 5%.", "upload", "text"),
    ],
)
def test_detect_format(text: str, filename: str | None, expected: str) -> None:
    assert detect_format(text, filename) == expected


def test_read_path_returns_text_and_format(tmp_path) -> None:
    path = tmp_path / "article.md"
    path.write_bytes(b"\xef\xbb\xbf# Title\r\n\r\nBody.")
    assert read_path(path) == ("# Title\n\nBody.", "markdown")


def test_read_path_reports_unreadable_file(tmp_path) -> None:
    with pytest.raises(InputError, match=r"missing\.txt: cannot read the file"):
        read_path(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="cannot read the file"):
        read_path(tmp_path)  # a directory


def test_read_path_refuses_oversized_file_before_reading(tmp_path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 100)
    with pytest.raises(InputError, match="big.txt: 100 bytes is over the limit of 50"):
        read_path(path, max_bytes=50)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_decode_or_raise_input_error(data: bytes) -> None:
    try:
        text = decode_bytes(data)
    except InputError:
        return
    assert isinstance(text, str) and text.strip()
    assert "\r" not in text and "\x00" not in text


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=500))
def test_utf8_text_round_trips_up_to_normalisation(text: str) -> None:
    try:
        decoded = decode_bytes(text.encode("utf-8"))
    except InputError:
        return
    assert decoded == decode_bytes(decoded.encode("utf-8"))  # idempotent
