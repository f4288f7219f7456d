"""The pipeline on the seed article and on small texts: one parse, consistent offsets, every analysis."""

from __future__ import annotations

import pytest

from analysis.model import PARAGRAPH_SEP
from analysis.pipeline import ArticleInput, Failure, analyze, analyze_many


@pytest.fixture(scope="module")
def seed_article(seed_text):
    return analyze(ArticleInput(text=seed_text, name="seed.txt"))


def test_same_text_gives_same_id(seed_text, seed_article):
    assert analyze(seed_text).id == seed_article.id
    assert len(seed_article.id) == 16


def test_sentence_offsets_index_the_body(seed_article):
    body = seed_article.cleaned.body
    for s in seed_article.sentences:
        assert body[s.start : s.end] == s.text
        assert PARAGRAPH_SEP not in s.text
        assert seed_article.cleaned.paragraphs[s.paragraph].find(s.text) >= 0


def test_every_mention_and_quote_indexes_the_body(seed_article):
    body = seed_article.cleaned.body
    for m in seed_article.mentions:
        assert body[m.start : m.end] == m.text
        assert -1.0 <= m.target_tone <= 1.0
        assert m.target_label in {"negative", "neutral", "positive"}
    for q in seed_article.quotes:
        assert 0 <= q.start < q.end <= len(body)
        assert q.tone is not None


def test_tone_ranges(seed_article):
    for tone in [seed_article.tone, *(s.tone for s in seed_article.sentences), *(p.tone for p in seed_article.paragraphs)]:
        assert -1 <= tone.polarity <= 1 and 0 <= tone.subjectivity <= 1
        assert -1 <= tone.vader <= 1 and -1 <= tone.tone <= 1


def test_quoted_sentences_are_the_quoted_voice(seed_article):
    voices = {s.text[:25]: s.voice for s in seed_article.sentences}
    assert voices["“We will do what we need "] in {"quote", "mixed"}
    assert voices["The United States has adv"] == "narrator"


def test_headlines_are_analysed_and_compared(seed_article):
    heads = seed_article.headlines
    assert [h.role for h in heads] == [h.role for h in seed_article.cleaned.headlines]
    matrix = seed_article.headline_similarity
    assert len(matrix) == len(heads) and all(len(row) == len(heads) for row in matrix)
    title = next(h for h in heads if h.role == "title")
    assert "United States" in title.entities and "Israel" in title.entities
    assert "urge" in title.framing_verbs
    assert 0 < title.body_similarity <= 1


def test_a_batch_keeps_order_and_reports_bad_inputs():
    items = [
        ArticleInput(text="The mayor said the new bridge will open in May. Residents welcomed it.", name="a"),
        ArticleInput(text="   \n  ", name="empty"),
        ArticleInput(text="Police said the fire killed three people on Tuesday night in Leeds.", name="b"),
    ]
    results = list(analyze_many(items))
    assert [type(r).__name__ for r in results] == ["AnalysedArticle", "Failure", "AnalysedArticle"]
    failure = results[1]
    assert isinstance(failure, Failure) and failure.name == "empty" and failure.message


@pytest.mark.slow
def test_worker_processes_give_the_same_results(seed_text):
    items = [ArticleInput(text=seed_text, name="seed"), ArticleInput(text="Officials said the talks failed. Markets fell sharply.", name="x")]
    one = [r.to_json() for r in analyze_many(items, workers=1)]
    two = [r.to_json() for r in analyze_many(items, workers=2, batch_size=1)]
    assert one == two


def test_non_english_text_gets_a_notice():
    text = (
        "Der Bundestag hat am Donnerstag über den Haushalt beraten. Die Opposition kritisierte "
        "die Pläne der Regierung scharf und forderte Nachbesserungen bei Renten und Bildung."
    )
    article = analyze(text)
    assert article.notices and "English" in article.notices[0]


def test_one_encoder_pass_per_article_quotes_included(seed_text, monkeypatch):
    """Sentences and headlines are encoded once, together; quotes are read from their sentences'
    encodings (``analysis.tone.context_vector``), not encoded again."""
    from analysis.encoder import Encoder

    calls: list[int] = []
    encode = Encoder.encode
    monkeypatch.setattr(Encoder, "encode", lambda self, texts: calls.append(len(texts)) or encode(self, texts))
    article = analyze(ArticleInput(text=seed_text, name="seed.txt"))
    assert article.quotes and len(calls) == 1
    assert all(q.tone is not None and -1 <= q.tone.tone <= 1 for q in article.quotes)
