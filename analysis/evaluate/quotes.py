"""Quote extraction measured on PolNeAR (political news attributions), ours against textacy.

Metric definitions are the project's (``shared/eval/README.md``):

- gold *direct* quotes: attributions whose Content holds a double quotation mark; *pure* when the
  trimmed Content begins and ends with a mark, *mixed* otherwise;
- a prediction matches a gold quote when the word overlap (lower-cased alphanumeric tokens,
  with multiplicity) over the longer one's length is at least 0.5, or, for mixed gold, when the
  prediction lies at least 80% inside it; one-to-one, best overlap first;
- speaker accuracy over matched pairs whose gold Source is not a bare pronoun: the predicted
  speaker shares a content word with the Source (ours names a speaker twice, as resolved, e.g.
  "Marco Rubio", and as written at the cue, e.g. "the Florida senator"; either may match);
- indirect recall: gold attributions without quotation marks matched by our ``indirect`` quotes;
- indirect (reported-speech) precision: the share of our ``indirect`` quotes that match any gold
  attribution (with or without marks), same matching, one-to-one;
- speaker accuracy on reported speech: as for direct quotes, over the matched indirect pairs.

What we predict is what the dashboard shows by default: quotes at or above the classifier's
threshold, negated or hedged speech ("did not say") left out.

Our direct predictions are the ``direct`` and ``partial`` quotes (both carry quotation marks).

    python -m analysis evaluate quotes /path/to/polnear/train --limit 150
"""

from __future__ import annotations

import argparse
import pickle
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from spacy.tokens import Doc, DocBin

from analysis.model import Mention
from analysis.quotes import extract_quotes, mentions_from_ents, shown

__all__ = [
    "QUOTE_MARKS",
    "ARCHIVE_MARKS",
    "GoldAttribution",
    "Article",
    "Prediction",
    "Scores",
    "load_article",
    "load_articles",
    "paragraph_starts",
    "predict_ours",
    "predict_textacy",
    "match",
    "score",
    "evaluate",
    "format_table",
    "cli",
]

QUOTE_MARKS: tuple[str, ...] = ('"', "“", "”")
"""The marks that make a gold attribution direct (the project's binding definition)."""
ARCHIVE_MARKS: tuple[str, ...] = (*QUOTE_MARKS, "''")
"""The same plus ``''``, which the New York Times archive texts use as both opening and closing
double mark: under the binding definition their quotes count as indirect (see ``evaluate``)."""
_TRIM = " \t\n,.;:!?-—"
_PRONOUNS = {
    "i", "me", "we", "us", "you", "he", "him", "she", "her", "it", "they", "them", "who", "one",
    "his", "its", "their", "our", "my", "your",
}  # fmt: skip
_NON_CONTENT = {
    "a", "an", "the", "said", "says", "say", "mr", "mrs", "ms", "miss", "dr", "sen", "rep", "gov",
    "s", "of", "for", "to", "in", "on", "at", "and", "with", "by",
}  # fmt: skip
_TOKEN = re.compile(r"[a-z0-9]+")


class GoldAttribution(NamedTuple):
    """One annotated attribution: what was said (pieces joined by a space) and by whom."""

    content: str
    source: str
    cue: str
    direct: bool  # the content holds a double quotation mark
    pure: bool  # ...and begins and ends with one


class Article(NamedTuple):
    name: str
    text: str
    gold: list[GoldAttribution]


class Prediction(NamedTuple):
    text: str
    speaker: str  # the canonical speaker
    kind: str  # direct | partial | indirect
    speaker_text: str = ""  # the speaker as written at the cue, when it differs


@dataclass(slots=True)
class Scores:
    """Counts from which every figure of the table follows."""

    articles: int = 0
    predicted: int = 0  # direct + partial predictions
    gold_direct: int = 0
    gold_pure: int = 0
    matched: int = 0
    matched_pure: int = 0
    speaker_pairs: int = 0  # matched pairs with a non-pronoun gold source
    speaker_correct: int = 0  # either name matches: canonical or as written
    speaker_canonical_correct: int = 0  # the canonical name alone matches
    gold_indirect: int = 0
    matched_indirect: int = 0
    predicted_indirect: int = 0
    precise_indirect: int = 0  # indirect predictions matching any gold attribution
    indirect_speaker_pairs: int = 0
    indirect_speaker_correct: int = 0
    failures: int = 0  # articles the system could not handle (textacy: unbalanced marks)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold_direct if self.gold_direct else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def recall_pure(self) -> float:
        return self.matched_pure / self.gold_pure if self.gold_pure else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_correct / self.speaker_pairs if self.speaker_pairs else 0.0

    @property
    def speaker_accuracy_canonical(self) -> float:
        return self.speaker_canonical_correct / self.speaker_pairs if self.speaker_pairs else 0.0

    @property
    def indirect_recall(self) -> float:
        return self.matched_indirect / self.gold_indirect if self.gold_indirect else 0.0

    @property
    def indirect_precision(self) -> float:
        return self.precise_indirect / self.predicted_indirect if self.predicted_indirect else 0.0

    @property
    def indirect_speaker_accuracy(self) -> float:
        return self.indirect_speaker_correct / self.indirect_speaker_pairs if self.indirect_speaker_pairs else 0.0


# ---------------------------------------------------------------------------------------------
# Loading


def _spans(field: str) -> list[tuple[int, int]]:
    """``"302 427;430 500"`` → [(302, 427), (430, 500)]."""
    out = []
    for piece in field.split(";"):
        start, end = piece.split()
        out.append((int(start), int(end)))
    return out


def load_article(text_path: Path, ann_path: Path, marks: tuple[str, ...] = QUOTE_MARKS) -> Article:
    """One article with the attributions of one annotator's brat file; ``marks`` decide which
    attributions are direct."""
    text = text_path.read_text(encoding="utf-8")
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events: list[dict[str, str]] = []
    for line in ann_path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 2:
            continue
        if line.startswith("T"):
            label, _, offsets = cols[1].partition(" ")
            if label in ("Source", "Content", "Cue"):
                spans[cols[0]] = (label, _spans(offsets))
        elif line.startswith("E"):
            events.append(dict(arg.split(":", 1) for arg in cols[1].split() if ":" in arg))
    gold = []
    for event in events:
        content_id = event.get("Content")
        if content_id not in spans:
            continue
        content = " ".join(text[s:e] for s, e in spans[content_id][1])
        source_id = event.get("Source")
        source = " ".join(text[s:e] for s, e in spans[source_id][1]) if source_id in spans else ""
        cue_id = event.get("Cue")
        cue = " ".join(text[s:e] for s, e in spans[cue_id][1]) if cue_id in spans else ""
        direct = any(mark in content for mark in marks)
        trimmed = content.strip(_TRIM)
        pure = direct and trimmed.startswith(marks) and trimmed.endswith(marks)
        gold.append(GoldAttribution(content, source, cue, direct, pure))
    return Article(text_path.stem, text, gold)


def load_articles(
    directory: Path, limit: int | None = None, marks: tuple[str, ...] = QUOTE_MARKS
) -> list[Article]:
    """Articles of a PolNeAR split (``train/`` or ``dev/``), one annotator each (first by name)."""
    texts = sorted((directory / "text").glob("*.txt"))
    if limit is not None:
        texts = texts[:limit]
    articles = []
    for path in texts:
        anns = sorted((directory / "attributions").glob(f"{path.stem}_*.ann"))
        if anns:
            articles.append(load_article(path, anns[0], marks))
    return articles


# ---------------------------------------------------------------------------------------------
# Predictions


def paragraph_starts(text: str) -> list[int]:
    """Offsets of the non-blank lines: PolNeAR texts have one paragraph per line."""
    return [m.start() for m in re.finditer(r"^[^\n]*\S", text, flags=re.MULTILINE)]


def _mentions(doc: Doc) -> list[Mention]:
    try:
        from analysis.entities import extract_entities
    except ImportError:
        return mentions_from_ents(doc)
    return extract_entities(doc)[1]


def parsed(
    articles: list[Article], cache: Path | None = None
) -> list[tuple[Doc, list[Mention]]]:
    """Each article parsed, with its entity mentions; with ``cache`` (a folder), the docs are kept
    there as a DocBin with the mentions beside them, keyed by the article names, so that repeated
    experiments on a split parse it once."""
    from analysis.nlp import load_nlp

    nlp = load_nlp()
    key = None
    if cache is not None:
        import hashlib

        key = hashlib.sha1("\n".join(a.name for a in articles).encode()).hexdigest()[:16]
        docs_path, mentions_path = cache / f"{key}.spacy", cache / f"{key}.mentions.pkl"
        if docs_path.exists() and mentions_path.exists():
            docs = list(DocBin().from_disk(docs_path).get_docs(nlp.vocab))
            with mentions_path.open("rb") as f:
                return list(zip(docs, pickle.load(f), strict=True))
    out = [(doc, _mentions(doc)) for doc in nlp.pipe((a.text for a in articles), batch_size=16)]
    if cache is not None and key is not None:
        cache.mkdir(parents=True, exist_ok=True)
        DocBin(docs=[d for d, _ in out]).to_disk(cache / f"{key}.spacy")
        with (cache / f"{key}.mentions.pkl").open("wb") as f:
            pickle.dump([m for _, m in out], f)
    return out


def predict_ours(doc: Doc, mentions: list[Mention] | None = None) -> list[Prediction]:
    """Our quotes as the dashboard shows them by default: confident and not negated."""
    quotes = extract_quotes(
        doc, _mentions(doc) if mentions is None else mentions, paragraph_starts=paragraph_starts(doc.text)
    )
    return [
        Prediction(q.text, q.speaker or q.speaker_text, q.kind, q.speaker_text)
        for q in quotes
        if shown(q)
    ]


def predict_textacy(doc: Doc) -> list[Prediction] | None:
    """textacy's direct quotations; None when it refuses the text (odd number of marks)."""
    from textacy.extract.triples import direct_quotations

    try:
        triples = list(direct_quotations(doc))
    except ValueError:
        return None
    return [
        Prediction(t.content.text.strip(" \"“”'‘’`"), " ".join(tok.text for tok in t.speaker), "direct")
        for t in triples
    ]


# ---------------------------------------------------------------------------------------------
# Scoring


def _tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.lower()))


def match(predicted: list[str], gold: list[str], mixed: list[bool]) -> list[tuple[int, int]]:
    """One-to-one (prediction, gold) index pairs, best overlap first (the README's rule)."""
    pred_toks = [_tokens(p) for p in predicted]
    gold_toks = [_tokens(g) for g in gold]
    pairs = []
    for i, pt in enumerate(pred_toks):
        n_pred = sum(pt.values())
        if not n_pred:
            continue
        for j, gt in enumerate(gold_toks):
            n_gold = sum(gt.values())
            common = sum((pt & gt).values())
            if not common:
                continue
            overlap = common / max(n_pred, n_gold)
            if overlap >= 0.5 or (mixed[j] and common / n_pred >= 0.8):
                pairs.append((overlap, i, j))
    pairs.sort(key=lambda p: -p[0])
    used_p, used_g, out = set(), set(), []
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def _content_words(text: str) -> set[str]:
    return set(_TOKEN.findall(text.lower())) - _NON_CONTENT


def speaker_matches(predicted: str, gold_source: str) -> bool:
    """The predicted speaker shares a content word with the gold Source span."""
    return bool(_content_words(predicted) & _content_words(gold_source))


def _is_pronoun(source: str) -> bool:
    return source.strip().lower() in _PRONOUNS or not _content_words(source)


def score(article: Article, predictions: list[Prediction] | None, into: Scores) -> None:
    """Add one article's counts to ``into`` (``None`` predictions: the system failed)."""
    into.articles += 1
    direct_gold = [g for g in article.gold if g.direct]
    indirect_gold = [g for g in article.gold if not g.direct]
    into.gold_direct += len(direct_gold)
    into.gold_pure += sum(g.pure for g in direct_gold)
    into.gold_indirect += len(indirect_gold)
    if predictions is None:
        into.failures += 1
        return
    direct_pred = [p for p in predictions if p.kind in ("direct", "partial")]
    into.predicted += len(direct_pred)
    pairs = match(
        [p.text for p in direct_pred],
        [g.content for g in direct_gold],
        [not g.pure for g in direct_gold],
    )
    for i, j in pairs:
        gold = direct_gold[j]
        into.matched += 1
        into.matched_pure += gold.pure
        if gold.source and not _is_pronoun(gold.source):
            into.speaker_pairs += 1
            pred = direct_pred[i]
            canonical = speaker_matches(pred.speaker, gold.source)
            into.speaker_canonical_correct += canonical
            into.speaker_correct += canonical or speaker_matches(pred.speaker_text, gold.source)
    indirect_pred = [p for p in predictions if p.kind == "indirect"]
    pairs = match([p.text for p in indirect_pred], [g.content for g in indirect_gold], [False] * len(indirect_gold))
    into.matched_indirect += len(pairs)
    for i, j in pairs:
        gold = indirect_gold[j]
        if gold.source and not _is_pronoun(gold.source):
            into.indirect_speaker_pairs += 1
            pred = indirect_pred[i]
            into.indirect_speaker_correct += speaker_matches(pred.speaker, gold.source) or speaker_matches(
                pred.speaker_text, gold.source
            )
    into.predicted_indirect += len(indirect_pred)
    into.precise_indirect += len(
        match([p.text for p in indirect_pred], [g.content for g in article.gold], [g.direct and not g.pure for g in article.gold])
    )


def evaluate(directory: Path, limit: int | None = None, cache: Path | None = None) -> dict[str, Scores | None]:
    """Scores of ours and textacy's (None when textacy is not installed) on one split.

    Rows ``ours`` and ``textacy`` follow the binding definition (direct = ``"“”``); the rows
    marked ``''`` also count ``''`` as a double mark in the gold, the fair reading for the New
    York Times texts, whose quotes are written ``''…''`` and which both systems extract as
    direct quotes."""
    readings = {"": load_articles(directory, limit), " ''": load_articles(directory, limit, ARCHIVE_MARKS)}
    try:
        import textacy.extract.triples  # noqa: F401

        peers = True
    except ImportError:
        peers = False
    results: dict[str, Scores | None] = {}
    for suffix in readings:
        results[f"ours{suffix}"] = Scores()
        results[f"textacy{suffix}"] = Scores() if peers else None
    for i, (doc, mentions) in enumerate(parsed(readings[""], cache)):
        ours = predict_ours(doc, mentions)
        theirs = predict_textacy(doc) if peers else None
        for suffix, articles in readings.items():
            score(articles[i], ours, results[f"ours{suffix}"])  # type: ignore[arg-type]
            if peers:
                score(articles[i], theirs, results[f"textacy{suffix}"])  # type: ignore[arg-type]
    return results


def format_table(results: dict[str, Scores | None], title: str) -> str:
    """A plain-text table of the figures, one row per system (and reading of the marks)."""
    head = (
        f"{'system':<11} {'P':>6} {'R':>6} {'F1':>6} {'R pure':>7} {'speaker':>8} {'canon.':>7} "
        f"{'indirect P':>10} {'R':>6} {'speaker':>8} {'n':>5} {'gold direct/indirect':>21}"
    )
    lines = [title, head, "-" * len(head)]
    for name, s in results.items():
        if s is None:
            lines.append(f"{name:<11} not installed")
            continue
        lines.append(
            f"{name:<11} {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f} {s.recall_pure:>7.3f} "
            f"{s.speaker_accuracy:>8.3f} {s.speaker_accuracy_canonical:>7.3f} {s.indirect_precision:>10.3f} "
            f"{s.indirect_recall:>6.3f} {s.indirect_speaker_accuracy:>8.3f} {s.articles:>5} "
            f"{f'{s.gold_direct}/{s.gold_indirect}':>21}"
            + (f"  ({s.failures} articles refused)" if s.failures else "")
        )
    if any("''" in name for name in results):
        lines.append("rows marked '' also count '' (NYT's double mark) as a quotation mark in the gold")
    lines.append("P R F1 speaker canon.: direct quotes; indirect P R speaker: reported speech (kind indirect)")
    lines.append("speaker: the canonical name or the phrase as written matches; canon.: the canonical name alone")
    return "\n".join(lines)


def cli(argv: list[str]) -> int:
    """``evaluate quotes DIR [--limit N]``: print the table; 2 when DIR is not a PolNeAR split."""
    parser = argparse.ArgumentParser(prog="python -m analysis evaluate quotes", description=__doc__.split("\n")[0])
    parser.add_argument("directory", type=Path, help="a PolNeAR split: train/ or dev/")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--cache", type=Path, default=None, help="a folder keeping the parsed split (DocBin)")
    args = parser.parse_args(argv)
    if not (args.directory / "text").is_dir() or not (args.directory / "attributions").is_dir():
        print(f"{args.directory}: not a PolNeAR split (expected text/ and attributions/ inside).")
        return 2
    results = evaluate(args.directory, args.limit, args.cache)
    print(format_table(results, f"PolNeAR quotes: {args.directory}"))
    return 0
