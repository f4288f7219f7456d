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
from functools import cache

from spacy.tokens import Doc, Span, Token

from analysis.model import Mention, Quote
from analysis.outlets import known_outlets
from analysis.quotes.lexicon import Lexicon, load_lexicon

__all__ = ["ROLES", "assign_roles", "role_of_words"]

ROLES: tuple[str, ...] = ("official", "spokesperson", "expert", "witness", "anonymous", "organisation", "document")
# Description words decide in this order: "a spokesman for the senator" is a spokesperson, "a
# professor and former senator" an expert quoted for expertise. An honorific before a name ("Dr.",
# "Prof.") decides only when no description does: "Dr. Ann Lee, the agency's director of public
# health" speaks from her post.
_ORDER = ("spokesperson", "expert", "official", "witness")
_WORD = re.compile(r"[a-z][a-z'-]*")
_HONORIFICS = frozenset({"dr", "prof"})  # written before a name, shortened
# Word lists (titles, phrases, a lawyer's words, places of learning, body nouns): the lexicon's
# ``roles_words`` (analysis/resources/quote_lexicon_v4.json).

# Words that hold a post only as the head of their phrase ("the police chief", "the head of …",
# "a deputy"); before another description word that word decides ("the chief critic": a critic,
# "deputy editor", "principal investigator").
_MODIFIER_POSTS = frozenset({"chief", "head", "deputy", "principal"})
_POSSESSIVES = frozenset({"his", "her", "their", "its", "'s", "’s"})
_LINKS = frozenset({"of", "and", "for", "at", "to", "in", "on", "with", "from"})
_PUNCT = ".,;:'\"“”’()"


def role_of_words(words: list[str], lexicon: Lexicon | None = None, *, honorifics: bool = True) -> str:
    """The first role (in ``_ORDER``) whose description words occur in ``words``, else ""; an
    honorific ("Dr.", "Prof.") decides only when nothing else does, and never with
    ``honorifics=False`` (see ``_ORDER``).

    >>> role_of_words("Hal Penrose , the chief critic of the Ledger".split())
    'expert'
    """
    lex = lexicon or load_lexicon()
    kept = [w for w in words if not (w[:1].isupper() and w.lower().strip(_PUNCT) in _HONORIFICS)]
    found = _role_of(kept, lex)
    if not found and honorifics and len(kept) < len(words):
        found = _role_of(list(words), lex)
    return found


def _role_of(kept: list[str], lex: Lexicon) -> str:
    lowered = [lex.title_abbreviations.get(_bare(w), _bare(w)) for w in kept]
    text = " ".join(lowered)
    for role, phrases in lex.role_phrases.items():
        if any(p in text for p in phrases):
            return role
    for i, w in enumerate(lowered):
        if w in lex.counsel_words and (
            (i > 0 and (lowered[i - 1] in _POSSESSIVES or lowered[i - 1].endswith(("'s", "’s"))))
            or (i + 1 < len(lowered) and lowered[i + 1] in ("for", "representing"))
        ):
            return "spokesperson"  # "Fenwick's lawyer", "a lawyer for the family": speaks for a client
    listed = set().union(*(lex.roles[r] for r in _ORDER))
    for role in _ORDER:
        if any(w in lex.roles[role] for w in lowered):
            return role
    for i, w in enumerate(lowered):
        after = lowered[i + 1] if i + 1 < len(lowered) else ""
        if w in _MODIFIER_POSTS and (
            not after.isalpha() or after in _LINKS or (kept[i + 1][:1].isupper() and after not in listed)
        ):
            return "official"  # "the police chief", "the head of the agency", "Chief Ann Lee"
    if any(w.endswith(("ologist", "ist", "ician")) and w not in lex.roles["official"] for w in lowered if len(w) > 5):
        return "expert"  # "chemist", "pediatrician", "sociologist": quoted for what they know
    if any(w in lex.academic_places and "at" in lowered[max(0, i - 4) : i] for i, w in enumerate(lowered)) or "at a think tank" in text:
        return "expert"  # works "at" one: not "graduated from"
    return ""


def _bare(word: str) -> str:
    """``word`` in lower case without surrounding punctuation; a possessive "'s" stays."""
    low = word.lower()
    return low if low in _POSSESSIVES else low.strip(_PUNCT)


def _descriptions(doc: Doc, mentions: list[Mention]) -> dict[str, list[str]]:
    """Words describing each PERSON entity anywhere in ``doc``: titles, appositions, predicates."""
    out: dict[str, list[str]] = {}
    lex = load_lexicon()
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not (m.label == "PERSON" or (m.label == "ORG" and _looks_like_a_name(span, lex))):
            continue
        # a name the recogniser took for a body ("Ewan Pike, who chairs …") is also described
        # under its surname, which is how a later "Mr. Pike" is known
        words = out.setdefault(m.entity, []) if m.label == "PERSON" else out.setdefault(m.entity.split()[-1], [])
        words += _about(doc, span)
    return out


def _about(doc: Doc, span: Span) -> list[str]:
    """Words describing the name ``span``: titles, appositions, a relative clause, a predicate."""
    head = span.root
    # titles and modifiers before the name inside its noun phrase ("Secretary of State Antony Blinken")
    words = [t.text for t in head.subtree if t.i < span.start and t.i >= head.left_edge.i]
    words += [t.text for t in doc[max(0, span.start - 4) : span.start] if t.pos_ in ("PROPN", "NOUN")
              and t.text[:1].isupper()]  # fmt: skip
    for child in head.children:  # "Ann Lee, a professor at Ohio State", "Ann Lee, who lives …"
        if child.dep_ in ("appos", "relcl"):
            words += [t.text for t in child.subtree]
    if head.dep_ == "appos":  # "the agency's spokeswoman, Ann Lee"
        words += [t.text for t in head.head.subtree if not (span.start <= t.i < span.end)][:8]
    if head.dep_ == "nsubj" and head.head.lemma_ == "be":  # "Lee is a professor"
        words += [t.text for c in head.head.children if c.dep_ == "attr" for t in c.subtree]
    return words


def _looks_like_a_name(span: Span, lex: Lexicon) -> bool:
    """Two or three capitalised proper nouns not ending in a body's noun ("Maren Holt", not
    "Harbour Board" or "Chamber of Trade")."""
    return 2 <= len(span) <= 3 and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in span) and not _names_a_body(
        span[-1], lex
    )


def assign_roles(doc: Doc, quotes: list[tuple[Quote, Token | None]], mentions: list[Mention]) -> None:
    """Set ``role`` on every (quote, speaker head token) pair whose quote has a speaker."""
    lex = load_lexicon()
    described = _descriptions(doc, mentions)
    for q, head in quotes:  # the name at an attribution describes its person even when no mention covers it
        if head is not None and q.speaker_label == "PERSON" and head.pos_ == "PROPN":
            first = min([head.i] + [c.i for c in head.children if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN"])
            described.setdefault(q.speaker, []).extend(_about(doc, doc[first : head.i + 1]))
    group_role = ""  # the role of the last speaker named by a plural noun ("Officials …")
    known: dict[str, str] = {}  # speaker -> the role found for them earlier in the article
    for q, head in sorted(quotes, key=lambda pair: pair[0].start):
        if not q.speaker:
            continue
        q.role = _role(doc, q, head, described, lex)
        if not q.role and group_role == "anonymous" and _ONE_OF_THEM.match(q.speaker_text):
            q.role = "anonymous"  # "Officials who spoke on condition of anonymity …. One of them said"
        q.role = q.role or known.get(q.speaker, "")  # a speaker carried on from an earlier quote
        if head is not None and head.tag_ in ("NNS", "NNPS"):
            group_role = q.role
        if q.role:
            known.setdefault(q.speaker, q.role)


# a part of a group just named ("One of them", "another of those officials"): the group's role
_ONE_OF_THEM = re.compile(r"(?i)(one|another|some|several|two|three|many|most|all) of (them|those|these|the)\b")


def _role(doc: Doc, q: Quote, head: Token | None, described: dict[str, list[str]], lex: Lexicon) -> str:
    written = q.speaker_text.split()
    if q.speaker_label != "PERSON" and _is_media(head, q.speaker_text, lex):
        return "document"  # "the paper", "the state news agency", "The Coastal Courier"
    if q.speaker_label == "PERSON" or (
        not q.speaker_label and head is not None and head.pos_ == "PROPN" and head.ent_type_ in ("", "PERSON")
        and not _names_a_body(head, lex)
    ):
        words = described.get(q.speaker, []) + (described.get(q.speaker.split()[-1], []) if " " in q.speaker else [])
        titles = [w for w in written + q.speaker.split() if w[:1].isupper()]
        found = (
            role_of_words(titles, lex, honorifics=False)
            or role_of_words(written, lex, honorifics=False)
            or role_of_words(words, lex, honorifics=False)
            or role_of_words(titles, lex)  # "Dr. Lee", described by nothing else
        )
        if found:
            return found
        return "witness" if words else ""  # described, but by no title: a citizen ("who lives …")
    lemma = head.lemma_.lower() if head is not None and head.pos_ in ("NOUN", "PROPN") else ""
    kind = lex.source_class(lemma) if lemma else ""
    if kind == "document":
        return "document"
    if kind == "person" and head is not None and head.pos_ == "NOUN" and _anonymous_here(doc, q, lex):
        return "anonymous"  # "a State Department official who spoke on condition of anonymity" (an ORG speaker)
    body = head is not None and (_names_a_body(head, lex) or (head.pos_ == "NOUN" and lemma in lex.body_nouns))
    if q.speaker_label in ("ORG", "GPE", "NORP") or kind == "group" or body:
        # a person the entity recogniser took for a body ("A police spokeswoman, Carys Bell",
        # "City Councillor Bea Lindqvist"): the description word of the person decides
        person = role_of_words(_person_words(head, lex), lex) if head is not None else ""
        if person in ("", "witness") and q.speaker_label == "ORG" and head is not None and head.pos_ == "PROPN":
            # a name taken for a body but described as a person ("Ewan Pike, who chairs …")
            person = role_of_words(described.get(q.speaker.split()[-1], []), lex)
        return person if person not in ("", "witness") else "organisation"  # "Grid operator NorthPower": a body
    if q.speaker_label == "" and _anonymous_here(doc, q, lex):
        return "anonymous"
    phrase = [t.text for t in head.subtree] if head is not None else written
    found = role_of_words(phrase, lex)
    if found:
        return found
    if lemma in lex.roles["anonymous"]:
        return "anonymous"  # "a source close to the campaign", "people familiar with …"
    return ""


def _person_words(head: Token, lex: Lexicon) -> list[str]:
    """The words naming what the speaker is, not what it belongs to: the head noun, its
    compounds when the head is a name ("City Councillor Bea Lindqvist") and its appositions
    ("A police spokeswoman, Carys Bell"); never a possessive ("the Prime Minister's office") nor the
    compounds of a body's name ("the Justice Department")."""
    out: list[str] = []
    for tok in [head] + [c for c in head.children if c.dep_ == "appos"] + ([head.head] if head.dep_ == "appos" else []):
        if lex.source_class(tok.lemma_.lower()) in ("group", "document"):
            continue
        out.append(tok.text)
        if tok.pos_ == "PROPN" or lex.source_class(tok.lemma_.lower()) == "person":
            out += [c.text for c in tok.children if c.dep_ in ("compound", "flat", "amod") and c.i < tok.i]
    return out


def _names_a_body(head: Token, lex: Lexicon) -> bool:
    """A proper name ending in a body's noun ("The Ashcombe Chamber of Trade", "Harbour Board")."""
    last = head.lemma_.lower()
    return head.pos_ == "PROPN" and (lex.source_class(last) == "group" or last in lex.body_nouns)


def _is_media(head: Token | None, written: str, lex: Lexicon) -> bool:
    """Whether the speaker is news media (a ``document``): an outlet noun ("the paper"), an
    agency of news ("the state news agency"), a masthead ("The Coastal Courier") or a known
    outlet's name (``analysis/outlets.py``)."""
    name = re.sub(r"(?i)^the\s+", "", written.strip()).lower()
    if name and name in _outlet_names():
        return True
    if head is None:
        return False
    for tok in [head] + [c for c in head.children if c.dep_ == "appos"] + ([head.head] if head.dep_ == "appos" else []):
        lemma = tok.lemma_.lower()
        if tok.pos_ == "NOUN" and lemma in lex.media_nouns:
            return True
        if lemma in ("agency", "service") and any(c.lower_ in lex.media_agency_words for c in tok.children):
            return True
        if tok.pos_ == "PROPN" and tok.text in lex.mastheads and tok.i > 0 and tok.doc[tok.i - 1].pos_ == "PROPN":
            return True
    return False


@cache
def _outlet_names() -> frozenset[str]:
    """Lower-cased names and other names of well-known outlets, without a leading "the"."""
    return frozenset(re.sub(r"^the\s+", "", name) for name in known_outlets()[1])


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
