"""The role an article gives each speaker, read from how it describes them.

Roles: ``official`` (officials and politicians), ``spokesperson``, ``expert`` (experts and
academics), ``witness`` (witnesses and citizens), ``anonymous`` (unnamed sources),
``organisation``, ``document`` (documents and media); "" when the article does not say.

A named person's role comes from every description of them in the article: the title before the
name ("Secretary of State Antony Blinken", "Sen. Ann Lee"), an apposition ("Ann Lee, a professor
at …"), a description used as the speaker ("the Florida senator") or a predicate ("Lee is a
spokeswoman for …"). An unnamed speaker's role comes from the phrase itself ("a source familiar
with the negotiations": anonymous; "officials": official).

>>> role_of_words(["a", "spokeswoman", "for", "the", "agency"])
'spokesperson'
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from analysis.model import Mention, Quote
from analysis.quotes.lexicon import Lexicon, load_lexicon

__all__ = ["ROLES", "assign_roles", "role_of_words"]

ROLES: tuple[str, ...] = ("official", "spokesperson", "expert", "witness", "anonymous", "organisation", "document")
# Description words decide in this order: "a spokesman for the senator" is a spokesperson, "a
# professor and former senator" an expert quoted for expertise.
_ORDER = ("spokesperson", "expert", "official", "witness")
_WORD = re.compile(r"[a-z][a-z'-]*")
_TITLE_ABBREVIATIONS = {"sen": "senator", "rep": "representative", "gov": "governor", "gen": "general", "prof": "professor", "dr": "doctor"}


def role_of_words(words: list[str], lexicon: Lexicon | None = None) -> str:
    """The first role (in ``_ORDER``) whose description words occur in ``words``, else ""."""
    lex = lexicon or load_lexicon()
    lowered = [_TITLE_ABBREVIATIONS.get(w.lower().rstrip("."), w.lower()) for w in words]
    text = " ".join(lowered)
    if "press secretary" in text or "press officer" in text:
        return "spokesperson"
    if "attorney general" in text or "attorney-general" in text:
        return "official"
    for role in _ORDER:
        if any(w in lex.roles[role] for w in lowered):
            return role
    if any(w.endswith(("ologist", "ist", "ician")) and w not in lex.roles["official"] for w in lowered if len(w) > 5):
        return "expert"  # "chemist", "pediatrician", "sociologist": quoted for what they know
    return ""


def _descriptions(doc: Doc, mentions: list[Mention]) -> dict[str, list[str]]:
    """Words describing each PERSON entity anywhere in ``doc``: titles, appositions, predicates."""
    out: dict[str, list[str]] = {}
    for m in mentions:
        if m.label != "PERSON":
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        words = out.setdefault(m.entity, [])
        head = span.root
        # titles and modifiers before the name inside its noun phrase ("Secretary of State Antony Blinken")
        words += [t.text for t in head.subtree if t.i < span.start and t.i >= head.left_edge.i]
        words += [t.text for t in doc[max(0, span.start - 4) : span.start] if t.pos_ in ("PROPN", "NOUN")
                  and t.text[:1].isupper()]  # fmt: skip
        for child in head.children:  # "Ann Lee, a professor at Ohio State", "Ann Lee, who lives …"
            if child.dep_ in ("appos", "relcl"):
                words += [t.text for t in child.subtree]
        if head.dep_ == "appos":  # "the agency's spokeswoman, Ann Lee"
            words += [t.text for t in head.head.subtree if not (span.start <= t.i < span.end)][:8]
        if head.dep_ == "nsubj" and head.head.lemma_ == "be":  # "Lee is a professor"
            words += [t.text for c in head.head.children if c.dep_ == "attr" for t in c.subtree]
    return out


def assign_roles(doc: Doc, quotes: list[tuple[Quote, Token | None]], mentions: list[Mention]) -> None:
    """Set ``role`` on every (quote, speaker head token) pair whose quote has a speaker."""
    lex = load_lexicon()
    described = _descriptions(doc, mentions)
    for q, head in quotes:
        if q.speaker:
            q.role = _role(doc, q, head, described, lex)


def _role(doc: Doc, q: Quote, head: Token | None, described: dict[str, list[str]], lex: Lexicon) -> str:
    written = q.speaker_text.split()
    if q.speaker_label == "PERSON" or (
        not q.speaker_label and head is not None and head.pos_ == "PROPN" and head.ent_type_ in ("", "PERSON")
    ):
        words = described.get(q.speaker, [])
        titles = [w for w in written + q.speaker.split() if w[:1].isupper()]
        found = role_of_words(titles, lex) or role_of_words(written, lex) or role_of_words(words, lex)
        if found:
            return found
        return "witness" if words else ""  # described, but by no title: a citizen ("who lives …")
    lemma = head.lemma_.lower() if head is not None and head.pos_ in ("NOUN", "PROPN") else ""
    kind = lex.source_class(lemma) if lemma else ""
    if kind == "document":
        return "document"
    if q.speaker_label in ("ORG", "GPE", "NORP") or kind == "group":
        return "organisation"
    if q.speaker_label == "" and _anonymous_here(doc, q, lex):
        return "anonymous"
    phrase = [t.text for t in head.subtree] if head is not None else written
    found = role_of_words(phrase, lex)
    if found:
        return found
    if lemma in lex.roles["anonymous"]:
        return "anonymous"  # "a source close to the campaign", "people familiar with …"
    return ""


def _anonymous_here(doc: Doc, quote: Quote, lex: Lexicon) -> bool:
    """Whether the quote's sentence says its source is unnamed; the sentence is found once (finding
    it walks the parse, which is slow in a very long paragraph)."""
    around = _sentence_text(doc, quote).lower()
    return any(cue in around for cue in lex.anonymous_cues)


def _sentence_text(doc: Doc, quote: Quote) -> str:
    """The narration around a quote's attribution (its sentence), for "familiar with", "anonymity"."""
    span = doc.char_span(quote.start, min(quote.end, len(doc.text)), alignment_mode="expand")
    if span is None:
        return ""
    sent = span[0].sent
    return doc.text[sent.start_char : max(sent.end_char, span.end_char)]
