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
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from spacy.tokens import Doc, Token

from analysis.model import PARAGRAPH_SEP, Mention, Quote
from analysis.quotes.lexicon import load_lexicon

__all__ = [
    "REPORTING_VERBS", "VERB_RULES", "Candidate", "candidates", "extract_quotes", "mentions_from_ents",
    "source_kind", "that_clause", "reporting_clause", "parenthetical", "intention", "stance_object",
    "stance_preposition", "passive_subject", "light_verb",
]  # fmt: skip


_FRAMES = load_lexicon().frames  # the verb frames, a versioned data file (analysis/quotes/lexicon.py)
REPORTING_VERBS: frozenset[str] = _FRAMES.reporting_verbs
"""Lemmas of verbs that introduce speech, stated belief or a finding, in one place: every kind
of quote takes its cue from here; the sets below refine what complement each verb takes."""

_NAMING_VERBS = _FRAMES.naming_verbs  # frame a quoted phrase (``called it "…"``), not a clause
_INTENTION_VERBS = _FRAMES.intention_verbs  # content is an infinitive ("urged Israel to refrain")
# Stances and statements whose content is the object ("endorsed Donald Trump", "denied the
# allegations", "cited the report", "accused the mayor of fraud", "expressed frustration").
_STANCE_VERBS = _FRAMES.stance_verbs
# Reporting verbs whose object is not what was said: the listener ("told reporters"), the
# question, or another sense of the verb ("maintained a lead", "added five points", "found a job").
_NO_OBJECT_CONTENT = _FRAMES.no_object_content
# Verbs whose content can be an infinitive: intentions, and stances or statements that take
# one ("said to be…", "supported raising…"), but not "continued to", "proved to", "is known to".
_INFINITIVE_VERBS = (_INTENTION_VERBS | _STANCE_VERBS | REPORTING_VERBS) - _FRAMES.not_infinitive
_ARGUMENT_PREPOSITIONS = _FRAMES.argument_prepositions  # "accused her of lying", "blamed him for it"
_STATEMENT_NOUNS = _FRAMES.statement_nouns  # "his claim that …", "the decision to …"
_NOUN_PREPOSITIONS = _FRAMES.noun_prepositions  # "criticism of the deal"
_HEADLINE_LABELS = _FRAMES.headline_labels  # open a headline or a teaser line with a colon, not a speaker
_SOURCE_NOUNS = _FRAMES.source_phrase_nouns  # "in a statement, the campaign …", "in the latest poll, …"
_CHARACTERISING_VERBS = _FRAMES.characterising_verbs  # "described the plan as a disaster"
# Every verb whose object is a content.
_OBJECT_CONTENT_VERBS = _STANCE_VERBS | _CHARACTERISING_VERBS | (REPORTING_VERBS - _NO_OBJECT_CONTENT)
# Verbs whose content follows a preposition ("called for a ban", "referred to the report").
_STANCE_PREPOSITIONS = _FRAMES.stance_prepositions
_LIGHT_NOUNS = _FRAMES.light_nouns  # "made the case that", "cast doubt on": the object noun carries the cue
_STANCE_ADJECTIVES = _FRAMES.stance_adjectives  # "is confident that", "was critical of"
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
_LISTENER_VERBS = _FRAMES.listener_verbs  # the object is the listener ("…," she told Radio Nord)
# Dependents that, set off by a comma or dash at the end of a clause, are the narrator's aside.
_ASIDE_DEPS = frozenset({"relcl", "appos"})
_ASIDE_MARKS = {",", "—", "–", "--", "-"}
_PRONOUNS_PERSON = {"he", "she", "him", "her", "his"}
_PRONOUNS_GROUP = {"they", "them", "it", "its", "their"}
_ORG_NOUNS = {
    "company", "agency", "ministry", "department", "campaign", "government", "group", "firm",
    "organization", "organisation", "office", "administration", "committee", "party", "officials",
    "spokesman", "spokeswoman", "spokesperson", "bank", "council", "court",
}  # fmt: skip
_ORG_LABELS = ("ORG", "GPE", "NORP")
_TITLE_BEFORE = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.?\s+$")
_TITLE_OPENS = re.compile(r"(Mr|Mrs|Ms|Miss)\.?\s")
_TITLE_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f"}
_NOT_SPEAKERS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
_ABBREVIATIONS = "Mr Mrs Ms Dr Sen Rep Gov Gen Lt Col Sgt St Jr Sr Prof Rev Hon Inc Corp Co No Mt Ft vs".split()
_SENTENCE_END = re.compile(
    "".join(rf"(?<!\b{a})" for a in _ABBREVIATIONS) + r"(?<!\b[A-Z])(?<!\.[A-Z])[.!?](?=\s|$)"
)  # a full stop that ends a sentence: not "Mr." nor an initial ("J.", "U.S.")
_WORD = re.compile(r"[\w’']+")

_MARKUP = re.compile(r"<[^<>\n]{1,300}>")  # tags left in text: their attribute quotes are not speech
_OPEN_DOUBLE = {"“": 1, "``": 2, "„": 1}
_CLOSE_DOUBLE = {"”": 1}


@dataclass(slots=True)
class _Marked:
    """One quoted stretch of text: content offsets (marks excluded) in ``doc.text``."""

    start: int
    end: int
    open_mark: int  # where the opening mark begins
    close_mark: int  # just after the closing mark (the paragraph's end when unclosed)
    closed: bool  # False when the paragraph ended before a closing mark
    opens_paragraph: bool  # the opening mark is the paragraph's first character


@dataclass(slots=True)
class _Unit:
    """One quote as found: its parts (a split quote has several) and its attribution."""

    parts: list[_Marked]
    kind: str = "direct"
    cue: Token | None = None
    cue_text: str = ""
    speaker_tokens: list[Token] = field(default_factory=list)
    governed: bool = False  # a partial quote inside the clause of a reporting verb
    weak_speaker: bool = False  # the speaker was read off a verb that is not a speech cue
    rule: str = "unattributed"  # the attribution rule that found the cue and speaker


# ---------------------------------------------------------------------------------------------
# Quotation marks


def _paragraph_bounds(text: str, paragraph_starts: list[int] | None) -> list[tuple[int, int]]:
    """(start, end) of every paragraph in ``text``."""
    if paragraph_starts is None:
        paragraph_starts, pos = [], 0
        for part in text.split(PARAGRAPH_SEP):
            paragraph_starts.append(pos)
            pos += len(part) + len(PARAGRAPH_SEP)
    bounds = []
    for i, start in enumerate(paragraph_starts):
        end = paragraph_starts[i + 1] if i + 1 < len(paragraph_starts) else len(text)
        while end > start and text[end - 1].isspace():
            end -= 1
        bounds.append((start, end))
    return bounds


def _mark_at(text: str, i: int) -> tuple[str, int] | None:
    """The quotation mark starting at ``text[i]``: (role, length), role in open/close/either."""
    two = text[i : i + 2]
    if two in _OPEN_DOUBLE:
        return "open", 2
    if two == "''":  # closes ``…'' (TeX style) but also serves as both marks (news archives)
        return "either", 2
    ch = text[i]
    if ch in _OPEN_DOUBLE:
        return "open", 1
    if ch in _CLOSE_DOUBLE:
        return "close", 1
    if ch == '"':
        return "either", 1
    return None


def _scan_double(text: str, start: int, end: int) -> list[_Marked]:
    """Quoted stretches between double marks in one paragraph; unbalanced marks never raise."""
    found: list[_Marked] = []
    opened: tuple[int, int] | None = None  # (mark start, content start) of the quote being read
    markup = [m.span() for m in _MARKUP.finditer(text, start, end)]
    i = start
    while i < end:
        mark = None if any(lo <= i < hi for lo, hi in markup) else _mark_at(text, i)
        if mark is None:
            i += 1
            continue
        role, length = mark
        if role == "either":
            role = "close" if opened is not None else "open"
        elif role == "open" and opened is not None and _closes_here(text, i, length, end):
            role = "close"  # “It's unusual,“ said …: an opening mark typed where one closes
        if role == "open":
            if opened is not None:  # a new opening mark: the previous quote was never closed
                found.append(_Marked(opened[1], i, opened[0], i, False, opened[0] == start))
            opened = (i, i + length)
        elif opened is not None:
            found.append(_Marked(opened[1], i, opened[0], i + length, True, opened[0] == start))
            opened = None
        i += length
    if opened is not None:
        found.append(_Marked(opened[1], end, opened[0], end, False, opened[0] == start))
    return [_trim(text, m) for m in found if text[m.start : m.end].strip()]


def _closes_here(text: str, i: int, length: int, end: int) -> bool:
    """The mark at ``i`` sits where a quote ends: right after a word or punctuation and
    before a space, punctuation or the paragraph's end (never before a word)."""
    after = text[i + length] if i + length < end else " "
    return i > 0 and not text[i - 1].isspace() and (after.isspace() or after in ",.;:!?)—–-")


_SINGLE = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))‘(?=\S)(.+?)(?<=\S)’(?=$|[\s.,;:!?)\]—–-])")


def _scan_single(text: str, start: int, end: int, taken: list[_Marked]) -> list[_Marked]:
    """Balanced ‘single curly’ quotes of two words or more outside double-quoted text."""
    found = []
    for m in _SINGLE.finditer(text, start, end):
        inner = m.group(1)
        if len(_WORD.findall(inner)) < 2 or any(
            t.start <= m.start(1) < t.end for t in taken
        ):
            continue
        found.append(_trim(text, _Marked(m.start(1), m.end(1), m.start(), m.end(), True, m.start() == start)))
    return found


def _trim(text: str, m: _Marked) -> _Marked:
    """Drop surrounding spaces and a trailing comma (the attribution's, not the speaker's)."""
    s, e = m.start, m.end
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] == ","):
        e -= 1
    return _Marked(s, e, m.open_mark, m.close_mark, m.closed, m.opens_paragraph)


def _marked_spans(text: str, bounds: list[tuple[int, int]]) -> list[list[_Marked]]:
    """Quoted stretches per paragraph."""
    per_paragraph = []
    for start, end in bounds:
        doubles = _scan_double(text, start, end)
        singles = _scan_single(text, start, end, doubles)
        per_paragraph.append(sorted(doubles + singles, key=lambda m: m.start))
    return per_paragraph


# ---------------------------------------------------------------------------------------------
# Tokens and attribution


def _doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc (spaCy joins every token on each access)."""
    text = doc.user_data.get("newslens_text")
    if text is None:
        text = doc.user_data["newslens_text"] = doc.text
    return text


def _tokens_in(doc: Doc, start: int, end: int) -> list[Token]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None else []


def _inside(tok: Token, spans: list[_Marked]) -> bool:
    return any(m.start <= tok.idx < m.end for m in spans)


def _is_cue(tok: Token) -> bool:
    if tok.pos_ != "VERB":
        return False
    lemma = _lemma(tok)
    particle = _PARTICLE_CUES.get(lemma)
    return lemma in REPORTING_VERBS or (
        particle is not None
        and any(c.lower_ == particle and (c.dep_ == "prt" or c.i == tok.i + 1) for c in tok.children)
    )


_PARTICLE_CUES = _FRAMES.particle_cues  # cues only with their particle ("pointed out", "shot back")


_MISLEMMATISED = {"hoping": "hope", "hoped": "hope", "hopes": "hope"}  # the model gives "hop"


def _lemma(tok: Token) -> str:
    """The verb's lemma, lower-cased, with the model's known slips corrected."""
    return _MISLEMMATISED.get(tok.lower_) or tok.lemma_.lower()


def _according_to(tok: Token) -> Token | None:
    """The source of ``according to X`` when ``tok`` is "according", else None."""
    if tok.lower_ != "according":
        return None
    for child in tok.children:
        if child.lower_ == "to":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return obj
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.lower_ == "to" and tok.i + 2 < len(tok.doc):
        return tok.doc[tok.i + 2]
    return None


def _subject_of(verb: Token, quoted: list[_Marked] | None = None) -> Token | None:
    """The subject of ``verb``, looking through conjunctions, relative pronouns and inversion;
    never a word inside ``quoted`` (the parser may take the quote's own subject)."""
    chain = _verb_chain(verb)
    for v in chain:
        if v is not chain[-1] and _says_what_it_is(v):
            continue  # its "it" is what was spoken of
        subjects = [
            c for c in v.children
            if c.dep_ in _SUBJECT_DEPS and _can_speak(c) and not (quoted and _inside(c, quoted))
        ]  # fmt: skip
        if len(subjects) > 1:  # "WASHINGTON (AP) — A spokesman … said": the nearest
            before = [c for c in subjects if c.i < v.i]
            subjects = [before[-1]] if before else subjects
        for child in subjects:
            if child.tag_ in ("WP", "WDT") and v.dep_ == "relcl":  # "…, who said": the noun
                return _publisher(v, quoted) if child.tag_ == "WDT" else v.head
            if child.dep_ == "nsubjpass" and v.i == verb.i:  # "she was asked by the host": the host asked
                agents = [o for c in v.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"]
                if agents and not (quoted and _inside(agents[0], quoted)):
                    return agents[0]
                if child.lower_ == "it" or _passive_content(v) is not None:
                    return None  # "it was reported that …", "the plan is expected to fail": nobody named
            return child
    # inverted order ("…," said the senator): first noun after the verb, if not its object nor
    # in a phrase of its own ("said in a statement", "said when Lee asked"), nor a listener ("tells
    # Radio Nord")
    for tok in verb.doc[verb.i + 1 : min(verb.i + 4, len(verb.doc))]:
        if tok.is_punct or tok.dep_ in ("dative", "dobj") or tok.pos_ in ("ADP", "SCONJ") or tok.tag_ == "WRB":
            break
        if tok.pos_ in ("PROPN", "NOUN", "PRON") and _can_speak(tok):
            phrase = tok
            while phrase.dep_ in ("compound", "flat", "amod", "det", "nummod") and phrase.head.i != phrase.i:
                phrase = phrase.head
            if phrase.dep_ in ("dobj", "dative") and (phrase.head.i != verb.i or _lemma(verb) in _LISTENER_VERBS):
                break
            return tok
    if verb.i > 0:
        prev = verb.doc[verb.i - 1]  # '…," Senator Ann Ruiz wrote' parsed without a subject
        if prev.pos_ == "PROPN" and prev.head in (verb, verb.head) and not (quoted and _inside(prev, quoted)):
            return prev
        if verb.dep_ == "acl" and verb.head.i == prev.i and (prev.pos_ == "NOUN" or _is_age(prev)):
            return prev  # '…," the 43-year-old asked' parsed as a noun with a participle
    return None


def _publisher(says: Token, quoted: list[_Marked] | None) -> Token:
    """Who put out a thing that says something ("released a video that said", "hoisted a sign
    that read"): the subject of the verb taking it as its object; else the thing itself. Only
    for a thing that makes a statement, not one that takes a stance or acts ("monetized content
    that denies …", "a crunch that threatens to …")."""
    noun = says.head
    statement = _is_cue(says) and (
        _lemma(says) not in _STANCE_VERBS | _INTENTION_VERBS or any(c.dep_ == "ccomp" for c in says.children)
    )
    if statement and noun.dep_ == "dobj" and noun.head.pos_ == "VERB":
        subject = _subject_of(noun.head, quoted)
        if subject is not None:
            return subject
    return noun


def _can_speak(tok: Token) -> bool:
    """Not a date, number or amount; "the 46-year-old" is a person despite its DATE label."""
    return tok.ent_type_ not in _NOT_SPEAKERS or _is_age(tok)


def _is_age(tok: Token) -> bool:
    """``old`` of "the 46-year-old" (a person named by their age)."""
    return tok.lower_ in ("old", "olds") and tok.i >= 2 and tok.doc[tok.i - 2].lower_ in ("year", "years")


def _verb_chain(verb: Token) -> list[Token]:
    """``verb`` and the verbs it hangs from as a conjunct, complement or adverbial clause
    ("she emailed him, thanking him and adding …"), whose subject it shares."""
    chain = [verb]
    v = verb
    for _ in range(3):
        if v.dep_ in ("conj", "xcomp", "advcl") and v.head is not v:
            v = v.head
        elif v.dep_ == "ccomp" and _says_what_it_is(v) and v.head.pos_ in ("VERB", "AUX"):
            v = v.head  # "said it was “premature”, adding …": the speaker is who said so
        elif v.dep_ == "acl" and v.tag_ == "VBG" and v.head.dep_ in ("dobj", "pobj"):
            noun = v.head  # "put out a statement saying …": whoever put it out
            v = noun.head if noun.dep_ == "dobj" else noun.head.head
            if v.pos_ not in ("VERB", "AUX"):
                break
        else:
            break
        chain.append(v)
    return chain


def _says_what_it_is(verb: Token) -> bool:
    """``verb`` is "be" with "it" for subject and a predicate ("it was “premature”", "it's
    unrealistic to think …"): the content of a report, never a speech act of its own."""
    return (
        _lemma(verb) == "be"
        and any(c.dep_ in ("acomp", "attr") for c in verb.children)
        and any(c.dep_ in _SUBJECT_DEPS and c.lower_ == "it" for c in verb.children)
    )


def _cue_text(verb: Token) -> str:
    """The cue as written: the verb with its particle ("pointed out")."""
    particle = _PARTICLE_CUES.get(_lemma(verb))
    parts = [verb] + [c for c in verb.children if c.dep_ == "prt" or (c.lower_ == particle and c.i == verb.i + 1)]
    return " ".join(t.text for t in sorted(parts, key=lambda t: t.i))


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


def _window_before(text: str, m: _Marked, para_start: int, quoted: list[_Marked]) -> tuple[int, int]:
    """Narrator text between the previous sentence end (or quote) and the opening mark."""
    lo = para_start
    for q in quoted:
        if q.close_mark <= m.open_mark:
            lo = max(lo, q.close_mark)
    ends = list(_SENTENCE_END.finditer(text, lo, max(lo, m.open_mark)))
    if ends:
        lo = ends[-1].end()
    return lo, max(lo, m.open_mark)


def _window_after(text: str, m: _Marked, para_end: int, quoted: list[_Marked]) -> tuple[int, int]:
    """Narrator text from the closing mark to the sentence end (or the next quote)."""
    lo = min(m.close_mark, para_end)
    hi = para_end
    for q in quoted:
        if q.open_mark >= lo:
            hi = min(hi, q.open_mark)
            break
    found = _SENTENCE_END.search(text, lo, hi)
    if found:
        hi = found.end()
    return lo, max(lo, hi)


def _starts_sentence(text: str, m: _Marked, para_start: int) -> bool:
    """The opening mark begins a sentence, or follows a colon/comma/dash (an utterance)."""
    before = text[para_start : max(para_start, m.open_mark)].rstrip()
    return not before or before[-1] in ".!?:,;—–-(\"“”'"


# ---------------------------------------------------------------------------------------------
# Speakers


def mentions_from_ents(doc: Doc) -> list[Mention]:
    """Simple mentions from ``doc.ents`` when no entity linker ran: PERSON mentions take the
    longest full name seen with the same surname as their canonical name."""
    sent_starts = [s.start_char for s in doc.sents]
    full: dict[str, str] = {}
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            name = _strip_possessive(ent.text)
            last = name.split()[-1] if name.split() else name
            if len(name) > len(full.get(last, "")):
                full[last] = name
    out = []
    for ent in doc.ents:
        name = _strip_possessive(ent.text)
        if ent.label_ == "PERSON" and name.split():
            name = full.get(name.split()[-1], name)
        out.append(
            Mention(
                entity=name,
                label=ent.label_,
                text=ent.text,
                sentence=max(0, bisect_right(sent_starts, ent.start_char) - 1),
                start=ent.start_char,
                end=ent.end_char,
            )
        )
    return out


def _strip_possessive(name: str) -> str:
    return re.sub(r"[’']s?$", "", name.strip()).strip()


class _Speakers:
    """Resolves speaker phrases to canonical names, remembering who spoke last."""

    def __init__(self, doc: Doc, mentions: list[Mention], quoted: list[_Marked] | None = None):
        self.doc = doc
        self.quoted = quoted
        self.mentions = sorted(mentions, key=lambda m: m.start)
        text = _doc_text(doc)
        # "he" or "she": known from a title ("Mrs. Ruiz") or a pronoun already resolved to them
        self.gender: dict[str, str] = {}
        for m in self.mentions:
            title = _TITLE_BEFORE.search(text, max(0, m.start - 6), m.start) or _TITLE_OPENS.match(m.text)
            if m.label == "PERSON" and title is not None:
                self.gender.setdefault(m.entity, _TITLE_GENDER[title.group(1).lower()])
        self._learn_gender()
        self.by_surname: dict[str, Mention] = {}
        for m in self.mentions:
            if m.label == "PERSON":
                for word in m.entity.split()[-1:]:
                    self.by_surname.setdefault(word.lower(), m)
        self.history: list[tuple[int, str, str]] = []  # (offset, name, label) of resolved speakers
        # mentions in subject position: the likely antecedents of a later "he", "she", "it"
        # (not inside a quotation: the subjects of someone's quoted words are not the narrator's)
        self.subjects = [
            (m.start, m.entity, m.label)
            for m in self.mentions
            if not m.demonym
            and not (quoted and any(q.start <= m.start < q.end for q in quoted))
            and any(t.dep_ in _SUBJECT_DEPS for t in _tokens_in(doc, m.start, m.end))
        ]

    def _learn_gender(self) -> None:
        """A named subject taken up by "he" or "she" in the clause it governs ("Lee said she
        …") gives that person's gender, by majority over the document, after titles; not
        from a pronoun inside a quotation, which is the quoted speaker's."""
        votes: Counter[tuple[str, str]] = Counter()
        for tok in self.doc:
            if tok.lower_ in ("he", "she") and not (self.quoted and _inside(tok, self.quoted)):
                found = self._governor(tok, ("PERSON",), tok.text)
                if found is not None:
                    votes[found[0], "f" if tok.lower_ == "she" else "m"] += 1
        for (name, gender), n in votes.items():
            if n > votes[name, "m" if gender == "f" else "f"]:
                self.gender.setdefault(name, gender)

    def resolve(self, head: Token | None, at: int) -> tuple[str, str, str]:
        """(speaker, speaker_text, speaker_label) for the subject token ``head``; ``self.rule``
        names how it was chosen."""
        self.rule = "none"
        if head is None:
            return "", "", ""
        core = _core_tokens(head)
        written = _speaker_text(head)
        lower = head.lower_
        if head.pos_ == "PRON" or lower in _PRONOUNS_PERSON | _PRONOUNS_GROUP:
            if lower in _PRONOUNS_PERSON:
                gender = "f" if lower in ("she", "her") else "m"
                found = self._governor(head, ("PERSON",), written, gender)
                self.rule = "pronoun_governor"
                if found is None:
                    found, self.rule = self._recent(("PERSON",), at, written, gender), "pronoun_recent"
                if found[2]:
                    self.gender.setdefault(found[0], gender)
                return found
            if lower in _PRONOUNS_GROUP:
                found = self._governor(head, _ORG_LABELS, written)
                self.rule = "pronoun_governor"
                if found is None:
                    found, self.rule = self._recent(_ORG_LABELS, at, written), "pronoun_recent"
                return found
            self.rule = "pronoun_as_written"
            return written, written, ""
        if _described_org(head):  # "the Biden administration": the administration, not Biden
            self.rule = "organisation_noun"
            return self._remember(written, written, "ORG", at)
        for label in ("PERSON", "ORG", "GPE", "NORP"):
            for tok in core:
                m = self._mention_at(tok, label)
                if m is not None:
                    self.rule = "entity"
                    return self._remember(m.entity, written, m.label, at)
        for tok in core:
            if tok.pos_ == "PROPN":
                m = self.by_surname.get(_strip_possessive(tok.text).lower())
                if m is not None:
                    self.rule = "surname"
                    return self._remember(m.entity, written, m.label, at)
        if head.pos_ == "PROPN":
            self.rule = "proper_name"
            name = " ".join(t.text for t in core if t.pos_ == "PROPN").lstrip("―—–-") or written
            return self._remember(name, written, "", at)
        det = [c.lower_ for c in head.children if c.dep_ == "det"]
        if lower in _ORG_NOUNS and det == ["the"] and lower not in _GROUP_SPEAKERS:
            self.rule = "organisation_recent"
            return self._recent(("ORG",), at, written)
        self.rule = "as_written"
        return written, written, ""

    def _mention_at(self, tok: Token, label: str | None = None) -> Mention | None:
        """The mention (of ``label``, if given) that covers ``tok``."""
        for m in self.mentions:
            if m.start > tok.idx:
                break
            if (label is None or m.label == label) and m.start <= tok.idx < m.end:
                return m
        return None

    def _governor(
        self, pron: Token, labels: tuple[str, ...], written: str, gender: str = ""
    ) -> tuple[str, str, str] | None:
        """The named subject of the clause that a subject pronoun's clause hangs from, if it fits
        ("Lee, asked about it, said she would …": Lee): the most salient antecedent (Hobbs).
        Not for an aside ("…, he said, …"): the clause it interrupts is the quoted content."""
        top = _verb_chain(pron.head)[-1]
        if pron.dep_ not in _SUBJECT_DEPS or top.dep_ == "parataxis":
            return None
        node = top
        for _ in range(4):
            if node.head is node:
                return None
            node = node.head
            if node.pos_ not in ("VERB", "AUX"):
                continue
            subj = _subject_of(node, self.quoted)
            if subj is None or subj.i > pron.i or subj.pos_ == "PRON":
                return None
            # the subject's own name or its apposition ("the chairman, Ann Lee"), not a modifier
            # ("a Lee aide"); "Lee said it will help": "it" is not Lee
            for tok in [subj] + [c for c in subj.children if c.dep_ == "appos"]:
                m = self._mention_at(tok)
                if m is not None:
                    fits = m.label in labels and not m.demonym and self._fits(m.entity, gender)
                    return (m.entity, written, m.label) if fits else None
            return None
        return None

    def _recent(self, labels: tuple[str, ...], at: int, written: str, gender: str = "") -> tuple[str, str, str]:
        """The most recent speaker or subject mention of a fitting label (and, for "he"/"she",
        not known to be of the other gender) before ``at``, else the most recent such mention
        anywhere in a clause."""
        candidates = [
            c for c in self.history + self.subjects if c[0] < at and c[2] in labels and self._fits(c[1], gender)
        ]
        if candidates:
            _, name, label = max(candidates, key=lambda c: c[0])
            return name, written, label
        for m in reversed(self.mentions):
            if m.start < at and m.label in labels and not m.demonym and self._fits(m.entity, gender):
                return m.entity, written, m.label
        return written, written, ""

    def _fits(self, name: str, gender: str) -> bool:
        """Not known to be of the other gender than "he"/"she" asks for (any name, without one)."""
        return not gender or self.gender.get(name, gender) == gender

    def _remember(self, name: str, written: str, label: str, at: int) -> tuple[str, str, str]:
        self.history.append((at, name, label))
        return name, written, label

    def note(self, name: str, label: str, at: int) -> None:
        """Record a resolved speaker (for later pronouns)."""
        if name and label:
            self.history.append((at, name, label))


def _core_tokens(head: Token) -> list[Token]:
    """The head noun with its compounds, flat names and appositions (not its modifiers)."""
    core = [head]
    for child in head.children:
        if child.dep_ in ("compound", "flat", "appos"):
            core.extend(_core_tokens(child) if child.dep_ == "appos" else [child])
    # an apposition usually names the person: look at it first
    return sorted(core, key=lambda t: (t.dep_ != "appos" and t.head.dep_ != "appos", t.i))


def _speaker_text(head: Token) -> str:
    """The subject phrase as written, without a trailing relative clause or punctuation."""
    toks = []
    for t in head.subtree:
        if t.i > head.i and (
            t.is_quote or t.dep_ in ("relcl", "acl") or t.tag_ in ("WP", "WDT") or (t.dep_ == "advmod" and t.head == head)
        ):
            break  # the phrase stops at a clause or quotation about it
        toks.append(t)
    while len(toks) > 1 and (toks[-1].is_punct or toks[-1].is_space or toks[-1].pos_ == "ADV"):
        toks.pop()  # "European governments, similarly"
    span = head.doc[toks[0].i : toks[-1].i + 1] if toks else head.doc[head.i : head.i + 1]
    return span.text.strip(" ,;:―—–-\"“”")


# ---------------------------------------------------------------------------------------------
# Extraction


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _is_title(doc: Doc, m: _Marked) -> bool:
    """Every content word capitalised: a title, not speech."""
    toks = [t for t in _tokens_in(doc, m.start, m.end) if not (t.is_punct or t.is_stop)]
    return bool(toks) and all(t.is_title or t.is_upper for t in toks)


def _governing_cue(doc: Doc, m: _Marked) -> tuple[Token | None, Token | None, Token | None]:
    """(first verb governing a quoted phrase, first reporting verb up its head chain, the
    outermost reporting verb of that chain): the phrase belongs to whoever reports the whole
    clause, unless a naming verb frames it ("said Clinton called him "a liar"": Clinton's)."""
    toks = _tokens_in(doc, m.start, m.end)
    if not toks:
        return None, None, None
    tok = toks[0]
    for t in toks:  # the phrase's own head: the token whose head lies outside
        if not (m.start <= t.head.idx < m.end) or t.head is t:
            tok = t
            break
    verb, cue, outer = None, None, None
    node = tok
    for _ in range(12):
        if node.idx < m.start or node.idx >= m.end:
            if node.pos_ in ("VERB", "AUX") and verb is None:
                verb = node
            if _is_cue(node):
                if cue is None:
                    cue = outer = node
                elif outer is not None and _lemma(outer) not in _NAMING_VERBS:
                    outer = node  # "Trump said he believes it is "a mistake"": Trump's words
        if node.head is node:
            break
        node = node.head
    return verb, cue, outer


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


def _attribute(doc: Doc, unit: _Unit, bounds: list[tuple[int, int]], quoted: list[_Marked]) -> None:
    """Find the cue and speaker of a direct or partial quote unit."""
    text = _doc_text(doc)
    first, last = unit.parts[0], unit.parts[-1]
    p = _paragraph_of(bounds, first.start)
    p_start, p_end = bounds[p]
    if unit.kind == "partial":
        verb, cue, outer = _governing_cue(doc, first)
        unit.governed = cue is not None
        target = cue or verb
        if target is not None:
            unit.rule = "partial_governed" if cue is not None else "partial_verb"
            unit.cue = target
            unit.cue_text = _cue_text(outer or target)
            subj = _subject_of(outer or target)
            unit.speaker_tokens = [subj] if subj is not None else []
        if cue is None:  # a cue elsewhere in the sentence ("…" is how he described it)
            lo, _ = _window_before(text, first, p_start, quoted)
            _, hi = _window_after(text, last, bounds[_paragraph_of(bounds, last.start)][1], quoted)
            tok, cue_text, subj = _find_attribution(_tokens_in(doc, lo, hi), quoted, prefer_last=False)
            if tok is not None:
                unit.cue, unit.cue_text, unit.rule = tok, cue_text, "partial_sentence_cue"
                unit.speaker_tokens = [subj] if subj is not None else []
            else:
                unit.weak_speaker = True  # the subject of a verb that is not about speech
        return
    credit = _credit_line(doc, unit, bounds)
    if credit is not None:  # "“…” ― Ann Lee."
        name, dash = credit
        unit.cue, unit.cue_text, unit.speaker_tokens, unit.rule = name, dash, [name], "credit_line"
        return
    if len(unit.parts) > 1:  # the attribution sits between the parts
        tok, cue_text, subj = _find_attribution(
            _tokens_in(doc, first.close_mark, unit.parts[1].open_mark), quoted, prefer_last=False
        )
        if tok is not None:
            unit.cue, unit.cue_text, unit.speaker_tokens = tok, cue_text, [subj] if subj else []
            unit.rule = "split_quote"
            return
    lo, hi = _window_before(text, first, p_start, quoted)
    if text[lo:hi].rstrip().endswith(":") and _colon_source(  # "… - Ann Lee and Tom Ng: "…""
        unit, [t for t in _tokens_in(doc, lo, hi) if not _inside(t, quoted)]
    ):
        return
    windows = []
    lp_end = bounds[_paragraph_of(bounds, last.start)][1]
    lo, hi = _window_before(text, first, p_start, quoted)
    windows.append((lo, hi, True))
    lo, hi = _window_after(text, last, lp_end, quoted)
    windows.append((lo, hi, False))
    if _starts_sentence(text, first, p_start) and text[p_start : first.start].strip(" \"“`") == "":
        windows.reverse()  # a quote opening its paragraph is attributed after it
    for lo, hi, before in windows:
        if hi <= lo:
            continue
        colon = before and text[lo:hi].rstrip().endswith(":")
        tok, cue_text, subj = _find_attribution(_tokens_in(doc, lo, hi), quoted, prefer_last=before, outermost=colon)
        if tok is not None:
            unit.cue, unit.cue_text, unit.speaker_tokens = tok, cue_text, [subj] if subj else []
            unit.rule = "cue_before" if before else "cue_after"
            return
    # introduced by a colon after any verb ("Sanders delivered a retort: "…""), in this
    # paragraph or at the end of the previous one ("Cruz continued:")
    lo, hi = _window_before(text, first, p_start, quoted)
    intro = text[lo:hi].rstrip()
    if not intro and first.opens_paragraph and p > 0:
        prev_start, prev_end = bounds[p - 1]
        ends = list(_SENTENCE_END.finditer(text, prev_start, max(prev_start, prev_end - 1)))
        lo, hi = (ends[-1].end() if ends else prev_start), prev_end
        intro = text[lo:hi].rstrip()
    if intro.endswith(":"):
        toks = [t for t in _tokens_in(doc, lo, hi) if not _inside(t, quoted)]
        if _colon_source(unit, toks):  # "Pollsters agree - Ann Lee: "…"" ending the last paragraph
            return
        verbs = [t for t in toks if t.pos_ in ("VERB", "AUX") and _subject_of(t) is not None]
        verbs = [t for t in verbs if _is_cue(t)] or verbs  # "As X reported after …:": reported
        if verbs:  # the main clause's verb ("X apologized for what happened:": X's)
            verb = min(verbs[::-1], key=lambda t: sum(1 for _ in t.ancestors))
            unit.cue, unit.cue_text, unit.rule = verb, _cue_text(verb), "colon_intro"
            unit.speaker_tokens = [_subject_of(verb)]  # type: ignore[list-item]
            return
    # a quote opening its sentence right after one that says who speaks ("Bystrom agreed.")
    ends = list(_SENTENCE_END.finditer(text, p_start, max(p_start, first.open_mark - 1)))
    if ends and text[ends[-1].end() : first.open_mark].strip() == "":
        prev_lo = ends[-2].end() if len(ends) > 1 else p_start
        prev = [t for t in _tokens_in(doc, prev_lo, ends[-1].end()) if not _inside(t, quoted)]
        cues = [t for t in prev if _is_cue(t) and _subject_of(t) is not None and not _has_clause(t)]
        if cues and len(prev) <= 25:
            unit.cue, unit.cue_text, unit.speaker_tokens = cues[-1], _cue_text(cues[-1]), [_subject_of(cues[-1])]  # type: ignore[list-item]
            unit.rule = "sentence_before"


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


def _paragraph_of(bounds: list[tuple[int, int]], offset: int) -> int:
    return max(0, bisect_right([b[0] for b in bounds], offset) - 1)


def _has_clause(verb: Token) -> bool:
    return any(c.dep_ == "ccomp" for c in verb.children)


def _clause_span(
    doc: Doc, head: Token, exclude: Token | None = None, *, min_tokens: int = 3
) -> tuple[int, int] | None:
    """Char span of ``head``'s subtree, trimmed, without the attribution ``exclude`` and cut
    before a nested attribution ("… and 4 in 10 said …" belongs to another speaker)."""
    toks = list(head.subtree)
    if exclude is not None:
        toks = [t for t in toks if t.i < exclude.left_edge.i or t.i > exclude.right_edge.i]
    nested = [t.left_edge.i for t in toks if t.i > head.i and _is_cue(t) and _has_clause(t)]
    nested += [  # "…, and he railed against …": a new clause of the narrator's
        c.left_edge.i
        for c in head.children
        if c.dep_ == "conj"
        and any(g.dep_ in _SUBJECT_DEPS for g in c.children)
        and not any(g.dep_ == "mark" for g in c.children)
    ]
    if nested:
        toks = [t for t in toks if t.i < min(nested)]
    breaks = [t.i for t in toks if "\n" in t.text_with_ws and t.i >= head.i]
    if breaks:  # what was said never runs over a line break (a headline into the next line)
        toks = [t for t in toks if t.i <= min(breaks)]
    before = [t.i for t in toks if "\n" in t.text_with_ws and t.i < head.i]
    if before:
        toks = [t for t in toks if t.i > max(before)]
    toks = _without_trailing_aside(toks, head)
    while toks and (toks[0].is_punct or (toks[0].dep_ == "mark" and toks[0].lower_ == "that")):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].dep_ == "cc"):
        toks = toks[:-1]
    if len(toks) < min_tokens:
        return None
    end = toks[-1].idx + len(toks[-1])
    text = _doc_text(doc)
    while end < len(text) and (text[end] == "-" or text[end - 1] == "-"):
        end += 1  # never cut a hyphenated word ("de-escalate") in two
    while end < len(text) and text[end].isalnum() and text[end - 1] != " ":
        end += 1
    return toks[0].idx, end


def _without_trailing_aside(toks: list[Token], head: Token) -> list[Token]:
    """``toks`` without a trailing aside set off by a comma or dash: a non-restrictive relative
    clause (", who …") or an apposition (", the former governor") that ends the clause. The
    narrator adds these about someone named in the content; they are not part of what was said.
    (Trailing participles and adjuncts, ", as …", ", despite …", usually are: they stay.)"""
    content = [t for t in toks if not (t.is_punct or t.is_space)]
    if len(content) < 2:
        return toks
    last = content[-1].i
    positions = {t.i for t in toks}
    for t in toks:
        if t.i <= head.i or t.dep_ not in _ASIDE_DEPS or t.right_edge.i < last:
            continue
        before = t.left_edge.i - 1
        if before in positions and head.doc[before].text in _ASIDE_MARKS and before > content[0].i:
            return [x for x in toks if x.i < before]
    return toks


def _that_clause(head: Token) -> bool:
    """The clause opens with "that", "whether" or "if" ("ensured that …", "wonders whether …")."""
    return any(c.dep_ == "mark" and c.lower_ in ("that", "whether", "if") for c in head.children)


Content = tuple[str, int, int]  # (cue as written, start, end) of what a verb reports


def that_clause(doc: Doc, verb: Token) -> Content | None:
    """Any verb with a "that"/"whether" clause reports its content: "The mayor ensured that the
    vote was fair" → "the vote was fair"."""
    comps = [c for c in verb.children if c.dep_ == "ccomp"]
    if not comps or _lemma(verb) in REPORTING_VERBS or not _that_clause(comps[0]):
        return None
    span = _clause_span(doc, comps[0])
    return (_cue_text(verb), *span) if span is not None else None


def reporting_clause(doc: Doc, verb: Token) -> Content | None:
    """A reporting verb with its clause: "Lee said the budget is balanced" → "the budget is
    balanced"."""
    comps = [c for c in verb.children if c.dep_ == "ccomp"]
    if not comps or _lemma(verb) not in REPORTING_VERBS or _lemma(verb) in _NAMING_VERBS:
        return None
    span = _clause_span(doc, comps[0])
    return (_cue_text(verb), *span) if span is not None else None


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


def _passive_content(verb: Token) -> Token | None:
    """The subject of a passive cue whose subject is what was said or judged ("The plan is
    expected to fail", "Lee is seen as the favourite"), else None."""
    if _lemma(verb) not in _FRAMES.passive_verbs or verb.tag_ != "VBN":
        return None
    subjects = [c for c in verb.children if c.dep_ == "nsubjpass" and c.lower_ != "it" and c.tag_ not in ("WP", "WDT")]
    return subjects[0] if subjects else None


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


def _framed_content(doc: Doc, holders: list[Token], frames: tuple[str, ...], after: int) -> tuple[str, int, int] | None:
    """(preposition or "", start, end) of the first complement of ``holders`` after token ``after``
    that ``frames`` allow: a "that"/"whether" clause ("that"), an infinitive ("to"), or the object
    of a listed preposition ("of", "about", …)."""
    for holder in holders:
        for c in holder.children:
            if c.i <= after:
                continue
            if c.dep_ in ("ccomp", "acl", "xcomp", "advcl") and c.pos_ in ("VERB", "AUX"):
                clause = "that" in frames and (_that_clause(c) or (c.dep_ == "ccomp" and not any(g.dep_ == "mark" for g in c.children)))
                infinitive = "to" in frames and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
                if clause or infinitive:
                    span = _clause_span(doc, c, min_tokens=2)
                    if span is not None:
                        return "", *span
            elif c.dep_ == "prep" and c.lower_ in frames:
                objects = [o for o in c.children if o.dep_ in ("pobj", "pcomp")]
                if objects:
                    span = _clause_span(doc, objects[0], min_tokens=1 if _is_name(objects[0]) else 2)
                    if span is not None:
                        return c.text, *span
    return None


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
"""The attribution rules of a verb, tried in this order; the first that finds a content wins and
names the quote's ``rule``."""


def _complement(doc: Doc, verb: Token) -> tuple[str, int, int, str] | None:
    """(cue, start, end, rule) of what ``verb`` reports, by the first of ``VERB_RULES`` that finds it."""
    for rule in VERB_RULES:
        found = rule(doc, verb)
        if found is not None:
            return (*found, rule.__name__)
    return None


def _is_name(tok: Token) -> bool:
    """A proper name of someone: on its own it is a whole stance's content ("endorsed Cruz",
    "praised the union"). Not a place: "attacked Israel" or "hit the capital" is as often an act as a
    stance, and an analyst reading the quotes would take it for one."""
    if tok.ent_type_ in ("GPE", "LOC", "FAC"):
        return False
    return tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG", "NORP")


def _line_start(tok: Token) -> int:
    """Index of the first token of ``tok``'s line (after the last line break before it)."""
    i = tok.i
    while i > 0 and "\n" not in tok.doc[i - 1].text_with_ws:
        i -= 1
    return i


def _colon_heading(colon: Token) -> tuple[Token, str, Token | None, int, int] | None:
    """``Sanders: Clinton email story has moved`` / ``Q: …`` / ``RAMOS: …``: a short name
    opening its line, a colon, and what was said (to the end of the line)."""
    doc = colon.doc
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
    return colon, ":", name[-1], rest[0].idx, rest[-1].idx + len(rest[-1])


def _source_phrase(tok: Token) -> tuple[str, Token] | None:
    """(cue, source) when ``tok`` opens "according to X" or "in X's statement/poll/…"."""
    source = _according_to(tok)
    if source is not None:
        return "according to", source
    opens_clause = tok.i == tok.sent.start or tok.doc[tok.i - 1].text == ","
    if tok.lower_ == "in" and tok.dep_ == "prep" and opens_clause:
        for obj in tok.children:
            if obj.dep_ == "pobj" and obj.lemma_.lower() in _SOURCE_NOUNS:
                return "in", obj
    return None


def _side_of(tok: Token, source: Token) -> tuple[int, int] | None:
    """The larger part of the sentence outside the source phrase ("X, according to Y")."""
    sent = tok.sent
    left = [t for t in sent if t.i < tok.i]
    right = [t for t in sent if t.i > source.right_edge.i]
    side = left if len(left) >= len(right) else right
    while side and (side[-1].is_punct or side[-1].is_space):
        side = side[:-1]
    while side and (side[0].is_punct or side[0].is_space):
        side = side[1:]
    if len(side) < 3:
        return None
    return side[0].idx, side[-1].idx + len(side[-1])


def _indirect(doc: Doc, quoted: list[_Marked]) -> list[tuple[Token, str, Token | None, int, int, str]]:
    """Reported speech without marks: (cue token, cue text, speaker token, start, end, rule)."""
    found = []
    for tok in doc:
        if _inside(tok, quoted):
            continue
        phrase = _source_phrase(tok)
        if phrase is not None:
            span = _side_of(tok, phrase[1])
            reported = span is not None and any(
                _is_cue(t) and _has_clause(t) for t in _tokens_in(doc, *span)
            )  # "In a statement, the campaign said …": the verb reports it
            if span is not None and not (phrase[0] == "in" and reported):
                found.append((tok, phrase[0], phrase[1], *span, "according_to" if phrase[0] != "in" else "in_source"))
            continue
        if tok.text == ":" and tok.i > 0:
            heading = _colon_heading(tok)
            if heading is not None:
                found.append((*heading, "transcript_line"))
            continue
        if tok.pos_ == "ADJ":
            stated = _adjective_content(doc, tok)
            if stated is not None and not any(m.start < stated[4] and stated[3] < m.end for m in quoted):
                found.append(stated)
            continue
        if tok.pos_ == "NOUN":
            stated = _noun_content(doc, tok)
            if stated is not None and not any(m.start < stated[4] and stated[3] < m.end for m in quoted):
                found.append(stated)
            continue
        if tok.pos_ != "VERB":
            continue
        complement = _complement(doc, tok)
        if complement is None:
            continue
        cue, start, end, rule = complement
        overlapping = [m for m in quoted if m.start < end and start < m.end]
        if overlapping:  # keep the part before a coordinated clause that quotes
            end = _before_quoted_part(doc, start, min(m.open_mark for m in overlapping))
            if not any(m.start < end and start < m.end for m in quoted) and _words(_doc_text(doc)[start:end]) >= 3:
                overlapping = []
        if not overlapping:
            found.append((tok, cue, _subject_of(tok), start, end, rule))
    return found


def _noun_content(doc: Doc, noun: Token) -> tuple[Token, str, Token | None, int, int, str] | None:
    """``his claim that …``, ``the decision to …``: a statement or stance named by a noun,
    with its clause; the speaker is the possessor or whoever made/voiced it."""
    if noun.lemma_.lower() not in _STATEMENT_NOUNS and noun.lemma_.lower() not in _NOUN_PREPOSITIONS:
        return None
    clauses = [
        c for c in noun.children
        if c.i > noun.i and c.dep_ in ("acl", "ccomp") and c.pos_ in ("VERB", "AUX")
        and (_that_clause(c) or any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children))
    ]  # fmt: skip
    if not clauses:
        preps = _NOUN_PREPOSITIONS.get(noun.lemma_.lower(), ())
        for c in noun.children:  # "his criticism of the deal", "her support for the bill"
            if c.dep_ == "prep" and c.lower_ in preps and c.i == noun.i + 1:
                objects = [o for o in c.children if o.dep_ in ("pobj", "pcomp")]
                span = _clause_span(doc, objects[0], min_tokens=1 if _is_name(objects[0]) else 2) if objects else None
                owner = _noun_owner(noun)
                if span is not None and owner is not None:  # nobody's "support for" is no quote
                    return noun, f"{noun.text} {c.text}", owner, *span, "noun_preposition"
        return None
    span = _clause_span(doc, clauses[0])
    if span is None:
        return None
    return noun, noun.text, _noun_owner(noun), *span, "statement_noun"


def _adjective_content(doc: Doc, adj: Token) -> tuple[Token, str, Token | None, int, int, str] | None:
    """``Lee is confident that the bill will pass``, ``Ruiz was critical of the plan``: a stance
    named by an adjective after "be" (or "remain", "seem"), with its clause or its preposition's
    object; the speaker is the subject, and without one there is no candidate."""
    frames = _STANCE_ADJECTIVES.get(adj.lower_)
    if not frames or adj.dep_ not in ("acomp", "oprd") or adj.head.pos_ not in ("VERB", "AUX"):
        return None
    subj = _subject_of(adj.head)
    if subj is None:
        return None
    found = _framed_content(doc, [adj], frames, adj.i)
    if found is None:
        return None
    prep, start, end = found
    return adj, f"{adj.head.text} {adj.text}" + (f" {prep}" if prep else ""), subj, start, end, "stance_adjective"


def _noun_owner(noun: Token) -> Token | None:
    """Whose statement: the possessor ("his claim"), or who made or voiced it ("Trump made the
    claim that …")."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None and noun.dep_ in ("dobj", "nsubjpass") and noun.head.pos_ in ("VERB", "AUX"):
        owner = _subject_of(noun.head)
    return owner


def _before_quoted_part(doc: Doc, start: int, mark: int) -> int:
    """End of a reported clause cut before its coordinated or adverbial part that holds a quote
    ("he respects her and calls her "a friend""), or ``start`` when no such part exists."""
    toks = _tokens_in(doc, mark, mark + 1)
    if not toks:
        return start
    node = toks[0]
    for _ in range(8):
        if node.dep_ in ("conj", "advcl", "parataxis") and node.left_edge.idx > start:
            i = node.left_edge.i - 1
            while i >= 0 and doc[i].idx >= start and (doc[i].is_punct or doc[i].dep_ == "cc" or doc[i].is_space):
                i -= 1
            return doc[i].idx + len(doc[i]) if i >= 0 and doc[i].idx >= start else start
        if node.head is node or node.head.idx < start:
            break
        node = node.head
    return start


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
        framed = subj if real is False and unit.kind == "partial" and _is_cue(unit.cue) else None
        subj = None if real is False else real
        unit.speaker_tokens = [subj] if subj is not None else []  # what the classifier reads
        # 'the piece goes on to slam "…"': what a cue frames in marks is its subject's, even one
        # our lists do not name a source
        subj = framed or subj
    at = unit.cue.idx if unit.cue is not None else first.start
    outer = _according_to_outer(doc, unit, bounds, quoted)
    if outer is not None:  # "…," Lee said, according to the Times: the Times reports it
        subj, at = outer, outer.idx
        unit.speaker_tokens = [outer]  # its role too is the outlet's
    name, written, label = speakers.resolve(subj, at)
    speaker_rule = "according_to_outer" if outer is not None and name else speakers.rule
    cue = unit.cue_text
    if unit.weak_speaker and not label:
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


def _according_to_outer(doc: Doc, unit: _Unit, bounds: list[tuple[int, int]], quoted: list[_Marked]) -> Token | None:
    """The source of an "according to X" in the narrator's words of a quote's sentence when the
    quote's cue is another verb ('"…," Lee said, according to the Times'): X reports the quote, and
    X is its source (how PolNeAR credits second-hand quotes: the outlet, transcript or letter)."""
    if unit.cue is None or unit.cue_text == "according to":
        return None
    text = _doc_text(doc)
    first, last = unit.parts[0], unit.parts[-1]
    lo, hi = _window_before(text, first, bounds[_paragraph_of(bounds, first.start)][0], quoted)
    windows = [(lo, hi)]
    windows += [(a.close_mark, b.open_mark) for a, b in zip(unit.parts, unit.parts[1:], strict=False)]
    windows.append(_window_after(text, last, bounds[_paragraph_of(bounds, last.start)][1], quoted))
    for lo, hi in windows:
        for tok in _tokens_in(doc, lo, hi):
            source = _according_to(tok) if not _inside(tok, quoted) else None
            if source is not None and not _inside(source, quoted) and _can_speak(source) and source.pos_ in ("NOUN", "PROPN"):
                return source
    return None


def _without_aside(doc: Doc, verb: Token, start: int, end: int) -> str:
    """The reported text between ``start`` and ``end`` without its own attribution when that sits
    inside it ("The plan, she said, works" reads "The plan … works"), and without the narrator's
    relative clauses set off by commas or dashes inside it ("Lee, who chairs the board, will
    resign" reads "Lee … will resign"): those say who someone is, not what was said."""
    text = _doc_text(doc)
    cuts = []
    lo, hi = verb.left_edge.idx, verb.right_edge.idx + len(verb.right_edge)
    if start < lo < hi < end:
        cuts.append((lo, hi))
    cuts += _inner_asides(doc, start, end)
    if not cuts:
        return text[start:end]
    pieces, pos = [], start
    for lo, hi in sorted(cuts):
        if lo < pos:  # inside a cut already made
            pos = max(pos, hi)
            continue
        pieces.append(text[pos:lo])
        pos = hi
    pieces.append(text[pos:end])
    marks = " ,—–-"
    pieces = [p.lstrip(marks) if i else p for i, p in enumerate(pieces)]
    pieces = [p.rstrip(marks) if i < len(pieces) - 1 else p for i, p in enumerate(pieces)]
    return " … ".join(p for p in pieces if p.strip())


def _inner_asides(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """Char spans of the non-restrictive relative clauses (", who …,", "— which … —") lying
    wholly inside ``start``–``end``, with the marks around them."""
    found = []
    for tok in _tokens_in(doc, start, end):
        if tok.dep_ != "relcl" or tok.left_edge.tag_ not in ("WP", "WDT", "WP$"):
            continue
        before, after = tok.left_edge.i - 1, tok.right_edge.i + 1
        if before < 0 or after >= len(doc) or doc[before].text not in _ASIDE_MARKS or doc[after].text not in _ASIDE_MARKS:
            continue
        if doc[before].idx <= start or doc[after].idx + 1 >= end:
            continue
        found.append((doc[before].idx, doc[after].idx + len(doc[after])))
    return found


def _joined(text: str, parts: list[_Marked]) -> str:
    """The parts of a quote split by its attribution, with a visible "…" where narration was cut
    (``"A," she said, "B."`` reads "A … B."); parts already ending or starting with an
    ellipsis keep theirs."""
    out = text[parts[0].start : parts[0].end]
    for m in parts[1:]:
        piece = text[m.start : m.end]
        cut = not out.rstrip().endswith(("…", "...")) and not piece.lstrip().startswith(("…", "..."))
        out += (" … " if cut else " ") + piece
    return out


# ---------------------------------------------------------------------------------------------
# Sources, negation, features


_GROUP_SPEAKERS = frozenset({"officials"})
_SPEECH_VERBS = _FRAMES.speech_verbs  # whoever does these speaks ("the mogul said"; "officials said" stays "officials")
_ORG_HEADS = frozenset(
    """administration campaign government team office committee staff camp party foundation""".split()
)  # "the Biden administration", "Clinton's campaign": the body, not the person it is named for


def _described_org(head: Token) -> bool:
    """``head`` is a body named for a person ("the Biden administration", "Trump's campaign")."""
    if head.pos_ != "NOUN" or head.lemma_.lower() not in _ORG_HEADS:
        return False
    return any(
        c.dep_ in ("compound", "poss") and (c.ent_type_ == "PERSON" or c.pos_ == "PROPN") for c in head.children
    )


def source_kind(tok: Token) -> str:
    """What kind of source a speaker token is: "pronoun", "PERSON", "ORG", "NORP", "GPE",
    "name" (a proper noun without an entity label), a noun class from the lexicon ("person",
    "group", "document"), or "" when it is no source (an event, feeling, date or abstract noun:
    "fears", "the release", "Friday")."""
    lex = load_lexicon()
    if tok.pos_ == "PRON" or tok.lower_ in _PRONOUNS_PERSON | _PRONOUNS_GROUP:
        return "pronoun"
    if tok.ent_type_ in _NOT_SPEAKERS and not _is_age(tok):
        return ""
    if tok.ent_type_ in ("PERSON", "ORG", "NORP"):
        return tok.ent_type_
    if tok.ent_type_ in ("GPE", "LOC", "FAC"):
        return "GPE"
    if tok.pos_ == "PROPN" or (tok.text[:1].isupper() and not tok.is_sent_start and tok.pos_ != "NOUN"):
        return "name"
    if _is_age(tok) or tok.tag_ in ("WP", "WDT"):
        return "person"
    lemma = tok.lemma_.lower()
    found = lex.source_class(lemma) or lex.source_class(tok.lower_)
    if found:
        return found
    if tok.pos_ == "NOUN" and len(lemma) > 5 and lemma.endswith(lex.person_suffixes) and not lemma.endswith(
        ("ment", "ness", "tion", "sion", "ance", "ence", "ity")
    ):
        return "person"  # "strategist", "historian", "organizer"
    if tok.pos_ in ("NUM", "DET") or tok.lower_ in ("many", "some", "others", "few", "most", "both", "all"):
        return "person"  # "many said", "some argued"
    return ""


def _real_source(cue: Token, subj: Token | None, rule: str) -> Token | None | bool:
    """The source of ``cue`` when its subject is none ("Fears … prompted Blinken to emphasise":
    Blinken, who was made to speak; "the release … underscored": no source, ``False``).
    ``subj`` itself when it is a source, None when there is no subject at all."""
    if subj is None:
        return None
    kind = source_kind(subj)
    if kind == "GPE" and rule in ("stance_object", "stance_preposition", "intention") and _lemma(cue) not in REPORTING_VERBS:
        kind = ""  # "Virginia voted for …", "Ukraine attacked …": a place acting, not speaking
    if kind or (
        subj.pos_ in ("NOUN", "PROPN") and subj.dep_ != "nsubjpass" and _lemma(cue) in _SPEECH_VERBS and subj.i < cue.i + 4
    ):
        return subj  # whoever "said" or "told" is a source, even one our lists do not name
    if rule == "according_to" and subj.pos_ in ("NOUN", "PROPN") and _can_speak(subj):
        return subj  # "according to the polling average": what follows "according to" is a source
    node = cue
    for _ in range(3):  # "X prompted / led / forced Y to say": Y
        if node.dep_ != "xcomp" or node.head is node:
            break
        obj = next((c for c in node.head.children if c.dep_ in ("dobj", "dative") and c.i < node.i), None)
        if obj is not None and source_kind(obj) not in ("", "GPE"):
            return obj
        node = node.head
    return False


def _negated(cue: Token) -> bool:
    """Negated or withheld speech: "did not say", "declined to comment on", "would not
    elaborate", "refused to confirm"; the cue's own negation or a refusal governing it."""
    lex = load_lexicon()
    if any(c.dep_ == "neg" for c in cue.children):
        return True
    if cue.pos_ == "ADJ" and any(c.dep_ == "neg" for c in cue.head.children):
        return True  # "was not confident that …"
    if cue.dep_ == "xcomp" and _lemma(cue.head) in lex.refusal_verbs:
        return True
    if _lemma(cue) in lex.refusal_verbs:
        xcomp = next((c for c in cue.children if c.dep_ == "xcomp"), None)
        return xcomp is not None and _lemma(xcomp) in lex.withheld_speech
    return False


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


_OPENING_WORDS = frozenset("that if whether to what how why who which when where".split())


def _bucket(n: int) -> int:
    """0, 1, 2, 3, 5, 8, 13, 21, 34, 55 …: the smallest step ≥ ``n``."""
    for step in (0, 1, 2, 3, 5, 8, 13, 21, 34, 55):
        if n <= step:
            return step
    return 89
