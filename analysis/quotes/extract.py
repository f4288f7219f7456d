"""Who said what: direct, partial and indirect (reported) quotes with their speakers.

Rules over the spaCy parse, in the tradition of textacy's ``direct_quotations`` and the Gender Gap
Tracker's quote extractor, extended to what news text does in practice:

- **direct**: a quoted utterance, found by scanning quotation marks per paragraph (curly, straight,
  ``\\`\\` ''``, single curly when balanced). A quote split around its attribution
  (``"A," she said, "B."``) becomes ONE quote whose text joins the parts and whose ``start``/``end``
  span from the first part to the last: the quote is one utterance, and word-overlap metrics
  reward keeping it whole. A paragraph that opens a quote and never closes it continues into the
  next paragraph that opens with a mark (same speaker), and so does an attributed quote ending its
  paragraph into a next paragraph that is one quote and nothing else; a quote with no attribution
  of its own takes the speaker of the quote just before it in the same or the previous paragraph
  (a direct or named one rather than someone unnamed reported in between).
- **partial**: a quoted phrase inside a narrator sentence (``called it "the best thing"``); the
  speaker is the subject of the outermost reporting verb of its clause (``said she believes it is
  "a mistake"``: hers), unless a naming verb frames the phrase. Phrases of 1-3 words count only
  with a speech cue (otherwise they are titles or scare quotes).
- **indirect**: reported content without marks, in the broad sense of attribution corpora
  (PolNeAR: statements, beliefs, intentions, stances): a reporting verb (``REPORTING_VERBS``)
  with a clausal complement (``X said (that) …``, ``…, X said``), any verb with a "that"-clause,
  ``according to X`` / ``in X's statement``, stated intentions (``urged Israel to refrain``),
  stances with their object and its argument (``endorsed Donald Trump``, ``accused her of lying``,
  ``cited a study``, ``pointed to the cost``), a statement named by a noun (``her decision to …``,
  ``the claim that …``, ``his criticism of …``), and transcript lines (``Q: …``, ``Sanders: …``).
  The clause stops before a nested attribution, a new clause of the narrator's, or a trailing
  ``, who …`` clause or apposition about someone named in it.

Straight ``"`` and ``''`` open or close by position (``''`` is both marks in news archives).

Speakers are resolved to canonical entities through the mentions (overlap first, then surname);
pronouns and "the company"-style phrases go to the most recent fitting speaker or mention in
the narrator's text (never a name inside quotation marks), "he"/"she" skipping people known to
be of the other gender (from Mr./Mrs./Ms. or a pronoun already resolved to them); unnamed
sources are kept as written ("a source familiar with the negotiations", "the 46-year-old"). The
speaker of a passive cue is its agent ("was asked by the host"); of a colon intro, the subject of
its outermost reporting verb ("X imagined Y was thinking:"), a name after a dash ("… - Ann Lee
and Tom Ng:") or a verbless intro ("Former mayor Ann Lee:"); of a quote signed by a dash and a
name ("“…” ― Ann Lee."), that name; of "a video that said", whoever released it. A quote whose
speaker cannot be found at all has ``speaker == ""``.

The steps live in the modules of this package (``marks``, ``cues``, ``spans``, ``speakers``,
``attribution``); this module puts them together (``candidates``) and reads the classifier's
features of each candidate.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from typing import NamedTuple

from spacy.tokens import Doc, Token

from analysis.model import Mention, Quote
from analysis.quotes.attribution import (
    _according_to_outer,
    _attribute,
    _direct_units,
    _indirect,
    _reporting_outlet,
    _trailing_speaker,
)
from analysis.quotes.cues import _SUBJECT_DEPS, REPORTING_VERBS, _is_cue, _lemma, _negated
from analysis.quotes.marks import (
    _doc_text,
    _is_title,
    _joined,
    _Marked,
    _paragraph_bounds,
    _paragraph_of,
    _tokens_in,
    _Unit,
    _words,
)
from analysis.quotes.spans import _without_aside
from analysis.quotes.speakers import (
    _controller,
    _real_source,
    _Speakers,
    mentions_from_ents,
    source_kind,
)

__all__ = ["Candidate", "candidates", "extract_quotes"]


class Candidate(NamedTuple):
    """A quote the rules propose, with what the classifier reads of it."""

    quote: Quote
    features: dict[str, float]
    speaker: Token | None = None  # the head of the speaker phrase as found at the cue


def extract_quotes(
    doc: Doc,
    mentions: list[Mention] | None = None,
    *,
    paragraph_starts: list[int] | None = None,
) -> list[Quote]:
    """All quotes in ``doc`` in text order, with speakers resolved through ``mentions``, each
    scored by the candidate classifier (``Quote.confidence``) and given its speaker's role.

    ``mentions`` are the canonical entity mentions (``analysis.entities``); without them simple
    mentions are derived from ``doc.ents``. ``paragraph_starts`` are the paragraphs' offsets in
    ``doc.text`` (default: split on blank lines). Low-confidence and negated quotes are kept
    (``analysis.quotes.shown`` says which the dashboard shows by default).
    """
    from analysis.quotes.classifier import load_classifier
    from analysis.quotes.roles import assign_roles

    if mentions is None:
        mentions = mentions_from_ents(doc)
    found = candidates(doc, mentions, paragraph_starts=paragraph_starts)
    model = load_classifier()
    for cand in found:
        cand.quote.confidence = round(model.score(cand.features), 4)
    assign_roles(doc, [(c.quote, c.speaker) for c in found], mentions)
    return [c.quote for c in found]


def candidates(
    doc: Doc,
    mentions: list[Mention],
    *,
    paragraph_starts: list[int] | None = None,
) -> list[Candidate]:
    """Every quote the rules propose, in text order, with its classifier features."""
    text = _doc_text(doc)
    bounds = _paragraph_bounds(text, paragraph_starts)
    if not text.strip() or not bounds:
        return []
    sent_starts = [s.start_char for s in doc.sents]
    units, quoted = _direct_units(doc, bounds)
    speakers = _Speakers(doc, mentions, quoted)

    items: list[tuple[int, _Unit | tuple]] = [(u.parts[0].start, u) for u in units]
    for item in _indirect(doc, quoted):
        items.append((item[3], item))
    items.sort(key=lambda c: c[0])

    out: list[Candidate] = []
    cue_at: list[int] = []  # each candidate's cue offset (-1: none)
    last_said: Quote | None = None  # the latest quote with a speaker
    last_unit: _Unit | None = None  # the unit of out[-1], when it came from marks
    for _, item in items:
        if isinstance(item, _Unit):
            quote = _unit_quote(doc, item, bounds, quoted, speakers, last_said)
            if quote is None:
                continue
            if _same_clause(last_unit, item, [c.quote for c in out]):
                out[-1].quote.text += " … " + quote.text  # phrases quoted in one reported clause
                out[-1].quote.end = quote.end
                continue
            last_unit = item
            cue_tok, subj = item.cue, (item.speaker_tokens[0] if item.speaker_tokens else None)
        else:
            cue_tok, cue_text, subj, s, e, rule = item
            if subj is not None and subj.head.i != cue_tok.i:  # a subject borrowed from a verb above
                subj = _controller(cue_tok) or subj  # "The ruling prompted the board to write, asking …": the board
            subj = _real_source(cue_tok, subj, rule)
            if subj is False:
                continue  # the subject is an event, feeling, date or place acting: no source
            name, written, label = speakers.resolve(subj, cue_tok.idx)
            quote = Quote(
                text=_without_aside(doc, cue_tok, s, e), speaker=name, cue=cue_text, kind="indirect", start=s, end=e,
                paragraph=_paragraph_of(bounds, s), sentence=0,
                speaker_text=written, speaker_label=label, rule=rule, speaker_rule=speakers.rule,
                negated=_negated(cue_tok),
            )  # fmt: skip
            last_unit = None
        quote.sentence = max(0, bisect_right(sent_starts, quote.start) - 1)
        head = subj if isinstance(subj, Token) else None
        out.append(Candidate(quote, _features(doc, quote, cue_tok, subj, bounds, quoted), head))
        if isinstance(item, _Unit) and item.passed_on is not None:
            # the outlet that passed the quote on is its source; the classifier has read the
            # quote as its own cue and speaker frame it (its features are unchanged by this)
            quote.speaker, quote.speaker_text, quote.speaker_label = speakers.resolve(item.passed_on, item.passed_on.idx)
            quote.speaker_rule = "reported_by_outlet"
            out[-1] = out[-1]._replace(speaker=item.passed_on)  # its role too is the outlet's
        cue_at.append(cue_tok.idx if cue_tok is not None else -1)
        if quote.speaker and (quote.kind != "indirect" or quote.speaker_label or last_said is None
                              or last_said.kind == "indirect" and not last_said.speaker_label
                              or last_said.paragraph < quote.paragraph - 1):
            last_said = quote
    _add_nesting(out, cue_at)
    return out


def _add_nesting(found: list[Candidate], cue_at: list[int]) -> None:
    """Mark reports inside reports for the classifier: a candidate whose cue lies inside another's
    content ("Lee said she believes the plan works": "believes" is inside what Lee said) reads
    ``nested`` and the outer rule; one whose content holds another's cue reads ``nests``. Attribution
    corpora often annotate only one level, and which one depends on the cue."""
    spans = [(c.quote.start, c.quote.end) for c in found]
    for i, cand in enumerate(found):
        if cand.quote.kind != "indirect" or cue_at[i] < 0:
            continue
        outer = [j for j, (s, e) in enumerate(spans) if j != i and s <= cue_at[i] < e]
        if outer:
            j = min(outer, key=lambda j: spans[j][1] - spans[j][0])  # the nearest enclosing report
            cand.features["nested"] = 1.0
            cand.features[f"nested_in={found[j].quote.kind}|{found[j].quote.rule}"] = 1.0
            cand.features[f"nested_rule={cand.quote.rule}"] = 1.0
            cue = next((k for k in cand.features if k.startswith("cue=")), "cue=")
            cand.features[f"nested_{cue}"] = 1.0  # "said he believes": which inner cues stand alone
        start, end = spans[i]
        if any(j != i and start <= at < end for j, at in enumerate(cue_at)):
            cand.features["nests"] = 1.0
            cand.features[f"nests_rule={cand.quote.rule}"] = 1.0


def _same_clause(last: _Unit | None, unit: _Unit, quotes: list[Quote]) -> bool:
    """Two partial quotes governed by the same verb ("a “loser” and a “liar”") form one."""
    return (
        last is not None
        and last.kind == unit.kind == "partial"
        and last.cue is not None
        and unit.cue is not None
        and last.cue.i == unit.cue.i
        and quotes[-1].kind == "partial"
    )


def _unit_quote(
    doc: Doc,
    unit: _Unit,
    bounds: list[tuple[int, int]],
    quoted: list[_Marked],
    speakers: _Speakers,
    last_said: Quote | None,
) -> Quote | None:
    """The Quote for a unit of quotation marks, or None for titles and scare quotes."""
    text = _doc_text(doc)
    first = unit.parts[0]
    n_words = sum(_words(text[m.start : m.end]) for m in unit.parts)
    if n_words == 0:
        return None
    _attribute(doc, unit, bounds, quoted)
    if unit.kind == "direct" and n_words < 4 and unit.cue is None:
        unit.kind = "partial"
    if unit.kind == "partial":
        # a short phrase counts only as the words of the reporting verb's subject ("called it
        # "a disaster""); otherwise it is a title or a scare quote
        if unit.cue is None or (n_words <= 3 and not unit.governed) or _is_title(doc, first):
            return None
    elif _is_title(doc, first) and (unit.cue is None or unit.cue_text == ":"):
        return None  # a title, or a headline naming who said it ("Lee: “Title Case Words”")
    paragraph = _paragraph_of(bounds, first.start)
    subj = unit.speaker_tokens[0] if unit.speaker_tokens else None
    if subj is not None and unit.cue is not None:
        real = _real_source(unit.cue, subj, unit.rule)
        framed = subj if real is False and (unit.kind == "direct" or _is_cue(unit.cue)) else None
        subj = None if real is False else real
        unit.speaker_tokens = [subj] if subj is not None else []  # what the classifier reads
        # 'the piece goes on to slam "…"', '"…," the suit reads': what a cue frames in marks is
        # its subject's, even one our lists do not name a source
        subj = framed or subj
    at = unit.cue.idx if unit.cue is not None else first.start
    outer = _according_to_outer(doc, unit, bounds, quoted)
    if outer is not None:  # "…," Lee said, according to the Times: the Times reports it
        subj, at = outer, outer.idx
        unit.speaker_tokens = [outer]  # its role too is the outlet's
    else:
        unit.passed_on = _reporting_outlet(doc, unit, bounds, quoted)
    trailing = _trailing_speaker(doc, unit, bounds, quoted) if unit.cue is None and subj is None else None
    name, written, label = speakers.resolve(trailing or subj, at)
    speaker_rule = "according_to_outer" if outer is not None and name else speakers.rule
    if trailing is not None and name:
        speaker_rule = "trailing_clause"  # '"…," the email read': no cue, but who spoke
    cue = unit.cue_text
    if unit.weak_speaker and not label and not (isinstance(subj, Token) and source_kind(subj) in _VOICES):
        name, written = "", ""  # "a database has it all"; the quoted words are someone else's
        speaker_rule = "none"
    if not name and last_said is not None:
        # an unattributed quote right after an attributed one: the same speaker goes on
        if last_said.paragraph >= paragraph - 1:
            name, written, label = last_said.speaker, last_said.speaker_text, last_said.speaker_label
            speaker_rule = "previous_quote"
    speakers.note(name, label, first.start)
    return Quote(
        text=_joined(text, unit.parts),
        speaker=name, cue=cue, kind=unit.kind,  # type: ignore[arg-type]
        start=first.start, end=unit.parts[-1].end, paragraph=paragraph, sentence=0,
        speaker_text=written, speaker_label=label, rule=unit.rule, speaker_rule=speaker_rule,
        negated=unit.cue is not None and unit.cue_text not in (":",) and _negated(unit.cue),
    )  # fmt: skip


def _features(
    doc: Doc,
    quote: Quote,
    cue: Token | None,
    subj: Token | None | bool,
    bounds: list[tuple[int, int]],
    quoted: list[_Marked],
) -> dict[str, float]:
    """What the candidate classifier reads of one candidate: its rule and cue, its speaker's
    kind and head noun, negation, content length and shape, quotation marks and position."""
    f: dict[str, float] = {"bias": 1.0, f"kind={quote.kind}": 1.0, f"rule={quote.rule}": 1.0}
    f[f"speaker_rule={quote.speaker_rule}"] = 1.0
    lemma = _lemma(cue) if cue is not None else ""
    f[f"cue={lemma}"] = 1.0
    f[f"rule_cue={quote.rule}|{lemma}"] = 1.0
    f[f"reporting={lemma in REPORTING_VERBS}"] = 1.0
    if cue is not None:
        f[f"cue_tag={cue.tag_}"] = 1.0
        f[f"cue_dep={cue.dep_}"] = 1.0
        if any(c.dep_ == "aux" and c.lower_ in ("would", "could", "might", "may", "should", "will") for c in cue.children):
            f["modal"] = 1.0
        if cue.sent.text.rstrip().endswith("?"):
            f["question"] = 1.0
    kind = source_kind(subj) if isinstance(subj, Token) else "none"
    f[f"speaker_kind={kind}"] = 1.0
    f[f"rule_speaker={quote.rule}|{kind}"] = 1.0
    f[f"speaker_label={quote.speaker_label or '-'}"] = 1.0
    if isinstance(subj, Token) and subj.pos_ == "NOUN":
        f[f"head={subj.lemma_.lower()}"] = 1.0
    if isinstance(subj, Token) and cue is not None:
        f["speaker_after_cue"] = float(subj.i > cue.i)
    f["negated"] = float(quote.negated)
    n = _words(quote.text)
    f["log_words"] = math.log1p(n)
    f[f"words<={_bucket(n)}"] = 1.0
    text = _doc_text(doc)
    f["marks_inside"] = float(any(quote.start <= m.start < quote.end for m in quoted)) if quote.kind == "indirect" else 0.0
    f["ends_sentence"] = float(text[quote.end : quote.end + 1] in (".", "!", "?", "”", '"'))
    content = _tokens_in(doc, quote.start, quote.end)
    if content:
        f[f"first_pos={content[0].pos_}"] = 1.0
        f["has_verb"] = float(any(t.pos_ in ("VERB", "AUX") for t in content))
        f["has_subject"] = float(any(t.dep_ in _SUBJECT_DEPS for t in content))
        f["name_content"] = float(len(content) <= 4 and any(t.pos_ == "PROPN" for t in content))
    f[f"paragraph<={_bucket(quote.paragraph)}"] = 1.0
    f["first_paragraph"] = float(quote.paragraph == 0)
    if content and quote.kind == "indirect":
        sent = content[0].sent
        words = sum(1 for t in sent if not (t.is_punct or t.is_space))
        f[f"sentence_share<={round(min(1.0, n / max(1, words)), 1)}"] = 1.0  # the whole sentence, or a phrase of it
        if content[0].lower_ in _OPENING_WORDS:
            f[f"opens={content[0].lower_}"] = 1.0
    if isinstance(subj, Token) and source_kind(subj) == "pronoun":
        f[f"pronoun={subj.lower_}"] = 1.0
    for name in [k for k in f if k.startswith(("words<=", "first_pos=", "sentence_share", "opens="))]:
        f[f"{quote.rule}|{name}"] = 1.0  # what a short object or a whole sentence means depends on the rule
    for name in ("has_subject", "ends_sentence", "speaker_after_cue"):
        if f.get(name):
            f[f"{quote.rule}|{name}"] = 1.0
    return f


_VOICES = frozenset({"person", "group", "document"})
"""Source kinds that speak whatever their verb ("a friend referred to him as “…”", "the petition
accuses them of “…”"), unlike a thing or an unknown name ("a database has it all")."""

_OPENING_WORDS = frozenset("that if whether to what how why who which when where".split())


def _bucket(n: int) -> int:
    """0, 1, 2, 3, 5, 8, 13, 21, 34, 55 …: the smallest step ≥ ``n``."""
    for step in (0, 1, 2, 3, 5, 8, 13, 21, 34, 55):
        if n <= step:
            return step
    return 89
