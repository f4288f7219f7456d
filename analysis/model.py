"""The result types every stage of the engine produces, and the store and the JSON output read.

One source of truth: `CleanedArticle` is what cleaning returns, `AnalysedArticle` what analysis
returns; the store writes their fields to tables and `to_json()` builds the CLI's JSON from them.

Offsets: every ``start``/``end`` (sentences, mentions, quotes) indexes ``CleanedArticle.body``,
the paragraphs joined by ``PARAGRAPH_SEP``; ``body[start:end]`` is the span's text.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Literal

__all__ = [
    "PARAGRAPH_SEP",
    "HEADLINE_ROLES",
    "QUOTE_KINDS",
    "CleaningChoices",
    "Headline",
    "RemovedLine",
    "CleanedArticle",
    "ToneScores",
    "Sentence",
    "Paragraph",
    "Mention",
    "Entity",
    "Quote",
    "HeadlineAnalysis",
    "AnalysedArticle",
    "article_id",
    "OriginalInput",
    "input_id",
]

PARAGRAPH_SEP = "\n\n"

HeadlineRole = Literal["title", "alternate", "dek", "section", "truncated"]
HEADLINE_ROLES: tuple[str, ...] = ("title", "alternate", "dek", "section", "truncated")

QuoteKind = Literal["direct", "partial", "indirect"]
QUOTE_KINDS: tuple[str, ...] = ("direct", "partial", "indirect")


@dataclass(frozen=True, slots=True)
class CleaningChoices:
    """The analyst's overrides of the cleaner, chosen on the Add page's preview.

    Line numbers are 0-based indexes into the cleaner's input lines (``clean.input_lines``):
    ``keep`` restores lines the cleaner dropped, ``drop`` removes lines it kept. The choices are
    part of an article's original input: they are stored with it and enter its id.

    >>> CleaningChoices(keep=(3,), drop=(0, 1)).as_dict()
    {'keep': [3], 'drop': [0, 1]}
    """

    keep: tuple[int, ...] = ()
    drop: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "keep", tuple(sorted(set(self.keep))))
        object.__setattr__(self, "drop", tuple(sorted(set(self.drop))))
        if set(self.keep) & set(self.drop):
            raise ValueError("a line cannot be both kept and dropped")

    def __bool__(self) -> bool:
        return bool(self.keep or self.drop)

    def as_dict(self) -> dict[str, list[int]]:
        return {"keep": list(self.keep), "drop": list(self.drop)}

    @classmethod
    def from_dict(cls, data: dict | None) -> CleaningChoices:
        data = data or {}
        return cls(keep=tuple(int(i) for i in data.get("keep", ())), drop=tuple(int(i) for i in data.get("drop", ())))


@dataclass(frozen=True, slots=True)
class OriginalInput:
    """An article's input as received, kept beside its analysis so a newer engine can redo it.

    ``title``/``source``/``url``/``published`` are what the caller gave ('' when nothing),
    not what cleaning found. ``kept`` is False for an input rebuilt from a store made before
    originals were kept (its stored title and paragraphs). ``aliases`` are earlier ids of the
    article (carried by an export so a move keeps old links); they do not enter the id.
    """

    text: str
    format: str = "text"
    choices: CleaningChoices = field(default_factory=CleaningChoices)
    title: str = ""
    source: str = ""
    url: str = ""
    published: str = ""
    kept: bool = True
    aliases: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return input_id(
            self.text, choices=self.choices, title=self.title, source=self.source, url=self.url,
            published=self.published,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Headline:
    """One headline variant found on the page, with its role."""

    text: str
    role: HeadlineRole


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line cleaning dropped, and why (e.g. ``advertisement``, ``byline``, ``promo``)."""

    text: str
    reason: str


@dataclass(slots=True)
class CleanedArticle:
    """What cleaning returns: the article's structure with boilerplate set aside.

    ``metadata`` keys, each present only when found: ``section``, ``breadcrumb``, ``byline``,
    ``dateline``, ``published``, ``updated``, ``credits``; the caller may add ``source`` and ``url``.
    """

    title: str
    headlines: list[Headline]
    paragraphs: list[str]
    removed: list[RemovedLine] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    format: str = "text"  # text | html | markdown

    @property
    def body(self) -> str:
        return PARAGRAPH_SEP.join(self.paragraphs)

    def paragraph_starts(self) -> list[int]:
        """Offset in ``body`` where each paragraph begins."""
        starts, pos = [], 0
        for p in self.paragraphs:
            starts.append(pos)
            pos += len(p) + len(PARAGRAPH_SEP)
        return starts


@dataclass(frozen=True, slots=True)
class ToneScores:
    """Tone of one piece of text.

    polarity, subjectivity: TextBlob's pattern lexicon, [-1, 1] and [0, 1].
    vader: VADER's compound score, [-1, 1].
    tone: the project's best estimate in [-1, 1] (see ``analysis.tone``).
    """

    polarity: float
    subjectivity: float
    vader: float
    tone: float


@dataclass(slots=True)
class Sentence:
    index: int
    paragraph: int
    start: int
    end: int
    text: str
    tone: ToneScores
    voice: Literal["narrator", "quote", "mixed"] = "narrator"


@dataclass(slots=True)
class Paragraph:
    index: int
    start: int
    end: int
    text: str
    tone: ToneScores


@dataclass(slots=True)
class Mention:
    """One mention of a canonical entity. ``demonym`` mentions ("Israeli") link to the place but
    are not counted in its ``Entity.count``. ``target_tone`` is the tone toward this mention in its
    sentence, in [-1, 1], and ``target_label`` its class (negative / neutral / positive)."""

    entity: str  # canonical name, the Entity's key
    label: str  # PERSON | ORG | GPE | LOC | NORP | ...
    text: str
    sentence: int
    start: int
    end: int
    demonym: bool = False
    target_tone: float | None = None
    target_label: str | None = None


@dataclass(slots=True)
class Entity:
    name: str  # canonical name, e.g. "United States"
    label: str
    count: int  # mentions, demonyms excluded
    aliases: list[str] = field(default_factory=list)  # every surface form seen, canonical first
    demonym_count: int = 0


@dataclass(slots=True)
class Quote:
    text: str
    speaker: str  # canonical entity name, or the phrase as written for unnamed sources
    cue: str  # reporting verb or phrase, e.g. "said", "according to"
    kind: QuoteKind
    start: int
    end: int
    paragraph: int
    sentence: int
    speaker_text: str = ""  # the speaker as written at the attribution ("she", "the agency")
    speaker_label: str = ""  # PERSON | ORG | ... when resolved to an entity
    tone: ToneScores | None = None
    confidence: float = 1.0  # the candidate classifier's P(a real attribution), in [0, 1]
    rule: str = ""  # the attribution rule that found the quote, e.g. "reporting_clause"
    speaker_rule: str = ""  # the rule that chose its speaker, e.g. "subject", "pronoun_recent"
    negated: bool = False  # negated or hedged speech ("did not say", "declined to comment on")
    role: str = ""  # the speaker's role in the article (``analysis.quotes`` ROLES), "" unknown


@dataclass(slots=True)
class HeadlineAnalysis:
    text: str
    role: str
    words: int
    chars: int
    tone: ToneScores
    entities: list[str]  # canonical names named in the headline
    framing_verbs: list[str]  # lemmas of the headline's verbs ("urges", "warns")
    body_similarity: float  # TF-IDF cosine with the body, [0, 1]
    novel_words: list[str]  # content words absent from the body


@dataclass(slots=True)
class AnalysedArticle:
    id: str
    cleaned: CleanedArticle
    sentences: list[Sentence]
    paragraphs: list[Paragraph]
    headlines: list[HeadlineAnalysis]
    headline_similarity: list[list[float]]  # pairwise, in the order of ``headlines``
    entities: list[Entity]
    mentions: list[Mention]
    quotes: list[Quote]
    tone: ToneScores
    language: str = "en"
    notices: list[str] = field(default_factory=list)
    source: str = ""
    url: str = ""
    published: str = ""
    tone_model: str = ""  # the targeted-tone model that scored the mentions (its version)
    original: OriginalInput | None = None  # the input as received (None: not kept)
    engine: dict[str, int | str] = field(default_factory=dict)  # stage versions + spaCy model

    @property
    def title(self) -> str:
        return self.cleaned.title

    def to_json(self, path: str | None = None) -> dict:
        """The CLI's ``analyze --json`` object (one JSON Lines row)."""
        c = self.cleaned
        out = {
            "path": path,
            "id": self.id,
            "title": c.title,
            "headlines": [{"text": h.text, "role": h.role} for h in c.headlines],
            "paragraphs": c.paragraphs,
            "removed": [asdict(r) for r in c.removed],
            "metadata": c.metadata,
            "tone_model": self.tone_model,
            "entities": [
                {"name": e.name, "label": e.label, "count": e.count, "aliases": e.aliases}
                for e in self.entities
            ],
            "quotes": [
                {
                    "text": q.text,
                    "speaker": q.speaker,
                    "kind": q.kind,
                    "cue": q.cue,
                    "start": q.start,
                    "end": q.end,
                    "paragraph": q.paragraph,
                    "sentence": q.sentence,
                    "speaker_text": q.speaker_text,
                    "tone": asdict(q.tone) if q.tone else None,
                }
                for q in self.quotes
            ],
            "sentences": [
                {"text": s.text, "start": s.start, "end": s.end, **asdict(s.tone), "voice": s.voice}
                for s in self.sentences
            ],
            "headline_analysis": [
                {**asdict(h), "tone": asdict(h.tone)} for h in self.headlines
            ],
            "tone": asdict(self.tone),
            "language": self.language,
            "notices": self.notices,
        }
        if path is None:
            del out["path"]
        return out


def article_id(title: str, paragraphs: list[str]) -> str:
    """The id of stores made before originals were kept: a hash of the cleaned content. It moves
    whenever cleaning changes; stores keep such ids as aliases of their articles' current ids.

    >>> article_id("A title", ["Body."])
    '38dc498f8a99f580'
    """
    digest = hashlib.sha256()
    digest.update(title.strip().encode("utf-8"))
    for p in paragraphs:
        digest.update(b"\x00")
        digest.update(p.strip().encode("utf-8"))
    return digest.hexdigest()[:16]


def input_id(
    text: str,
    *,
    choices: CleaningChoices | None = None,
    title: str = "",
    source: str = "",
    url: str = "",
    published: str = "",
) -> str:
    """An article's id: a hash of its input as received (text, the analyst's cleaning choices,
    the caller's title and metadata), never of the engine's output, so the same input keeps its
    id (and its links) across engine versions. The format is left out: it is sniffed from the
    text by the engine, and a better sniffer must not move ids.

    >>> input_id("Body.", title="A title")
    '78776e0df1a22672'
    >>> input_id("Body.\\r\\n", title=" A title ") == input_id("Body.", title="A title")
    True
    """
    payload = {
        "text": text.replace("\r\n", "\n").strip(),
        "title": (title or "").strip(),
        "source": (source or "").strip(),
        "url": (url or "").strip(),
        "published": (published or "").strip(),
        "choices": choices.as_dict() if choices else None,
    }
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:16]
