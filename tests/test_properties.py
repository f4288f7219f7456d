"""Property-based tests: no input makes an engine stage raise anything but ``InputError``, and
every result keeps the contract of ``analysis.model`` (offsets index the body, roles and kinds
are valid, tones are in range).

Two Hypothesis profiles, applied to these tests only (nothing is loaded globally):

- ``ci`` (default): a few hundred examples in all, derandomised so CI is reproducible;
- ``thorough``: thousands, random: ``HYPOTHESIS_PROFILE=thorough python -m pytest
  tests/test_properties.py --hypothesis-show-statistics``.

Analysis-level tests run a fraction of the profile's examples (a parse costs ~50 ms).
"""

from __future__ import annotations

import math
import os

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from analysis.clean import clean_article
from analysis.decode import decode_bytes, normalize_text
from analysis.entities import extract_entities
from analysis.errors import InputError
from analysis.model import HEADLINE_ROLES, PARAGRAPH_SEP, QUOTE_KINDS, CleanedArticle, ToneScores
from analysis.pipeline import ArticleInput, analyze
from analysis.quotes import extract_quotes

settings.register_profile(
    "ci", max_examples=100, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)  # fmt: skip
settings.register_profile(
    "thorough", max_examples=2000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)  # fmt: skip
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def profile(share: float = 1.0) -> settings:
    """The selected profile, running ``share`` of its examples."""
    return settings(PROFILE, max_examples=max(10, int(PROFILE.max_examples * share)))


# --- strategies --------------------------------------------------------------------------------

WORDS = (
    "the", "minister", "said", "on", "Tuesday", "that", "council", "would", "vote", "against",
    "plan", "Maria", "Alvarez", "Reuters", "United", "States", "Israel", "Gaza", "Ford", "NHTSA",
    "told", "reporters", "according", "to", "she", "he", "it", "added", "warned", "officials",
    "Berlin", "police", "by", "Mr.", "Dr.", "U.S.", "$5", "million", "percent", "2024", "—", "–",
    "café", "naïve", "Zoë", "Müller", "İstanbul", "Ωmega", "日本", "😀", "don't", "Alvarez's",
)  # fmt: skip
MARKS = ("“", "”", '"', "'", "‘", "’", "``", "''", "«", "»", "„", ",", ".", "?", "!", ":", ";", "(", ")")
LINES = (
    "# A headline in Markdown", "## Section", "Big Storm Hits The Coast Overnight",
    "Advertisement", "- Advertisement -", "By Jane Doe", "By JANE DOE and Li Wei, Reuters",
    "Updated: March 3, 2024 10:00 GMT", "Share this article", "Read more: Other story",
    "© 2024 Newsco. All rights reserved.", "Subscribe to our newsletter", "5 min read",
    "Home > World > Europe", "Home | Politics | Elections", "WASHINGTON (Reuters) -",
    "“We will rebuild,” said Maria Alvarez, the mayor.", '"Unbalanced, she said.',
    "‘Single quoted,’ he added.", "``TeX quotes,'' the agency said.",
    "<p>", "</p>", "<script>alert(1)</script>", "<style>p{color:red}</style>", "<div class='x'>",
    "<h1>Head</h1>", "<br>", "<img src=x onerror=alert(1)>", "<a href='javascript:alert(1)'>x</a>",
    "<!DOCTYPE html><html><body>", "</body></html>", "**bold**", "__strong__", "*em*",
    "[link](http://example.com)", "[x](javascript:alert(1))", "![img](a.png)", "* item", "1. item",
    "> a block quote", "---", "===", "```", "[ref]: http://example.com", "`code`", "…", "...",
    "The council voted on Tuesday to close the bridge for repairs, officials said.",
)  # fmt: skip
SEPARATORS = ("\n", "\n\n", " ", "\n\n\n", "\r\n", "\t")

sentences = st.lists(st.sampled_from(WORDS + MARKS), min_size=1, max_size=30).map(" ".join)
structured_text = st.lists(
    st.one_of(st.sampled_from(LINES), sentences, st.text(max_size=40)), min_size=1, max_size=25
).flatmap(
    lambda parts: st.lists(st.sampled_from(SEPARATORS), min_size=len(parts), max_size=len(parts)).map(
        lambda seps: "".join(p + s for p, s in zip(parts, seps, strict=True))
    )
)
any_text = st.one_of(st.text(max_size=600), structured_text)
formats = st.sampled_from([None, "text", "html", "markdown"])

quote_pieces = st.sampled_from(
    WORDS + MARKS + ("said", "told reporters", "according to", "Maria Alvarez", "the ministry")
)
quote_paragraph = st.lists(
    st.tuples(quote_pieces, st.sampled_from(("", " ", " ", " "))), min_size=1, max_size=40
).map(lambda pairs: "".join(p + s for p, s in pairs).strip()).filter(bool)


# --- checks -------------------------------------------------------------------------------------


def check_cleaned(c: CleanedArticle) -> None:
    assert c.paragraphs, "an article without paragraphs must be an InputError"
    for p in c.paragraphs:
        assert p.strip() and PARAGRAPH_SEP not in p
    for h in c.headlines:
        assert h.role in HEADLINE_ROLES and h.text.strip()
    titles = [h.text for h in c.headlines if h.role == "title"]
    if titles:
        assert c.title == titles[0]
    elif c.headlines:  # no title role: the first headline found
        assert c.title == c.headlines[0].text
    else:  # no headline at all: titled by the body's first line (cut, with "…", when long)
        assert c.title and c.paragraphs[0].startswith(c.title.removesuffix("…"))
    assert c.format in ("text", "html", "markdown")
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in c.metadata.items())
    assert all(r.reason for r in c.removed)


def check_tone(t: ToneScores) -> None:
    values = (t.polarity, t.subjectivity, t.vader, t.tone)
    assert all(math.isfinite(v) for v in values), t
    assert -1 <= t.polarity <= 1 and 0 <= t.subjectivity <= 1
    assert -1 <= t.vader <= 1 and -1 <= t.tone <= 1


def check_quotes(quotes, body: str, starts: list[int], n_sentences: int) -> None:
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)
    for q in quotes:
        assert 0 <= q.start < q.end <= len(body), q
        assert q.kind in QUOTE_KINDS
        assert 0 <= q.paragraph < len(starts) and starts[q.paragraph] <= q.start
        assert 0 <= q.sentence < max(n_sentences, 1)
        span = body[q.start : q.end]
        assert all(piece in span for piece in q.text.split()), (q.text, span)


# --- properties ---------------------------------------------------------------------------------


@profile(1.5)
@given(st.binary(max_size=3000))
def test_decode_bytes_returns_clean_text_or_input_error(data):
    try:
        text = decode_bytes(data, name="upload.bin")
    except InputError as err:
        assert str(err).startswith("upload.bin: ")
        return
    assert text.strip()
    assert "\r" not in text and "\x00" not in text
    assert all(ch in "\n\t" or ord(ch) >= 0x20 for ch in text)
    assert normalize_text(text) == text  # idempotent


printable = st.characters(blacklist_categories=("Cs", "Cc"))
CP1252_CHARS = "abcXYZ .,;'\n\t" + "éèàüößñçÉÅæøœŠ“”‘’–—…€£©®°±"


@profile(0.5)
@given(st.text(alphabet=printable, max_size=2000))
def test_utf8_text_decodes_to_itself(text):
    expected = normalize_text(text)
    if not expected.strip():
        with pytest.raises(InputError, match="empty"):
            decode_bytes(text.encode("utf-8"))
    else:
        assert decode_bytes(text.encode("utf-8")) == expected


@profile(0.5)
@given(st.text(alphabet=st.sampled_from(CP1252_CHARS), min_size=1, max_size=800))
def test_cp1252_text_decodes_to_itself(text):
    data = text.encode("cp1252")
    assume(normalize_text(text).strip())
    try:
        data.decode("utf-8")
        assume(False)  # bytes that are also valid UTF-8 are read as UTF-8 (rare, by design)
    except UnicodeDecodeError:
        pass
    assert decode_bytes(data) == normalize_text(text)


@profile(0.5)
@given(st.text(alphabet=printable, min_size=1, max_size=800), st.sampled_from(("le", "be")))
def test_utf16_with_bom_decodes_to_itself(text, order):
    assume(normalize_text(text).strip())
    bom = b"\xff\xfe" if order == "le" else b"\xfe\xff"
    assert decode_bytes(bom + text.encode(f"utf-16-{order}")) == normalize_text(text)


@profile()
@given(any_text, formats)
def test_clean_article_returns_an_article_or_input_error(text, fmt):
    try:
        cleaned = clean_article(text, format=fmt)
    except InputError as err:
        assert "no article text" in str(err)
        return
    check_cleaned(cleaned)


@profile()
@given(any_text.map(normalize_text), formats)
def test_clean_article_on_decoded_text(text, fmt):
    """What uploads and files reach cleaning: text as ``decode_bytes`` leaves it."""
    try:
        cleaned = clean_article(text, format=fmt)
    except InputError as err:
        assert "no article text" in str(err)
        return
    check_cleaned(cleaned)


@profile()
@given(st.binary(max_size=1500), formats)
def test_decoded_bytes_clean_or_refuse(data, fmt):
    try:
        cleaned = clean_article(decode_bytes(data), format=fmt)
    except InputError:
        return
    check_cleaned(cleaned)


@profile(0.6)
@given(st.lists(quote_paragraph, min_size=1, max_size=5))
def test_quote_offsets_index_the_text(nlp, paragraphs):
    body = PARAGRAPH_SEP.join(paragraphs)
    starts = CleanedArticle(title="", headlines=[], paragraphs=paragraphs).paragraph_starts()
    doc = nlp(body)
    n_sentences = len(list(doc.sents))
    check_quotes(extract_quotes(doc, None, paragraph_starts=starts), body, starts, n_sentences)
    _, mentions = extract_entities(doc)
    check_quotes(extract_quotes(doc, mentions, paragraph_starts=starts), body, starts, n_sentences)


@profile(0.4)
@given(st.one_of(any_text, st.lists(quote_paragraph, min_size=1, max_size=6).map("\n\n".join)), formats)
def test_analyze_keeps_the_contract(nlp, text, fmt):
    try:
        a = analyze(ArticleInput(text=text, format=fmt), nlp=nlp)
    except InputError:
        return
    c = a.cleaned
    body = c.body
    check_cleaned(c)
    starts = c.paragraph_starts()
    for s in a.sentences:
        assert body[s.start : s.end] == s.text and s.text.strip()
        assert 0 <= s.paragraph < len(c.paragraphs) and starts[s.paragraph] <= s.start
        check_tone(s.tone)
    for p, text_p in zip(a.paragraphs, c.paragraphs, strict=True):
        assert body[p.start : p.end] == p.text == text_p
        check_tone(p.tone)
    names = {e.name for e in a.entities}
    for m in a.mentions:
        assert body[m.start : m.end] == m.text and m.entity in names
        sentence = a.sentences[m.sentence]
        assert sentence.start <= m.start < sentence.end, (m, sentence)
        assert m.target_tone is None or -1 <= m.target_tone <= 1
    for e in a.entities:
        ms = [m for m in a.mentions if m.entity == e.name]
        assert e.count == sum(not m.demonym for m in ms)
        assert e.demonym_count == sum(m.demonym for m in ms)
    check_quotes(a.quotes, body, starts, len(a.sentences))
    for q in a.quotes:
        check_tone(q.tone)
    assert len(a.headlines) == len(c.headlines)
    assert [len(row) for row in a.headline_similarity] == [len(a.headlines)] * len(a.headlines)
    for h in a.headlines:
        check_tone(h.tone)
        assert 0 <= h.body_similarity <= 1
    check_tone(a.tone)
    assert a.language == ("en" if not a.notices else "unknown")


def test_profiles_are_registered():
    assert settings.get_profile("ci").max_examples < settings.get_profile("thorough").max_examples
    with pytest.raises(InvalidArgument):
        settings.get_profile("missing")
