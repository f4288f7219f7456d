"""Hostile and odd input: refused with one clear line (CLI) or an ``InputError`` (library), never
stored and never damaging what is stored; odd encodings, markup and sizes analysed correctly.

Each bad input goes through the real entry points (``main(["ingest", …])`` and
``main(["analyze", …])``) against a store that already holds an article; a snapshot of every
table before and after proves nothing was written or lost.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from analysis.clean import clean_article
from analysis.cli import main
from analysis.decode import decode_bytes, max_bytes_limit, read_path
from analysis.errors import DEFAULT_MAX_BYTES, InputError
from analysis.pipeline import ArticleInput, analyze
from analysis.store import TABLES
from tests.conftest import ROOT
from tests.test_concurrency import news_article

# --- a store that already holds an article, and its snapshot -----------------------------------


@pytest.fixture(scope="module")
def stored_db(tmp_path_factory) -> Path:
    """A store holding one article, built once for the module; tests copy it."""
    folder = tmp_path_factory.mktemp("stored")
    db = folder / "store.sqlite"
    (folder / "base.txt").write_text(news_article(0), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSLENS_DB", str(db))
        assert main(["ingest", str(folder / "base.txt"), "--workers", "1"]) == 0
    return db


@pytest.fixture()
def db(stored_db, tmp_path, monkeypatch) -> Path:
    """A private copy of the one-article store, set as NEWSLENS_DB."""
    copy = tmp_path / "store.sqlite"
    src = sqlite3.connect(stored_db)
    dst = sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()
    monkeypatch.setenv("NEWSLENS_DB", str(copy))
    return copy


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted (rows carry no volatile values but ``added_at``)."""
    con = sqlite3.connect(db)
    try:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
    finally:
        con.close()


def all_stored_text(db: Path) -> str:
    """Every text value of every table but ``originals``, one per line (for "is X stored
    anywhere?"). ``originals`` keeps each input verbatim, markup included, so a newer engine can
    re-analyse it; no page ever shows it."""
    tables = snapshot(db)
    tables.pop("originals", None)
    return "\n".join(str(v) for rows in tables.values() for row in rows for v in row if isinstance(v, str))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


# --- bad input -----------------------------------------------------------------------------------

rng = random.Random(6)
BAD_INPUTS: dict[str, tuple[bytes, str]] = {  # file name: (bytes, what the message says)
    "empty.txt": (b"", "empty"),
    "blank.txt": (b"  \n\t \r\n  \n", "empty"),
    "invisible.txt": ("\u200b\u00a0\n\ufeff\u2060 ".encode(), "empty"),
    "image.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(500)), "PNG"),
    "paper.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
    "archive.zip": (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(rng.randrange(256) for _ in range(300)), "ZIP"),
    "renamed-image.txt": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 2, "PNG"),
    "noise.txt": (bytes(rng.randrange(256) for _ in range(2000)) + b"\x00\x00\x00", "binary"),
    "nuls.txt": (b"The council voted\x00\x00\x00\x00 on Tuesday.\x00\x00\x00\x00\x00\x00", "binary"),
    "markup-only.html": (b"<html><head><script>alert(1)</script></head><body><div></div></body></html>",
                         "no article text"),
}  # fmt: skip
ACTIONS = {  # the part of each message that says what to do
    "empty": "paste or upload an article",
    "PNG": "upload .txt, .md or .html",
    "PDF": "upload .txt, .md or .html",
    "ZIP": "upload .txt, .md or .html",
    "binary": "upload .txt, .md or .html",
}


def assert_one_error_line(err: str, name: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and name in lines[0]
    assert "Traceback" not in err


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_is_refused_and_nothing_changes(name, db, tmp_path, capsys):
    data, expected = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(data)
    before = snapshot(db)

    status, out, err = run(capsys, "ingest", str(path), "--workers", "1")
    assert status == 2
    assert_one_error_line(err, name)
    assert expected.lower() in err.lower()
    assert "0 added" in out and "1 failed" in out and "1 articles in" in out

    status, out, err = run(capsys, "analyze", str(path))
    assert status == 2 and out == ""
    assert_one_error_line(err, name)
    assert snapshot(db) == before


@pytest.mark.parametrize("name", [n for n, (_, kind) in BAD_INPUTS.items() if kind in ACTIONS])
def test_library_refusals_say_what_to_do(name):
    data, kind = BAD_INPUTS[name]
    with pytest.raises(InputError) as info:
        decode_bytes(data, name=name)
    message = str(info.value)
    assert message.startswith(f"{name}: ") and ACTIONS[kind] in message
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t"])
def test_analyze_refuses_text_without_an_article(text, nlp):
    with pytest.raises(InputError):
        analyze(ArticleInput(text=text), nlp=nlp)


def test_boilerplate_alone_is_kept_with_a_notice_not_refused(nlp):
    """No body found is no reason to drop what the analyst pasted: every line is kept, with a notice."""
    text = "Advertisement\n\nShare this article\n\nSubscribe to our newsletter\n\n5 min read"
    assert clean_article(text).metadata["notice"]
    article = analyze(ArticleInput(text=text), nlp=nlp)
    assert "Share this article" in article.cleaned.body
    assert article.notices == [article.cleaned.metadata["notice"]]  # the article's pages say it too
    assert article.language == "en"  # a cleaning notice is not a language notice


def test_a_good_file_next_to_bad_ones_is_stored(db, tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text(news_article(1), encoding="utf-8")
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    status, out, err = run(capsys, "ingest", str(bad), str(good), "--workers", "1")
    assert status == 2 and len(err.splitlines()) == 1
    assert "1 added" in out and "2 articles in" in out


def test_missing_file_and_bad_batches(db, tmp_path, capsys):
    before = snapshot(db)
    missing = tmp_path / "nowhere.txt"
    status, _, err = run(capsys, "ingest", str(missing), "--workers", "1")
    assert status == 2
    assert_one_error_line(err, "nowhere.txt")
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "fine"\nnot json\n', encoding="utf-8")
    status, _, err = run(capsys, "ingest", str(broken), "--workers", "1")
    assert status == 2  # each broken line is one error line naming the file and the line
    assert [line.split(",")[0] for line in err.splitlines()] == [f"error: {broken}"] * 2
    assert "line 1:" in err and "line 2:" in err and "Traceback" not in err
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"title": "No text here"}) + "\n" + json.dumps({"text": "  "}) + "\n")
    status, _, err = run(capsys, "ingest", str(rows), "--workers", "1")
    assert status == 2 and len(err.splitlines()) == 2 and "Traceback" not in err
    assert snapshot(db) == before


def test_bad_input_in_a_real_process(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(BAD_INPUTS["image.png"][0])
    env = {**os.environ, "NEWSLENS_DB": str(tmp_path / "s.sqlite"), "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))}
    for command in ("analyze", "ingest"):
        done = subprocess.run([sys.executable, "-m", "analysis", command, str(path), "--workers", "1"],
                              capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)  # fmt: skip
        assert done.returncode == 2
        assert_one_error_line(done.stderr, "photo.txt")


@pytest.mark.parametrize("kind", ["text file", "directory"])
def test_a_database_path_that_is_not_a_database(kind, tmp_path, capsys, monkeypatch):
    target = tmp_path / "not-a-db"
    if kind == "directory":
        target.mkdir()
    else:
        target.write_text("hello, I am a text file\n" * 100)
    monkeypatch.setenv("NEWSLENS_DB", str(target))
    good = tmp_path / "good.txt"
    good.write_text(news_article(1), encoding="utf-8")
    status, _, err = run(capsys, "ingest", str(good), "--workers", "1")
    assert status == 2
    assert_one_error_line(err, "not-a-db")


def test_a_csv_batch_with_a_long_article(db, tmp_path, capsys):
    import csv

    long_text = (news_article(5) + "\n\n") * 200  # ~180 kB: under the 1 MB article limit
    path = tmp_path / "batch.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["title", "text"])
        writer.writerow(["A long article", long_text])
        writer.writerow(["A short article", news_article(6)])
    status, out, err = run(capsys, "ingest", str(path), "--workers", "1")
    assert status == 0, err
    assert "2 added" in out


def test_a_file_name_with_a_newline_still_gives_one_line(db, tmp_path, capsys):
    path = tmp_path / "empty\nname.txt"
    path.write_bytes(b"")
    status, _, err = run(capsys, "ingest", str(path), "--workers", "1")
    assert status == 2
    assert len(err.splitlines()) == 1 and err.startswith("error: ")


@pytest.mark.parametrize("size", ["0", "-1"])
def test_batch_size_must_be_positive(size, db, tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text(news_article(1), encoding="utf-8")
    with pytest.raises(SystemExit) as info:  # argparse's usage error
        main(["ingest", str(good), "--workers", "1", "--batch-size", size])
    assert info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


# --- size limits ---------------------------------------------------------------------------------


def test_size_limit_from_the_environment(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NEWSLENS_MAX_BYTES", "2000")
    assert max_bytes_limit() == 2000
    big = tmp_path / "long.txt"
    big.write_text(news_article(2) * 3, encoding="utf-8")
    assert big.stat().st_size > 2000
    before = snapshot(db)
    status, _, err = run(capsys, "ingest", str(big), "--workers", "1")
    assert status == 2
    assert_one_error_line(err, "long.txt")
    assert "over the limit of 2,000 bytes" in err and "split it" in err
    # a batch row over the limit fails alone; the small row is stored
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        json.dumps({"text": news_article(2) * 3}) + "\n" + json.dumps({"text": news_article(3)}) + "\n"
    )
    status, out, err = run(capsys, "ingest", str(batch), "--workers", "1")
    assert status == 2 and "batch.jsonl:1" in err and "1 added" in out
    after = snapshot(db)
    assert len(after["articles"]) == 2 and set(before["articles"]) <= set(after["articles"])


def test_default_limit_refuses_a_1_2_mb_text(db, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("NEWSLENS_MAX_BYTES", raising=False)
    assert max_bytes_limit() == DEFAULT_MAX_BYTES == 1_000_000
    text = (news_article(4) * 2000)[:1_200_000]
    data = text.encode("utf-8")
    with pytest.raises(InputError, match=f"{len(data):,} bytes is over the limit of 1,000,000 bytes"):
        decode_bytes(data, name="huge.txt")
    path = tmp_path / "huge.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="over the limit"):
        read_path(path)
    before = snapshot(db)
    status, _, err = run(capsys, "ingest", str(path), "--workers", "1")
    assert status == 2
    assert_one_error_line(err, "huge.txt")
    assert snapshot(db) == before
    # what decodes to more than the limit is refused too (cp1252 bytes grow as UTF-8)
    with pytest.raises(InputError, match="over the limit"):
        decode_bytes(b"\x93" * 600_000, name="quotes.txt")


def test_an_oversized_file_is_refused_without_reading_it(db, tmp_path, capsys, monkeypatch):
    path = tmp_path / "sparse.txt"
    with path.open("wb") as f:
        f.truncate(50_000_000)  # a sparse 50 MB file: costs no disk, but reading it costs 50 MB
    read = []
    real_read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or real_read_bytes(self))
    status, _, err = run(capsys, "ingest", str(path), "--workers", "1")
    assert status == 2 and "over the limit" in err
    assert read == []


def test_upload_limit_is_configured():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    upload_mb = config["server"]["maxUploadSize"]
    assert isinstance(upload_mb, int) and upload_mb > 0
    # an upload that gets past Streamlit's limit still meets the per-article limit in decode
    with pytest.raises(InputError, match="over the limit"):
        decode_bytes(b"a" * (DEFAULT_MAX_BYTES + 1), name="upload.txt", max_bytes=DEFAULT_MAX_BYTES)


# --- encodings -----------------------------------------------------------------------------------

ACCENTED = (
    "Café owners in Zürich protest new rules\n\n"
    "ZÜRICH — Café owners in Zürich protested on Monday against new rules on terraces, "
    "after the city council voted to cut opening hours by two hours.\n\n"
    "“We will fight this decision,” said Zoë Müller, who runs a café near the lake. "
    "“It’s naïve to think the city will gain anything.”\n\n"
    "The council’s spokesman, François Dubois, said the rules would be reviewed in a year."
)
ENCODINGS = {
    "cp1252": ACCENTED.encode("cp1252"),
    "latin-1": ACCENTED.replace("“", '"').replace("”", '"').replace("’", "'").replace("—", "-").encode("latin-1"),
    "utf-16-le": b"\xff\xfe" + ACCENTED.encode("utf-16-le"),
    "utf-16-be": b"\xfe\xff" + ACCENTED.encode("utf-16-be"),
    "utf-8-bom": b"\xef\xbb\xbf" + ACCENTED.encode("utf-8"),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_other_encodings_are_decoded_and_analysed(encoding, db, tmp_path, capsys):
    data = ENCODINGS[encoding]
    text = decode_bytes(data, name=f"{encoding}.txt")
    assert "Zoë Müller" in text and "Café owners in Zürich" in text and "\ufeff" not in text
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(data)
    status, out, err = run(capsys, "ingest", str(path), "--workers", "1")
    assert status == 0 and "1 added" in out, err
    con = sqlite3.connect(db)
    title, body = con.execute("SELECT title, body FROM articles WHERE title LIKE 'Café%'").fetchone()
    quotes = [q for (q,) in con.execute("SELECT text FROM quotes WHERE kind = 'direct'")]
    con.close()
    assert title == "Café owners in Zürich protest new rules"
    assert "naïve" in body and "François Dubois" in body
    if encoding != "latin-1":  # Latin-1 has no curly quotes
        assert "“We will fight this decision,”" in body
    assert any(q.startswith("We will fight this decision") for q in quotes), quotes


# --- markup --------------------------------------------------------------------------------------

HOSTILE_HTML = """<!DOCTYPE html><html><head><title>Council votes to close the bridge - Daily</title>
<style>.x { background: url(javascript:alert('css-url')) } body { color: red }</style>
<script>alert('script-block'); document.cookie</script>
<script src="https://evil.example/x.js"></script>
</head><body onload="alert('body-onload')">
<h1 onclick="alert('h1-onclick')">Council votes to close the bridge</h1>
<p>The city council voted on Tuesday to close the old bridge for repairs
<img src=x onerror="alert('img-onerror')">after engineers found cracks in two of its supports.</p>
<p>“We had no choice,” said Maria Alvarez, the mayor.
<a href="javascript:alert('a-href')" onclick="alert('a-onclick')">Read the report</a> for details.</p>
<noscript><p>Enable JavaScript noscript-text</p></noscript>
<iframe src="javascript:alert('iframe-src')"></iframe>
<svg onload="alert('svg-onload')"><text>svg-text</text></svg>
<p style="color: red" onmouseover="alert('p-onmouseover')">Repairs are expected to take six
months and cost about $4 million, officials said.</p>
</body></html>"""
HOSTILE_MARKERS = ("alert(", "<script", "script-block", "document.cookie", "onerror", "onclick",
                   "onload", "onmouseover", "javascript:", "evil.example", "color: red",
                   "noscript-text", "svg-text", "<img", "<a ")  # fmt: skip


def test_html_scripts_styles_and_handlers_are_not_stored(db, tmp_path, capsys):
    path = tmp_path / "page.html"
    path.write_text(HOSTILE_HTML, encoding="utf-8")
    status, out, err = run(capsys, "ingest", str(path), "--workers", "1")
    assert status == 0 and "1 added" in out, err
    stored = all_stored_text(db)
    assert "Council votes to close the bridge" in stored and "Maria Alvarez" in stored
    assert "Read the report for details" in stored  # a link keeps its text, loses its target
    for marker in HOSTILE_MARKERS:
        assert marker not in stored, marker
    kept = snapshot(db)["originals"]
    assert any(HOSTILE_HTML.strip() in row[1] for row in kept)  # the input as received, for re-analysis


LITERAL_HEADLINES = (
    "<img src=x onerror=alert(1)>",
    "**bold** claims by the council",
    "[link](javascript:alert(1))",
    "Mayor <script>alert('x')</script> resigns",
)


@pytest.mark.parametrize("headline", LITERAL_HEADLINES)
def test_markup_in_plain_text_is_stored_literally(headline, db, tmp_path, capsys):
    """In a .txt file markup is text: kept exactly (so it can be shown escaped), never
    interpreted. In a batch row the title is given explicitly and kept the same way."""
    body = news_article(7).split("\n\n", 1)[1]
    path = tmp_path / "literal.txt"
    path.write_text(f"{headline}\n\n{body}", encoding="utf-8")
    batch = tmp_path / "rows.jsonl"
    batch.write_text(json.dumps({"title": headline, "text": news_article(8)}) + "\n", encoding="utf-8")
    status, out, err = run(capsys, "ingest", str(path), str(batch), "--workers", "1")
    assert status == 0 and "2 added" in out, err
    con = sqlite3.connect(db)
    titles = {t for (t,) in con.execute("SELECT title FROM articles")}
    heads = {t for (t,) in con.execute("SELECT text FROM headlines")}
    con.close()
    assert headline in titles and headline in heads


def test_markdown_link_targets_are_dropped(nlp):
    text = ("# Council votes\n\nThe council voted on Tuesday to close the [bridge](javascript:alert(1)) "
            "for repairs, officials said, after engineers found cracks in its supports.")  # fmt: skip
    a = analyze(ArticleInput(text=text, format="markdown"), nlp=nlp)
    assert "javascript:" not in a.cleaned.body and "alert(" not in a.cleaned.body
    assert "close the bridge for repairs" in a.cleaned.body


def test_markdown_raw_script_blocks_are_dropped(nlp):
    text = ("# Council votes\n\nThe council voted on Tuesday to close the bridge for repairs.\n\n"
            "<script>alert('md')</script>\n\n<style>p { color: red }</style>\n\n"
            "Engineers found cracks in two supports, the mayor said on Tuesday.")  # fmt: skip
    a = analyze(ArticleInput(text=text, format="markdown"), nlp=nlp)
    assert "alert(" not in a.cleaned.body and "color: red" not in a.cleaned.body
    assert len(a.cleaned.paragraphs) == 2


def test_control_characters_in_html_given_to_the_library(nlp):
    """``decode_bytes`` removes control characters, but ``analyze`` also takes text directly."""
    a = analyze(ArticleInput(text="<p>The council voted\x08 on Tuesday to close it.</p>", format="html"), nlp=nlp)
    assert "\x08" not in a.cleaned.body
    with pytest.raises(InputError):
        analyze(ArticleInput(text="0<SCRIPT></SCRIPT>\x08", format="html"), nlp=nlp)


# --- size and shape ------------------------------------------------------------------------------


def check_offsets(a) -> None:
    body = a.cleaned.body
    assert all(body[s.start : s.end] == s.text for s in a.sentences)
    assert all(body[m.start : m.end] == m.text for m in a.mentions)
    assert all(0 <= q.start < q.end <= len(body) for q in a.quotes)


def test_a_200000_character_line(nlp):
    sentence = "The council voted on Tuesday to close the old bridge for repairs, officials said. "
    line = (sentence * (200_000 // len(sentence) + 1))[:200_000]
    a = analyze(ArticleInput(text=f"Bridge closes for repairs\n\n{line}"), nlp=nlp)
    assert len(a.cleaned.paragraphs) == 1 and len(a.cleaned.paragraphs[0]) >= 199_000
    assert len(a.sentences) > 2000
    check_offsets(a)


def test_a_200000_character_line_without_spaces(nlp):
    blob = "".join(random.Random(1).choice("abcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(200_000))
    text = f"Bridge closes for repairs\n\nThe council voted on Tuesday to close the bridge.\n\n{blob}"
    a = analyze(ArticleInput(text=text), nlp=nlp)
    check_offsets(a)
    assert all(len(h.text) < 1000 for h in a.cleaned.headlines)
    assert blob in a.cleaned.body


@pytest.mark.slow
def test_a_50000_word_paragraph(nlp):
    rng = random.Random(50)
    words = news_article(9).split("\n\n", 1)[1].split()
    paragraph = " ".join(rng.choice(words) for _ in range(50_000))
    a = analyze(ArticleInput(text=f"A very long report\n\n{paragraph}"), nlp=nlp)
    assert len(a.cleaned.paragraphs) == 1
    assert "".join(s.text for s in a.sentences).replace(" ", "") == paragraph.replace(" ", "")
    check_offsets(a)


UNBALANCED = (
    "Council votes to close the bridge\n\n"
    "“We had no choice, said Maria Alvarez, the mayor, and the bridge will close on Monday.\n\n"
    "Engineers said” the cracks were serious. \"Nobody was hurt, the fire chief said.\n\n"
    "Officials called it ‘a precaution and said the ``repairs would take months.\n\n"
    "“Nested “quotes” here,” said Alvarez. \" ” “ ' ‘ ’ '' `` \"\"\"\n\n"
    "“This quote opens in one paragraph\n\n"
    "“and continues in the next,” the mayor said."
)


def test_unbalanced_quotation_marks_give_valid_quotes(nlp):
    a = analyze(ArticleInput(text=UNBALANCED), nlp=nlp)
    body = a.cleaned.body
    assert a.quotes
    for q in a.quotes:
        assert 0 <= q.start < q.end <= len(body)
        words = (piece.strip("…") for piece in q.text.split())  # "…" marks where a cut joined it
        assert all(word in body[q.start : q.end] for word in words if word)
        assert 0 <= q.paragraph < len(a.cleaned.paragraphs)
    check_offsets(a)


NON_ENGLISH = {
    "de": "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke wegen Reparaturen zu schließen, "
          "nachdem Ingenieure Risse in zwei ihrer Stützen gefunden hatten. Die Bürgermeisterin sagte, "
          "es gebe keine andere Wahl, und die Arbeiten würden mehrere Monate dauern.",
    "es": "El ayuntamiento votó el martes para cerrar el viejo puente por reparaciones, después de que "
          "los ingenieros encontraran grietas en dos de sus soportes. La alcaldesa dijo que no había "
          "otra opción y que las obras durarían varios meses.",
    "ru": "Городской совет во вторник проголосовал за закрытие старого моста на ремонт после того, "
          "как инженеры обнаружили трещины в двух его опорах. Мэр заявила, что другого выбора не было.",
    "zh": "市议会周二投票决定关闭这座旧桥进行维修，因为工程师在其两个桥墩中发现了裂缝。市长表示，"
          "别无选择，维修工作将持续数月。官员们说，没有人受伤。",
    "ar": "صوت مجلس المدينة يوم الثلاثاء على إغلاق الجسر القديم للإصلاحات بعد أن وجد المهندسون "
          "شقوقا في اثنين من دعاماته. وقالت رئيسة البلدية إنه لم يكن هناك خيار آخر.",
}  # fmt: skip


@pytest.mark.parametrize("language", ["de", "es", "ru"])
def test_non_english_text_is_analysed_with_a_notice(language, nlp):
    a = analyze(ArticleInput(text=f"{NON_ENGLISH[language][:40]}\n\n{NON_ENGLISH[language]}"), nlp=nlp)
    assert a.notices and "English" in a.notices[0]
    assert a.language != "en"
    check_offsets(a)


@pytest.mark.parametrize(
    "language",
    ["zh", "ar"],
)
def test_text_without_latin_words_gets_the_notice_too(language, nlp):
    a = analyze(ArticleInput(text=NON_ENGLISH[language]), nlp=nlp)
    assert a.notices and a.language != "en"
    check_offsets(a)


def test_mention_sentence_indexes_the_articles_sentences(nlp):
    """Found by test_properties (thorough profile), shrunk: spaCy makes the break after "0000"
    a sentence of its own; the article's sentences skip it, the mentions' indexes do not."""
    a = analyze(ArticleInput(text="0\nThe\n0000\nA06\n0", format="html"), nlp=nlp)
    assert a.mentions
    for m in a.mentions:
        sentence = a.sentences[m.sentence]
        assert sentence.start <= m.start < sentence.end


def test_english_text_gets_no_notice(nlp):
    a = analyze(ArticleInput(text=news_article(11)), nlp=nlp)
    assert a.notices == [] and a.language == "en"
