"""The attribution rules: how a quote finds its cue and speaker.

Every rule is a named function with a made-up example in its docstring, tried in one order:

- reported speech (kind ``indirect``): ``RULES`` (source phrases, transcript lines, stance
  adjectives, statement nouns, then the verb rules of ``VERB_RULES``), on each token outside
  quotation marks; the first that finds a report names the quote's ``rule``: ``_indirect``;
- quotes in marks, once their units are found (split quotes joined, continuations merged:
  ``_direct_units``): ``PARTIAL_RULES`` for a phrase inside a sentence, ``DIRECT_RULES`` for a
  whole quotation (a credit line, the words between the parts, a name before a colon, a cue just
  before or after, a naming phrase, a colon intro, the sentence before); the first that finds a
  speaker returns the rule it applied: ``_attribute``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import wraps
from typing import NamedTuple

from spacy.tokens import Doc, Token

from analysis.model import PARAGRAPH_SEP
from analysis.quotes.cues import (
    _ARGUMENT_PREPOSITIONS,
    _HEADLINE_LABELS,
    _INFINITIVE_VERBS,
    _LIGHT_NOUNS,
    _NAMING_VERBS,
    _NOUN_PREPOSITIONS,
    _OBJECT_CONTENT_VERBS,
    _SOURCE_NOUNS,
    _STANCE_ADJECTIVES,
    _STANCE_PREPOSITIONS,
    _STATEMENT_NOUNS,
    _SUBJECT_DEPS,
    REPORTING_VERBS,
    _according_to,
    _cue_text,
    _governing_cue,
    _has_clause,
    _is_cue,
    _lemma,
    _passive_content,
)
from analysis.quotes.marks import (
    _SENTENCE_END,
    _doc_text,
    _inside,
    _Marked,
    _marked_spans,
    _paragraph_of,
    _starts_sentence,
    _tokens_in,
    _Unit,
    _window_after,
    _window_before,
    _words,
)
from analysis.quotes.spans import (
    _before_quoted_part,
    _clause_span,
    _framed_content,
    _is_name,
    _side_of,
    _that_clause,
)
from analysis.quotes.speakers import _can_speak, _subject_of

__all__ = [
    "RULES", "VERB_RULES", "PARTIAL_RULES", "DIRECT_RULES", "Report", "according_to", "in_source", "transcript_line", "stance_adjective",
    "statement_noun", "noun_preposition", "that_clause", "reporting_clause", "parenthetical", "intention",
    "stance_object", "stance_preposition", "passive_subject", "light_verb",
]  # fmt: skip


def _find_attribution(
    tokens: list[Token], quoted: list[_Marked], *, prefer_last: bool, outermost: bool = False
) -> tuple[Token | None, str, Token | None]:
    """(cue token, cue text, speaker token) in a window of narrator tokens next to a quote."""
    cands = [t for t in tokens if not _inside(t, quoted)]
    if prefer_last:
        cands = cands[::-1]
    for tok in cands:
        source = _according_to(tok)
        if source is not None:
            return tok, "according to", source
        if _is_cue(tok):
            if outermost:  # "X imagined Y was thinking:": X's
                ids = {t.i for t in cands}
                node = tok
                for _ in range(8):
                    if node.head.i == node.i or node.head.i not in ids or _own_relative_clause(node):
                        break  # "…, to which Lee replied:" is Lee's turn
                    node = node.head
                    if _is_cue(node) and _subject_of(node, quoted) is not None:
                        tok = node
            elif prefer_last:  # "Lee told the paper that she believes "…"": Lee reports it
                ids = {t.i for t in cands}
                while (
                    tok.dep_ == "ccomp" and tok.head.i in ids and _is_cue(tok.head)
                    and _subject_of(tok.head, quoted) is not None
                ):
                    tok = tok.head
            subj = _subject_of(tok, quoted)
            if subj is None and not prefer_last:
                subj = _name_before(cands, tok)
            elif subj is None:  # "In a statement, her adviser, Ann Lee, said:" parsed without one
                before = [t for t in cands if tok.i - 4 <= t.i < tok.i and not t.is_punct]
                if before and before[0].i == max(t.i for t in before) and before[0].pos_ == "PROPN":
                    subj = before[0] if _can_speak(before[0]) else None
            return tok, _cue_text(tok), subj
    return None, "", None


def _own_relative_clause(verb: Token) -> bool:
    """A relative or adverbial clause with a subject of its own ("to which Lee replied", "as Lee
    put it"), not "who said" (a complement clause is the outer verb's content: "X thought Lee …")."""
    return verb.dep_ in ("relcl", "advcl") and any(c.dep_ in _SUBJECT_DEPS and c.tag_ not in ("WP", "WDT") for c in verb.children)


def _name_before(cands: list[Token], cue: Token) -> Token | None:
    """The first name between a quote and its cue when the parser found no subject
    ('"…," Ann Ruiz, 58, a former mayor, told the paper'): the speaker."""
    for t in cands:
        if t.i >= cue.i:
            break
        if t.pos_ == "PROPN" and _can_speak(t):
            return t
    return None


def _direct_units(doc: Doc, bounds: list[tuple[int, int]]) -> tuple[list[_Unit], list[_Marked]]:
    """Quote units from the quotation marks, split quotes joined, continuations merged."""
    text = _doc_text(doc)
    marked = _marked_spans(text, bounds)
    all_marked = [m for ms in marked for m in ms]
    units: list[_Unit] = []
    prev_open: _Unit | None = None  # a quote left open at the end of the previous paragraph
    prev_said: _Unit | None = None  # a direct quote attributed in the previous paragraph, ending it
    for (p_start, p_end), ms in zip(bounds, marked, strict=True):
        if prev_said is not None and prev_open is None and _goes_on(doc, ms, p_start, p_end):
            prev_said.parts.append(ms[0])  # a paragraph of nothing but a quote: the speaker goes on
            continue
        prev_said = None
        i = 0
        while i < len(ms):
            m = ms[i]
            if prev_open is not None and m.opens_paragraph:
                prev_open.parts.append(m)
                prev_open = prev_open if not m.closed else None
                i += 1
                continue
            prev_open = None
            unit = _Unit([m])
            if not _starts_sentence(text, m, p_start):
                unit.kind = "partial"
            while i + 1 < len(ms) and unit.kind == "direct" and _continues(doc, unit, ms, i + 1, p_start, p_end):
                unit.parts.append(ms[i + 1])
                i += 1
            units.append(unit)
            if not unit.parts[-1].closed and unit.parts[-1].end >= p_end - 1:
                prev_open = unit
            i += 1
        last = units[-1] if units and ms else None
        if last is not None and last.kind == "direct" and last.parts[-1].closed and last.parts[-1] is ms[-1]:
            narrator = _tokens_in(doc, p_start, p_end)
            if any(_is_cue(t) for t in narrator if not _inside(t, ms)):
                prev_said = last
    return units, all_marked


def _goes_on(doc: Doc, ms: list[_Marked], p_start: int, p_end: int) -> bool:
    """The paragraph is one closed quote and nothing else: the previous speaker goes on."""
    if len(ms) != 1 or not ms[0].opens_paragraph or not ms[0].closed:
        return False
    return not _doc_text(doc)[ms[0].close_mark : p_end].strip(" .,;:!?—–-\"”’'")


def _continues(doc: Doc, unit: _Unit, ms: list[_Marked], j: int, p_start: int, p_end: int) -> bool:
    """Whether quote ``ms[j]`` continues ``unit`` across an attribution between them.

    ``"A," she said, "B."`` (a split sentence) and ``"A," she said. "B."`` (the same speaker
    goes on, the quote after the attribution having none of its own) are one quote.
    """
    text = _doc_text(doc)
    prev, nxt = unit.parts[-1], ms[j]
    between = text[prev.close_mark : nxt.open_mark].strip()
    if not between or _words(between) > 40:
        return False
    if _words(between) > 20 and len(_SENTENCE_END.findall(between)) > 1:
        return False  # a long attribution counts only as one sentence (the speaker's description)
    cues = [t for t in _tokens_in(doc, prev.close_mark, nxt.open_mark) if _is_cue(t) or t.lower_ == "according"]
    if not cues:
        return False
    ends = [e for e in _SENTENCE_END.finditer(text, prev.close_mark, nxt.open_mark) if text[e.end() : nxt.open_mark].strip()]
    if ends and any(t.idx >= ends[0].end() for t in cues):
        return False  # '"A," Lee said. Ruiz replied, "B."': a new sentence attributes the next quote
    split_sentence = text[prev.end : prev.close_mark].strip(" \"“”'`")[:1] in (",", "")
    if split_sentence and between.endswith((",", ":")) and (_words(between) <= 15 or len(cues) == 1):
        return True  # "A," said X, a long description of X, "B."
    if not between.endswith((".", "!", "?")) or not _starts_sentence(text, nxt, p_start):
        return False
    lo, hi = _window_before(text, unit.parts[0], p_start, ms)
    if any(_is_cue(t) for t in _tokens_in(doc, lo, hi)):
        return False  # attributed before its first part: the next quote is someone else's turn
    after_hi = ms[j + 1].open_mark if j + 1 < len(ms) else p_end  # within the paragraph
    after = text[nxt.close_mark : max(nxt.close_mark, after_hi)].split(PARAGRAPH_SEP)[0]
    end = _SENTENCE_END.search(after)
    after_toks = _tokens_in(doc, nxt.close_mark, nxt.close_mark + (end.end() if end else len(after)))
    return not any(_is_cue(t) for t in after_toks)


class _Where(NamedTuple):
    """Where a unit of quotes in marks sits: the text, the paragraphs, every quoted stretch, and
    the paragraph bounds of its first and last part."""

    text: str
    bounds: list[tuple[int, int]]
    quoted: list[_Marked]
    p: int  # the first part's paragraph
    p_start: int
    last_end: int  # where the last part's paragraph ends


MarkedRule = Callable[[Doc, _Unit, _Where], "str | None"]


def _credit(unit: _Unit, tok: Token, cue_text: str, subj: Token | None) -> None:
    unit.cue, unit.cue_text, unit.speaker_tokens = tok, cue_text, [subj] if subj is not None else []


def partial_governed(doc: Doc, unit: _Unit, at: _Where) -> str | None:
    """A quoted phrase inside the clause of a speech cue is the cue's subject's: 'Lee called the
    plan “a disaster”' → Lee ("partial_governed")."""
    _, cue, outer = _governing_cue(doc, unit.parts[0])
    if cue is None:
        return None
    unit.governed = True
    _credit(unit, cue, _cue_text(outer or cue), _subject_of(outer or cue))
    return "partial_governed"


def partial_sentence_cue(doc: Doc, unit: _Unit, at: _Where) -> str | None:
    """A quoted phrase with a cue elsewhere in its sentence: 'The plan, Lee said, was “a waste
    from the start”' → Lee ("partial_sentence_cue")."""
    first, last = unit.parts[0], unit.parts[-1]
    lo, _ = _window_before(at.text, first, at.p_start, at.quoted)
    _, hi = _window_after(at.text, last, at.last_end, at.quoted)
    tok, cue_text, subj = _find_attribution(_tokens_in(doc, lo, hi), at.quoted, prefer_last=False)
    if tok is None:
        return None
    _credit(unit, tok, cue_text, subj)
    return "partial_sentence_cue"


def partial_verb(doc: Doc, unit: _Unit, at: _Where) -> str | None:
    """A quoted phrase read off a verb that is not about speech: 'Lee's plan ran into “a wall
    of objections”' → Lee's plan, a weak speaker the extractor may replace ("partial_verb")."""
    unit.weak_speaker = True
    verb, _, outer = _governing_cue(doc, unit.parts[0])
    if verb is None:
        return None
    _credit(unit, verb, _cue_text(outer or verb), _subject_of(outer or verb))
    return "partial_verb"


def credit_line(doc: Doc, unit: _Unit, at: _Where) -> str | None:
    """A quote signed by a dash and a name: '“Every vote counts.” ― Ann Lee.' → Ann Lee
    ("credit_line")."""
    credit = _credit_line(doc, unit, at.bounds)
    if credit is None:
        return None
    name, dash = credit
    _credit(unit, name, dash, name)
    return "credit_line"


def split_quote(doc: Doc, unit: _Unit, at: _Where) -> str | None:
    """A quote split around its attribution: '“The water is safe,” Lee said, “and the pipes
    will be replaced.”' → Lee ("split_quote")."""
    if len(unit.parts) < 2:
        return None
    between = _tokens_in(doc, unit.parts[0].close_mark, unit.parts[1].open_mark)
    tok, cue_text, subj = _find_attribution(between, at.quoted, prefer_last=False)
    if tok is None:
        return None
    _credit(unit, tok, cue_text, subj)
    return "split_quote"


def colon_name(doc: Doc, unit: _Unit, at: _Where) -> str | None:
    """A name ending the intro before a colon: '… - Ann Lee and Tom Ng: “…”' or 'Former mayor
    Ann Lee: “…”' → Ann Lee ("colon_name")."""
    lo, hi = _window_before(at.text, unit.parts[0], at.p_start, at.quoted)
    if not at.text[lo:hi].rstrip().endswith(":"):
        return None
    toks = [t for t in _tokens_in(doc, lo, hi) if not _inside(t, at.quoted)]
    return "colon_name" if _colon_source(unit, toks) else None


def cue_nearby(doc: Doc, unit: _Unit, at: _Where) -> str | None:
    """A speech cue in the narrator's words right before or after the quote: 'Lee said: “…”' →
    Lee ("cue_before"), '“…,” Lee said.' → Lee ("cue_after"); a quote opening its paragraph looks
    after itself first."""
    first, last = unit.parts[0], unit.parts[-1]
    windows = [(*_window_before(at.text, first, at.p_start, at.quoted), True)]
    windows.append((*_window_after(at.text, last, at.last_end, at.quoted), False))
    if _starts_sentence(at.text, first, at.p_start) and at.text[at.p_start : first.start].strip(" \"“`") == "":
        windows.reverse()  # a quote opening its paragraph is attributed after it
    for lo, hi, before in windows:
        if hi <= lo:
            continue
        colon = before and at.text[lo:hi].rstrip().endswith(":")
        tok, cue_text, subj = _find_attribution(_tokens_in(doc, lo, hi), at.quoted, prefer_last=before, outermost=colon)
        if tok is not None:
            _credit(unit, tok, cue_text, subj)
            return "cue_before" if before else "cue_after"
    return None


def phrase_before(doc: Doc, unit: _Unit, at: _Where) -> str | None:
    """A phrase before the quote naming whose words follow, without a speech verb: 'As Lee put
    it, “…”', 'In Lee's words, “…”', 'From the report: “…”' → Lee, the report ("cue_before")."""
    lo, hi = _window_before(at.text, unit.parts[0], at.p_start, at.quoted)
    found = _source_phrase([t for t in _tokens_in(doc, lo, hi) if not _inside(t, at.quoted)], at.quoted)
    if found is None:
        return None
    tok, cue_text, subj = found
    _credit(unit, tok, cue_text, subj)
    return "cue_before"


def colon_intro(doc: Doc, unit: _Unit, at: _Where) -> str | None:
    """A colon after any verb, in this paragraph or ending the previous one: 'Sanders delivered
    a retort: “…”' → Sanders ("colon_intro"); 'Pollsters agree - Ann Lee:' ¶ '“…”' → Ann Lee
    ("colon_name")."""
    first = unit.parts[0]
    lo, hi = _window_before(at.text, first, at.p_start, at.quoted)
    intro = at.text[lo:hi].rstrip()
    if not intro and first.opens_paragraph and at.p > 0:
        prev_start, prev_end = at.bounds[at.p - 1]
        ends = list(_SENTENCE_END.finditer(at.text, prev_start, max(prev_start, prev_end - 1)))
        lo, hi = (ends[-1].end() if ends else prev_start), prev_end
        intro = at.text[lo:hi].rstrip()
    if not intro.endswith(":"):
        return None
    toks = [t for t in _tokens_in(doc, lo, hi) if not _inside(t, at.quoted)]
    if _colon_source(unit, toks):
        return "colon_name"
    verbs = [t for t in toks if t.pos_ in ("VERB", "AUX") and _subject_of(t) is not None]
    verbs = [t for t in verbs if _is_cue(t)] or verbs  # "As X reported after …:": reported
    if not verbs:
        return None
    verb = min(verbs[::-1], key=lambda t: sum(1 for _ in t.ancestors))  # the main clause's verb
    _credit(unit, verb, _cue_text(verb), _subject_of(verb))
    return "colon_intro"


def sentence_before(doc: Doc, unit: _Unit, at: _Where) -> str | None:
    """A quote opening its sentence right after one that says who speaks: 'Bystrom agreed.
    “…”' → Bystrom ("sentence_before")."""
    first = unit.parts[0]
    ends = list(_SENTENCE_END.finditer(at.text, at.p_start, max(at.p_start, first.open_mark - 1)))
    if not ends or at.text[ends[-1].end() : first.open_mark].strip() != "":
        return None
    prev_lo = ends[-2].end() if len(ends) > 1 else at.p_start
    prev = [t for t in _tokens_in(doc, prev_lo, ends[-1].end()) if not _inside(t, at.quoted)]
    cues = [t for t in prev if _is_cue(t) and _subject_of(t) is not None and not _has_clause(t)]
    if not cues or len(prev) > 25:
        return None
    _credit(unit, cues[-1], _cue_text(cues[-1]), _subject_of(cues[-1]))
    return "sentence_before"


PARTIAL_RULES: tuple[MarkedRule, ...] = (partial_governed, partial_sentence_cue, partial_verb)
"""How a quoted phrase inside a sentence finds its speaker, in this order."""
DIRECT_RULES: tuple[MarkedRule, ...] = (
    credit_line, split_quote, colon_name, cue_nearby, phrase_before, colon_intro, sentence_before,
)
"""How a whole quotation finds its cue and speaker, in this order; none: "unattributed"."""


def _attribute(doc: Doc, unit: _Unit, bounds: list[tuple[int, int]], quoted: list[_Marked]) -> None:
    """Find the cue and speaker of a direct or partial quote unit: the first rule of its kind that
    finds one names the unit's ``rule``."""
    p = _paragraph_of(bounds, unit.parts[0].start)
    at = _Where(_doc_text(doc), bounds, quoted, p, bounds[p][0], bounds[_paragraph_of(bounds, unit.parts[-1].start)][1])
    for rule in PARTIAL_RULES if unit.kind == "partial" else DIRECT_RULES:
        name = rule(doc, unit, at)
        if name is not None:
            unit.rule = name
            return


def _source_phrase(toks: list[Token], quoted: list[_Marked]) -> tuple[Token, str, Token] | None:
    """(cue, cue text, source) of a phrase before a quote that names whose words follow without a
    speech verb: "as Lee put it," "in Lee's words," or a colon intro "From the report:"."""
    for tok in toks:
        if _lemma(tok) == "put" and any(c.lower_ == "as" and c.dep_ == "mark" for c in tok.children) and any(
            c.lower_ == "it" and c.dep_ == "dobj" for c in tok.children
        ):
            subj = _subject_of(tok, quoted)
            if subj is not None and subj.pos_ in ("NOUN", "PROPN"):
                return tok, _cue_text(tok), subj
        if tok.lower_ == "words" and tok.dep_ == "pobj" and tok.head.lower_ == "in":
            owner = [c for c in tok.children if c.dep_ == "poss" and c.pos_ in ("NOUN", "PROPN")]
            if owner:
                return tok.head, tok.doc[tok.head.i : tok.i + 1].text, owner[0]
    words = [t for t in toks if not t.is_space]
    if len(words) > 2 and words[0].lower_ == "from" and words[-1].text == ":":
        source = [c for c in words[0].children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")]
        if source:
            return words[0], "from", source[0]
    return None


_CREDIT = re.compile(
    r"\s*(―|—|–|--|-)\s*((?:[A-Z][\w.’'-]*\s+){0,4}[A-Z][\w’'-]*)\.?\s*(?:,[^\n]*)?$"
)  # "― Ann Lee.", "-President Ruiz, speaking in Ohio."


def _credit_line(doc: Doc, unit: _Unit, bounds: list[tuple[int, int]]) -> tuple[Token, str] | None:
    """The name signing a quote on a dash after it, in its paragraph or, for a paragraph that is
    the quote alone, the next one ("“…” ― Ann Lee." / "- Ann Lee, Ohio."): how collected
    reactions and fact checks credit their quotes, with no verb at all: (the name's last token,
    the dash). A quote introduced in its own paragraph ("Lee said: “…”") keeps that speaker even
    before a closing "— Reuters"."""
    first, last = unit.parts[0], unit.parts[-1]
    if not last.closed:
        return None
    text = _doc_text(doc)
    p = _paragraph_of(bounds, last.start)
    lo, hi = last.close_mark, bounds[p][1]
    if not text[lo:hi].strip(" .,\xa0") and first.opens_paragraph and p + 1 < len(bounds):
        lo, hi = bounds[p + 1]
    found = _CREDIT.match(text[lo:hi])
    if found is None:
        return None
    name = _tokens_in(doc, lo + found.start(2), lo + found.end(2))
    return (name[-1], found.group(1)) if name and name[-1].pos_ == "PROPN" else None


def _colon_source(unit: _Unit, toks: list[Token]) -> bool:
    """Attribute ``unit`` to the name ending its colon intro ``toks``, if there is one."""
    name = _name_before_colon(toks)
    if name is not None:
        unit.cue, unit.cue_text, unit.speaker_tokens, unit.rule = name, ":", [name], "colon_name"
    return name is not None


def _name_before_colon(toks: list[Token]) -> Token | None:
    """The name that ends a colon intro after a dash or "from" ("… - Ann Lee:", "More
    from Jones:"), or one with no verb at all ("Former mayor Ann Lee:"): the quote's source, as
    live blogs and transcripts cite it."""
    while toks and (toks[-1].text == ":" or toks[-1].is_space):
        toks = toks[:-1]
    name: list[Token] = []
    while toks and len(name) < 8 and (
        toks[-1].pos_ in ("PROPN", "NOUN") and toks[-1].text[:1].isupper()
        or toks[-1].pos_ == "PROPN"
        or (toks[-1].lower_ in ("and", "&") and name)
    ):
        name.insert(0, toks.pop())
    while name and not name[0].text[:1].isupper():  # "Ann Lee and Tom Ng", never "and Tom Ng"
        toks.append(name.pop(0))
    if not name:
        return None
    # a sentence of its own with no verb ("Former mayor Ann Lee:"), not a narrator clause's tail
    verbless = (toks or name)[0].is_sent_start and not any(t.pos_ in ("VERB", "AUX") for t in toks)
    if not (verbless or toks and toks[-1].lower_ in ("-", "—", "–", "--", "from")):
        return None
    return name[-1]


class Report(NamedTuple):
    """What a rule of reported speech finds at a token: the cue as written, the content's
    character span, and the head of the speaker phrase (None: nobody named)."""

    cue: str
    start: int
    end: int
    speaker: Token | None


Rule = Callable[[Doc, Token, "list[_Marked]"], "Report | None"]
Content = tuple[str, int, int]  # (cue as written, start, end) of what a verb reports


def _overlaps(quoted: list[_Marked], start: int, end: int) -> bool:
    return any(m.start < end and start < m.end for m in quoted)


def _verb_rule(find: Callable[[Doc, Token], Content | None]) -> Rule:
    """A rule of a verb: ``find`` reads what the verb reports; the speaker is its subject."""

    @wraps(find)
    def rule(doc: Doc, verb: Token, quoted: list[_Marked]) -> Report | None:
        found = find(doc, verb) if verb.pos_ == "VERB" else None
        return Report(*found, _subject_of(verb)) if found is not None else None

    return rule


@_verb_rule
def that_clause(doc: Doc, verb: Token) -> Content | None:
    """Any verb with a "that"/"whether" clause reports its content: "The mayor ensured that the
    vote was fair" → "the vote was fair"."""
    comps = [c for c in verb.children if c.dep_ == "ccomp"]
    if not comps or _lemma(verb) in REPORTING_VERBS or not _that_clause(comps[0]):
        return None
    span = _clause_span(doc, comps[0])
    return (_cue_text(verb), *span) if span is not None else None


@_verb_rule
def reporting_clause(doc: Doc, verb: Token) -> Content | None:
    """A reporting verb with its clause: "Lee said the budget is balanced" → "the budget is
    balanced"."""
    comps = [c for c in verb.children if c.dep_ == "ccomp"]
    if not comps or _lemma(verb) not in REPORTING_VERBS or _lemma(verb) in _NAMING_VERBS:
        return None
    span = _clause_span(doc, comps[0])
    return (_cue_text(verb), *span) if span is not None else None


@_verb_rule
def parenthetical(doc: Doc, verb: Token) -> Content | None:
    """A reporting verb set inside or after the clause it reports: "The plan, she said, works."
    → "The plan works"."""
    lemma = _lemma(verb)
    if lemma not in REPORTING_VERBS or lemma in _NAMING_VERBS or any(c.dep_ == "ccomp" for c in verb.children):
        return None
    if verb.dep_ not in ("ccomp", "parataxis") or verb.head.pos_ not in ("VERB", "AUX"):
        return None
    span = _clause_span(doc, verb.head, exclude=verb)
    return (_cue_text(verb), *span) if span is not None else None


@_verb_rule
def intention(doc: Doc, verb: Token) -> Content | None:
    """A stated intention or request with its infinitive: "The envoy urged Israel to refrain from
    an assault" → "Israel to refrain from an assault"."""
    if _lemma(verb) not in _INFINITIVE_VERBS:
        return None
    xcomps = [c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i]
    if not xcomps:
        return None
    objects = [c for c in verb.children if c.dep_ in ("dobj", "dative") and c.i < xcomps[0].i]
    span = _clause_span(doc, xcomps[0], min_tokens=2)
    if span is None:
        return None
    if objects:  # "urged Israel to refrain": Israel belongs to it
        span = (objects[0].left_edge.idx, span[1])
    return (_cue_text(verb), *span)


@_verb_rule
def stance_object(doc: Doc, verb: Token) -> Content | None:
    """A stance or statement whose content is the object, with its argument: "The union endorsed
    Ann Lee", "She accused the mayor of lying" → "the mayor of lying"."""
    if _lemma(verb) not in _OBJECT_CONTENT_VERBS:
        return None
    children = list(verb.children)
    objects = [c for c in children if c.dep_ == "dobj"]
    if not objects:
        return None
    predicates = [  # "described it as absurd", "accused her of lying"
        c for c in children
        if (c.dep_ in ("oprd", "ccomp") or (c.dep_ == "prep" and c.lower_ in _ARGUMENT_PREPOSITIONS))
        and c.i > objects[0].i
    ]  # fmt: skip
    short = _is_name(objects[0]) or bool(predicates)  # one word: a name ("endorsed Cruz") or with its argument
    span = _clause_span(doc, objects[0], min_tokens=1 if short else 2)
    if span is None:
        return None
    if predicates:
        tail = _clause_span(doc, predicates[-1], min_tokens=1)
        if tail is not None:
            span = (span[0], max(span[1], tail[1]))
    return (_cue_text(verb), *span)


@_verb_rule
def stance_preposition(doc: Doc, verb: Token) -> Content | None:
    """A stance whose content follows its preposition: "Lee called for a ban on the device" →
    "a ban on the device" (cue "called for")."""
    preps = _STANCE_PREPOSITIONS.get(_lemma(verb), ())
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            objects = [o for o in c.children if o.dep_ in ("pobj", "pcomp")]
            if objects:
                span = _clause_span(doc, objects[0], min_tokens=1 if _is_name(objects[0]) else 2)
                if span is not None:
                    return f"{_cue_text(verb)} {c.text}", *span
    return None


@_verb_rule
def passive_subject(doc: Doc, verb: Token) -> Content | None:
    """A passive report or judgement whose subject is its content, with its infinitive or "as"
    phrase: "The plan is widely expected to fail" → "The plan is widely expected to fail"; "Lee
    was seen as the favourite by the party" (the speaker is the agent, if any)."""
    subj = _passive_content(verb)
    if subj is None:
        return None
    parts = [subj] + [
        c for c in verb.children
        if c.i > verb.i and (c.dep_ in ("xcomp", "oprd") or (c.dep_ == "prep" and c.lower_ == "as"))
    ]  # fmt: skip
    if len(parts) == 1 and not (_is_name(subj) or len(list(subj.subtree)) >= 3):
        return None  # "it was announced", "he was charged": no content of its own
    spans = [_clause_span(doc, t, min_tokens=1) for t in parts]
    if spans[0] is None or any(sp is None for sp in spans):
        return None
    return _cue_text(verb), spans[0][0], max(sp[1] for sp in spans if sp is not None)


@_verb_rule
def light_verb(doc: Doc, verb: Token) -> Content | None:
    """A verb whose object names the stance, with that stance's content: "Lee made the case that
    the tax is fair" → "the tax is fair" (cue "made the case"); "Ruiz cast doubt on the figures"
    → "the figures" (cue "cast doubt on")."""
    for obj in verb.children:
        if obj.dep_ not in ("dobj", "oprd", "ccomp", "acomp") or obj.i < verb.i or obj.pos_ not in ("NOUN", "ADJ"):
            continue
        frames = _LIGHT_NOUNS.get(obj.lemma_.lower()) or _LIGHT_NOUNS.get(obj.lower_)
        if not frames:
            continue
        found = _framed_content(doc, [obj, verb], frames, obj.i)
        if found is not None:
            prep, start, end = found
            return " ".join(t for t in (_cue_text(verb), obj.text, prep) if t), start, end
    return None


VERB_RULES = (
    that_clause, reporting_clause, parenthetical, passive_subject, light_verb, intention, stance_object,
    stance_preposition,
)
"""The rules of a verb, in the order they are tried."""


def according_to(doc: Doc, tok: Token, quoted: list[_Marked]) -> Report | None:
    """The sentence's larger side around "according to X": "The plant will close in March,
    according to the union" → "The plant will close in March" (speaker: the union)."""
    source = _according_to(tok)
    if source is None:
        return None
    span = _side_of(tok, source)
    return Report("according to", *span, source) if span is not None else None


def in_source(doc: Doc, tok: Token, quoted: list[_Marked]) -> Report | None:
    """A clause opened by "in X's statement/poll/…" that no verb of its own reports: "In the
    latest poll, Lee leads Ruiz by six points" → "Lee leads Ruiz by six points" (speaker: the
    poll). "In a statement, the campaign said …" is the verb's."""
    opens_clause = tok.i == tok.sent.start or tok.doc[tok.i - 1].text == ","
    if tok.lower_ != "in" or tok.dep_ != "prep" or not opens_clause or _according_to(tok) is not None:
        return None
    source = next((o for o in tok.children if o.dep_ == "pobj" and o.lemma_.lower() in _SOURCE_NOUNS), None)
    span = _side_of(tok, source) if source is not None else None
    if span is None or any(_is_cue(t) and _has_clause(t) for t in _tokens_in(doc, *span)):
        return None  # "In a statement, the campaign said …": the verb reports it
    return Report("in", *span, source)


def transcript_line(doc: Doc, colon: Token, quoted: list[_Marked]) -> Report | None:
    """``Sanders: Clinton email story has moved`` / ``Q: …`` / ``RAMOS: …``: a short name
    opening its line, a colon, and what was said (to the end of the line)."""
    if colon.text != ":" or colon.i == 0:
        return None
    name = doc[_line_start(colon) : colon.i]
    if not 1 <= len(name) <= 4 or not all(t.pos_ == "PROPN" or t.is_upper or t.is_title for t in name):
        return None
    if name[-1].lower_ in _HEADLINE_LABELS or (
        name[0].pos_ in ("DET", "ADV", "ADP", "SCONJ", "CCONJ", "PRON", "VERB", "AUX") and not name[0].is_upper
    ):
        return None  # "The Latest: …", "Breaking: …", "So: …" open a headline or a sentence
    rest = []
    for t in doc[colon.i + 1 :]:
        if "\n" in t.text:
            break
        rest.append(t)
        if "\n" in t.whitespace_:
            break
    rest = [t for t in rest if not t.is_space]
    while rest and rest[-1].is_punct:
        rest.pop()
    if len(rest) < 3 or rest[0].is_quote:
        return None
    return Report(":", rest[0].idx, rest[-1].idx + len(rest[-1]), name[-1])


def stance_adjective(doc: Doc, adj: Token, quoted: list[_Marked]) -> Report | None:
    """A stance named by an adjective after "be" (or "remain", "seem"), with its clause or its
    preposition's object: "Lee is confident that the bill will pass" → "the bill will pass";
    "Ruiz was critical of the plan" → "the plan". Without a subject there is no candidate."""
    frames = _STANCE_ADJECTIVES.get(adj.lower_) if adj.pos_ == "ADJ" else None
    if not frames or adj.dep_ not in ("acomp", "oprd") or adj.head.pos_ not in ("VERB", "AUX"):
        return None
    subj = _subject_of(adj.head)
    if subj is None:
        return None
    found = _framed_content(doc, [adj], frames, adj.i)
    if found is None or _overlaps(quoted, found[1], found[2]):
        return None
    prep, start, end = found
    return Report(f"{adj.head.text} {adj.text}" + (f" {prep}" if prep else ""), start, end, subj)


def statement_noun(doc: Doc, noun: Token, quoted: list[_Marked]) -> Report | None:
    """A statement or stance named by a noun, with its clause: "Ruiz made the claim that the tax
    pays for itself" → "the tax pays for itself"; "her decision to run" → "run". The speaker is
    the possessor or whoever made or voiced it."""
    clauses = _noun_clauses(noun)
    if not clauses:
        return None
    span = _clause_span(doc, clauses[0])
    if span is None or _overlaps(quoted, *span):
        return None
    return Report(noun.text, *span, _noun_owner(noun))


def noun_preposition(doc: Doc, noun: Token, quoted: list[_Marked]) -> Report | None:
    """A stance named by a noun, with its preposition's object and someone whose it is: "his
    criticism of the deal" → "the deal"; "her support for the bill" → "the bill" (nobody's
    "support for" is no quote)."""
    if noun.pos_ != "NOUN" or _noun_clauses(noun):
        return None
    preps = _NOUN_PREPOSITIONS.get(noun.lemma_.lower(), ())
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in preps and c.i == noun.i + 1:
            objects = [o for o in c.children if o.dep_ in ("pobj", "pcomp")]
            span = _clause_span(doc, objects[0], min_tokens=1 if _is_name(objects[0]) else 2) if objects else None
            owner = _noun_owner(noun)
            if span is not None and owner is not None:
                return None if _overlaps(quoted, *span) else Report(f"{noun.text} {c.text}", *span, owner)
            return None
    return None


def _noun_clauses(noun: Token) -> list[Token]:
    """The "that" clauses and infinitives of a statement noun ("the claim that …", "the decision to …")."""
    if noun.pos_ != "NOUN" or (noun.lemma_.lower() not in _STATEMENT_NOUNS and noun.lemma_.lower() not in _NOUN_PREPOSITIONS):
        return []
    return [
        c for c in noun.children
        if c.i > noun.i and c.dep_ in ("acl", "ccomp") and c.pos_ in ("VERB", "AUX")
        and (_that_clause(c) or any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children))
    ]  # fmt: skip


RULES: tuple[Rule, ...] = (
    according_to, in_source, transcript_line, stance_adjective, statement_noun, noun_preposition, *VERB_RULES,
)
"""Every rule of reported speech, tried in this order on each token outside quotation marks: the
first that finds a report names the quote's ``rule``. Each is a function ``(doc, token, quoted) ->
Report | None`` with a made-up example in its docstring."""


def _line_start(tok: Token) -> int:
    """Index of the first token of ``tok``'s line (after the last line break before it)."""
    i = tok.i
    while i > 0 and "\n" not in tok.doc[i - 1].text_with_ws:
        i -= 1
    return i


def _indirect(doc: Doc, quoted: list[_Marked]) -> list[tuple[Token, str, Token | None, int, int, str]]:
    """Reported speech without marks: (cue token, cue text, speaker token, start, end, rule), by
    the first of ``RULES`` that finds a report at each token outside quotation marks. A verb's
    content running into a quote keeps the part before the coordinated clause that quotes ("Lee
    respects her and calls her "a friend"": "Lee respects her"), or is no report at all."""
    found = []
    for tok in doc:
        if _inside(tok, quoted):
            continue
        for rule in RULES:
            report = rule(doc, tok, quoted)
            if report is not None:
                break
        else:
            continue
        start, end = report.start, report.end
        if rule in VERB_RULES and _overlaps(quoted, start, end):
            end = _before_quoted_part(doc, start, min(m.open_mark for m in quoted if m.start < end and start < m.end))
            if _overlaps(quoted, start, end) or _words(_doc_text(doc)[start:end]) < 3:
                continue
        found.append((tok, report.cue, report.speaker, start, end, rule.__name__))
    return found


def _noun_owner(noun: Token) -> Token | None:
    """Whose statement: the possessor ("his claim"), or who made or voiced it ("Trump made the
    claim that …")."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None and noun.dep_ in ("dobj", "nsubjpass") and noun.head.pos_ in ("VERB", "AUX"):
        owner = _subject_of(noun.head)
    return owner


def _narration_around(
    doc: Doc, unit: _Unit, bounds: list[tuple[int, int]], quoted: list[_Marked], *, before: bool
) -> Iterator[Token]:
    """The narrator's tokens around a quote unit: the window before it (with ``before``), the
    words between its parts and the window after it; never a word inside quotation marks."""
    text = _doc_text(doc)
    first, last = unit.parts[0], unit.parts[-1]
    windows = [_window_before(text, first, bounds[_paragraph_of(bounds, first.start)][0], quoted)] if before else []
    windows += [(a.close_mark, b.open_mark) for a, b in zip(unit.parts, unit.parts[1:], strict=False)]
    windows.append(_window_after(text, last, bounds[_paragraph_of(bounds, last.start)][1], quoted))
    for lo, hi in windows:
        yield from (tok for tok in _tokens_in(doc, lo, hi) if not _inside(tok, quoted))


def _according_to_outer(doc: Doc, unit: _Unit, bounds: list[tuple[int, int]], quoted: list[_Marked]) -> Token | None:
    """The source of an "according to X" in the narrator's words of a quote's sentence when the
    quote's cue is another verb ('"…," Lee said, according to the Times'): X reports the quote, and
    X is its source (how PolNeAR credits second-hand quotes: the outlet, transcript or letter)."""
    if unit.cue is None or unit.cue_text == "according to":
        return None
    for tok in _narration_around(doc, unit, bounds, quoted, before=True):
        source = _according_to(tok)
        if source is not None and not _inside(source, quoted) and _can_speak(source) and source.pos_ in ("NOUN", "PROPN"):
            return source
    return None


def _reporting_outlet(doc: Doc, unit: _Unit, bounds: list[tuple[int, int]], quoted: list[_Marked]) -> Token | None:
    """Who passes on a quote that has its own cue, by a "reported" / "reports" after it ('Lee
    said: "…," the Times reported'; '"…," said Lee, reports the Post'): the outlet is its source,
    as with "according to" (how PolNeAR credits second-hand quotes)."""
    if unit.cue is None or unit.cue_text == "according to":
        return None
    for tok in _narration_around(doc, unit, bounds, quoted, before=False):
        source = _outlet_of(tok, quoted) if _reported_by_outlet(tok, unit.cue) else None
        if source is not None and _can_speak(source) and source.pos_ in ("NOUN", "PROPN"):
            return source
    return None


def _reported_by_outlet(tok: Token, cue: Token) -> bool:
    """A "reported" / "reports" after a quote that already has its own cue ('Lee said: "…," the
    Times reported'; '"…," said Lee, reports the Post'): who reported it passes the quote on."""
    return (
        _lemma(tok) == "report" and tok.tag_ in ("VBD", "VBZ", "VBP") and tok.i != cue.i
        and not any(c.dep_ == "ccomp" and c.i > tok.i for c in tok.children)  # not "reported that …"
    )


def _outlet_of(reported: Token, quoted: list[_Marked]) -> Token | None:
    """Who reported: the subject before the verb ("the Times reported"), else, after a comma, the
    noun right after it ("…, reports the Post", which the parser may read as its object)."""
    before = [c for c in reported.children if c.dep_ == "nsubj" and c.i < reported.i]
    if before and not reported.doc[reported.i - 1].is_punct:
        return before[0]
    for tok in reported.doc[reported.i + 1 : reported.i + 4]:
        if tok.pos_ in ("NOUN", "PROPN") and not _inside(tok, quoted):
            return tok
        if tok.is_punct or tok.pos_ in ("ADP", "VERB", "AUX"):
            break
    return None


def _trailing_speaker(doc: Doc, unit: _Unit, bounds: list[tuple[int, int]], quoted: list[_Marked]) -> Token | None:
    """The subject of a short clause closing a quote's sentence when its verb is no speech cue
    ('"…," the email read.', '"…?" Beck pressed.', '"…," an angry Hollande retaliated.'): in news
    English the clause that a quote ends on with a comma, "?" or "!" says who spoke, whatever
    its verb. Not for a quote ending its own sentence ('"…." Lee left.'), nor for a clause
    longer than a few words or one with an object or complement of its own ('"…," Lee said
    she thought' has a cue; '"…," the crowd chanted his name' does not speak the quote)."""
    text = _doc_text(doc)
    last = unit.parts[-1]
    if not last.closed:
        return None
    p_start, p_end = bounds[_paragraph_of(bounds, last.start)]
    if text[p_start : unit.parts[0].open_mark].rstrip()[-1:] not in ("", ".", "!", "?", ":", '"', "”"):
        return None  # the quote sits inside a narrator's sentence ("When Lee wrapped up — “…” — the …")
    lo, hi = _window_after(text, last, p_end, quoted)
    ending = text[last.start : last.end].rstrip()[-1:] + text[last.end : last.close_mark] + text[lo:hi].lstrip()[:1]
    if not any(p in ending for p in ",?!"):
        return None  # '"…." Lee left.': the quote ended its sentence
    toks = [t for t in _tokens_in(doc, lo, hi) if not _inside(t, quoted) and not t.is_space]
    words = [t for t in toks if not t.is_punct]
    if not words or len(words) > 10:
        return None
    ids = {t.i for t in toks}
    for verb in words:
        if verb.pos_ != "VERB" or (verb.head.i in ids and verb.head.i != verb.i):
            continue  # not the clause's main verb
        if any(c.dep_ in ("ccomp", "xcomp", "dobj") and c.i in ids for c in verb.children):
            continue
        subj = _subject_of(verb, quoted)
        if subj is None or subj.i not in ids or subj.pos_ not in ("NOUN", "PROPN", "PRON") or not _can_speak(subj):
            return None
        if words[0].i in {t.i for t in subj.subtree} or words[0].i == verb.i:
            return subj  # the clause opens with its subject or its verb
        return None
    return None
