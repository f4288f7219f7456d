"""From raw input to an ``AnalysedArticle``: clean, parse once, run every analysis on that parse.

>>> from analysis.pipeline import ArticleInput, analyze
>>> article = analyze(ArticleInput(text=open("data/articles/000_6b59547119199e55.txt").read()))
>>> article.title[:30]
'United States urges Israel to '

Batches go through ``analyze_many``, which streams articles through ``nlp.pipe`` in batches and,
with ``workers > 1``, runs whole chunks (parse *and* analysis) in worker processes, so only small
result objects cross process boundaries, never spaCy Docs.
"""

from __future__ import annotations

import bisect
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc

from analysis import headlines as hl
from analysis.clean import clean_article
from analysis.encoder import Encoded, encode_texts, load_encoder
from analysis.engine import current_engine
from analysis.entities import extract_entities, headline_entities
from analysis.errors import InputError
from analysis.model import (
    AnalysedArticle,
    CleanedArticle,
    CleaningChoices,
    HeadlineAnalysis,
    Mention,
    OriginalInput,
    Paragraph,
    Quote,
    Sentence,
    article_id,
)
from analysis.nlp import load_nlp
from analysis.quotes import extract_quotes
from analysis.targeted import TargetedToneModel, load_targeted_model, sentence_key
from analysis.tone import aggregate, context_vector, load_sentence_model, score_texts

__all__ = ["ArticleInput", "Failure", "analyze", "analyze_cleaned", "analyze_many", "default_workers", "load_models"]

QUOTE_VOICE_SHARE = 0.6  # a sentence at least this much inside quotes is the quoted voice


@dataclass(slots=True)
class ArticleInput:
    """One article to analyse: its text and what the caller knows about it."""

    text: str
    name: str = "input"  # for messages only (a file name is never used as a path)
    format: str | None = None  # text | html | markdown; sniffed when None
    title: str | None = None
    source: str = ""
    url: str = ""
    published: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    choices: CleaningChoices = field(default_factory=CleaningChoices)  # the analyst's line overrides
    aliases: tuple[str, ...] = ()  # earlier ids of this article (an export row carries them)
    kept: bool = True  # False: rebuilt from a store that did not keep the original (re-analysis)

    def original(self, resolved_format: str) -> OriginalInput:
        """The input as it is stored beside its analysis (``resolved_format`` when not given)."""
        return OriginalInput(
            text=self.text, format=self.format or resolved_format, choices=self.choices,
            title=self.title or "", source=self.source, url=self.url, published=self.published,
            kept=self.kept, aliases=tuple(self.aliases),
        )  # fmt: skip


@dataclass(slots=True)
class Failure:
    """An input that could not become an article, with the user-facing message."""

    name: str
    message: str


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _clean(item: ArticleInput) -> CleanedArticle:
    cleaned = clean_article(item.text, format=item.format, title=item.title, name=item.name, choices=item.choices)
    for key, value in (("source", item.source), ("url", item.url), ("published", item.published)):
        if value:
            cleaned.metadata[key] = value
    return cleaned


def analyze(item: ArticleInput | str, *, nlp: Language | None = None) -> AnalysedArticle:
    """Clean and analyse one article. Raises ``InputError`` for input that is not an article."""
    if isinstance(item, str):
        item = ArticleInput(text=item)
    nlp = nlp or load_nlp()
    cleaned = _clean(item)
    doc = nlp(cleaned.body)
    headline_docs = list(nlp.pipe(h.text for h in cleaned.headlines))
    return analyze_cleaned(cleaned, doc, headline_docs, item)


def analyze_many(
    items: Iterable[ArticleInput],
    *,
    workers: int = 1,
    batch_size: int = 32,
) -> Iterator[AnalysedArticle | Failure]:
    """Analyse a stream of articles, yielding results in input order.

    Bad inputs yield a ``Failure`` and the stream goes on. With ``workers > 1`` chunks of
    ``batch_size`` articles run in a pool of processes, each with its own model.
    """
    chunks = _chunks(items, batch_size)
    if workers <= 1:
        for chunk in chunks:
            yield from _analyze_chunk(chunk, batch_size)
        return
    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ctx.Pool(workers, initializer=_warm_up) as pool:
        for results in pool.imap(_analyze_chunk_in_worker, ((c, batch_size) for c in chunks)):
            yield from results


def _chunks(items: Iterable[ArticleInput], size: int) -> Iterator[list[ArticleInput]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def load_models() -> None:
    """Load everything ``analyze`` needs (spaCy, the tone heads, the encoder) once per process,
    so that a worker pays for it before its first article."""
    load_nlp()
    load_targeted_model()
    load_sentence_model()
    load_encoder()


def _warm_up() -> None:
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)  # one BLAS thread per worker: the workers already fill the cores
    load_models()


def _analyze_chunk_in_worker(args: tuple[list[ArticleInput], int]) -> list[AnalysedArticle | Failure]:
    return _analyze_chunk(*args)


def _analyze_chunk(chunk: Sequence[ArticleInput], batch_size: int) -> list[AnalysedArticle | Failure]:
    nlp = load_nlp()
    results: list[AnalysedArticle | Failure | None] = [None] * len(chunk)
    ready: list[tuple[int, CleanedArticle]] = []
    for i, item in enumerate(chunk):
        try:
            ready.append((i, _clean(item)))
        except InputError as err:
            results[i] = Failure(item.name, str(err))
    bodies = nlp.pipe((c.body for _, c in ready), batch_size=batch_size)
    headline_texts = [h.text for _, c in ready for h in c.headlines]
    headline_docs = iter(list(nlp.pipe(headline_texts, batch_size=256)))
    for (i, cleaned), doc in zip(ready, bodies, strict=True):
        hdocs = [next(headline_docs) for _ in cleaned.headlines]
        try:
            results[i] = analyze_cleaned(cleaned, doc, hdocs, chunk[i])
        except InputError as err:
            results[i] = Failure(chunk[i].name, str(err))
    return [r for r in results if r is not None]


def analyze_cleaned(
    cleaned: CleanedArticle,
    doc: Doc,
    headline_docs: Sequence[Doc],
    item: ArticleInput | None = None,
) -> AnalysedArticle:
    """Every analysis of one article, from its cleaned form and the parse of its body."""
    item = item or ArticleInput(text="")
    sents = list(doc.sents)
    starts = cleaned.paragraph_starts()

    # Every sentence and headline is encoded once, here; targeted and sentence tone share it.
    encodings = encode_texts([s.text for s in sents] + [h.text for h in cleaned.headlines])
    entities, mentions = extract_entities(doc)
    tone_model = load_targeted_model()
    _score_targets(tone_model, mentions, sents, encodings)
    quotes = extract_quotes(doc, mentions, paragraph_starts=starts)

    sentences = _sentences(sents, starts, quotes, encodings)
    _reindex_sentences(mentions, quotes, sentences)
    paragraphs = _paragraphs(cleaned, starts, sentences)
    article_tone = aggregate([s.tone for s in sentences], [s.end - s.start for s in sentences])
    quote_vectors = _quote_vectors(quotes, sents, encodings)
    for quote, tone in zip(quotes, score_texts([q.text for q in quotes], encodings, quote_vectors), strict=True):
        quote.tone = tone

    analysed_headlines, similarity = _headlines(cleaned, doc, sents, headline_docs, entities, encodings)
    language_notices = _language_notices(doc)
    # what the cleaner could not do (no article body recognised, the text kept whole) is said on
    # the article's pages too, not only on the Add page's preview
    notices = language_notices + [n for n in (cleaned.metadata.get("notice"),) if n]
    original = item.original(cleaned.format) if item.text.strip() else None
    return AnalysedArticle(
        id=original.id if original else article_id(cleaned.title, cleaned.paragraphs),
        cleaned=cleaned,
        sentences=sentences,
        paragraphs=paragraphs,
        headlines=analysed_headlines,
        headline_similarity=similarity,
        entities=entities,
        mentions=mentions,
        quotes=quotes,
        tone=article_tone,
        language="en" if not language_notices else "unknown",
        notices=notices,
        source=item.source or cleaned.metadata.get("source", ""),
        url=item.url or cleaned.metadata.get("url", ""),
        published=item.published or cleaned.metadata.get("published", ""),
        tone_model=tone_model.version,
        original=original,
        engine=dict(current_engine()),
    )


def _score_targets(
    model: TargetedToneModel, mentions: list[Mention], sents: list, encodings: dict[str, Encoded]
) -> None:
    """Tone toward each mention in its sentence (the targeted model reads the existing parse and
    the sentences' encodings)."""
    if not mentions:
        return
    predictions = model.predict_spans([(sents[m.sentence], m.start, m.end) for m in mentions], encodings)
    for mention, prediction in zip(mentions, predictions, strict=True):
        mention.target_tone = prediction.score
        mention.target_label = prediction.label


def _quote_vectors(quotes: list[Quote], sents: list, encodings: dict[str, Encoded]) -> list:
    """Each quote's ``context_vector``: its word pieces in the encodings of the sentences it spans
    (already encoded for the sentences; a quote is not encoded again). None (encode the quote's
    text) for a quote no encoded sentence holds."""
    keys = [sentence_key(s) for s in sents]  # (stripped text, its Doc offset), in Doc order
    starts = [offset for _, offset in keys]
    out = []
    for quote in quotes:
        parts = []
        first = max(0, bisect.bisect_right(starts, quote.start) - 1)
        for text, offset in keys[first:]:
            if offset >= quote.end:
                break
            if text in encodings and offset + len(text) > quote.start:
                encoded = encodings[text]
                parts.append((encoded, encoded.pieces(quote.start - offset, quote.end - offset)))
        out.append(context_vector(parts))
    return out


def _sentences(
    sents: list, paragraph_starts: list[int], quotes: list[Quote], encodings: dict[str, Encoded]
) -> list[Sentence]:
    quoted = sorted((q.start, q.end) for q in quotes if q.kind in ("direct", "partial"))
    spans = []
    for s in sents:
        text = s.text.strip()
        if not text:
            continue
        start = s.start_char + (len(s.text) - len(s.text.lstrip()))
        spans.append((start, start + len(text), text))
    tones = score_texts([t for _, _, t in spans], encodings)
    out = []
    for index, ((start, end, text), tone) in enumerate(zip(spans, tones, strict=True)):
        paragraph = bisect.bisect_right(paragraph_starts, start) - 1
        out.append(
            Sentence(
                index=index,
                paragraph=max(paragraph, 0),
                start=start,
                end=end,
                text=text,
                tone=tone,
                voice=_voice(start, end, quoted),
            )
        )
    return out


def _reindex_sentences(mentions: list[Mention], quotes: list[Quote], sentences: list[Sentence]) -> None:
    """Mentions and quotes index spaCy's sentences; the article keeps only non-blank ones.
    Point each at the article sentence that holds its start (the nearest one before it)."""
    sentence_starts = [s.start for s in sentences]
    for item in (*mentions, *quotes):
        item.sentence = max(0, bisect.bisect_right(sentence_starts, item.start) - 1)


def _voice(start: int, end: int, quoted: list[tuple[int, int]]) -> str:
    inside = sum(max(0, min(end, qe) - max(start, qs)) for qs, qe in quoted)
    if inside == 0:
        return "narrator"
    return "quote" if inside >= QUOTE_VOICE_SHARE * (end - start) else "mixed"


def _paragraphs(cleaned: CleanedArticle, starts: list[int], sentences: list[Sentence]) -> list[Paragraph]:
    by_paragraph: dict[int, list[Sentence]] = {}
    for s in sentences:
        by_paragraph.setdefault(s.paragraph, []).append(s)
    out = []
    for index, (text, start) in enumerate(zip(cleaned.paragraphs, starts, strict=True)):
        members = by_paragraph.get(index, [])
        tone = aggregate([s.tone for s in members], [s.end - s.start for s in members])
        out.append(Paragraph(index=index, start=start, end=start + len(text), text=text, tone=tone))
    return out


def _headlines(
    cleaned: CleanedArticle,
    doc: Doc,
    sents: list,
    headline_docs: Sequence[Doc],
    entities: list,
    encodings: dict[str, Encoded],
) -> tuple[list[HeadlineAnalysis], list[list[float]]]:
    space = hl.TfidfSpace([hl.content_terms(s) for s in sents])
    body_terms_list = hl.content_terms(doc)
    body_terms = set(body_terms_list)
    terms = [hl.content_terms(hdoc) for hdoc in headline_docs]
    tones = score_texts([h.text for h in cleaned.headlines], encodings)
    out = []
    for h, hdoc, hterms, tone in zip(cleaned.headlines, headline_docs, terms, tones, strict=True):
        out.append(
            HeadlineAnalysis(
                text=h.text,
                role=h.role,
                words=sum(1 for t in hdoc if not t.is_punct and not t.is_space),
                chars=len(h.text),
                tone=tone,
                entities=headline_entities(hdoc, entities),
                framing_verbs=hl.framing_verbs(hdoc),
                body_similarity=round(space.similarity(hterms, body_terms_list), 4),
                novel_words=hl.novel_words(hterms, body_terms),
            )
        )
    similarity = [[round(space.similarity(a, b), 4) for b in terms] for a in terms]
    return out, similarity


NOT_ENGLISH = (
    "This text does not look like English: entities, quotes and tone are computed with "
    "English models and may be unreliable."
)


def _language_notices(doc: Doc) -> list[str]:
    """A notice when the text does not look like English (the models are English-only).

    Two signals: most letters outside the Latin script (Chinese, Arabic, Cyrillic…); or, in
    Latin script, too few of spaCy's English stop words (English running text has a third to
    a half of its words among them; other languages score far below that).
    """
    letters = [c for c in doc.text if c.isalpha()]
    if len(letters) >= 20 and sum(c < "\u0250" for c in letters) < 0.5 * len(letters):
        return [NOT_ENGLISH]
    words = [t for t in doc if t.is_alpha]
    if len(words) >= 12 and sum(1 for t in words if t.is_stop) < 0.12 * len(words):
        return [NOT_ENGLISH]
    return []
