"""The content of a reported clause: which characters a cue reports.

A clause is the subtree of its head, trimmed, cut before a nested attribution, a new clause of
the narrator's or a line break, and without a trailing aside (", who …", ", the former governor");
``_without_aside`` also drops the narrator's asides inside it.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from analysis.quotes.cues import _SUBJECT_DEPS, _has_clause, _is_cue
from analysis.quotes.marks import _doc_text, _tokens_in

# Dependents that, set off by a comma or dash at the end of a clause, are the narrator's aside.
_ASIDE_DEPS = frozenset({"relcl", "appos"})
_ASIDE_MARKS = {",", "—", "–", "--", "-"}


def _clause_span(
    doc: Doc, head: Token, exclude: Token | None = None, *, min_tokens: int = 3
) -> tuple[int, int] | None:
    """Char span of ``head``'s subtree, trimmed, without the attribution ``exclude`` and cut
    before an attribution coordinated with it ("… and 4 in 10 said …" belongs to another speaker).
    A report subordinate to the clause stays in it: "she stayed away because she feared she would
    break down" is all what was said."""
    toks = list(head.subtree)
    if exclude is not None:
        toks = [t for t in toks if t.i < exclude.left_edge.i or t.i > exclude.right_edge.i]
    nested = [t.left_edge.i for t in toks if t.i > head.i and _is_cue(t) and _has_clause(t) and _coordinated(t, head)]
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


def _coordinated(tok: Token, head: Token) -> bool:
    """Whether ``tok`` hangs from ``head`` through a coordination ("works, and Lee said …")."""
    while tok.i != head.i and tok.head.i != tok.i:
        if tok.dep_ in ("conj", "parataxis") and tok.head.i == head.i:
            return True
        tok = tok.head
    return False


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


def _is_name(tok: Token) -> bool:
    """A proper name of someone: on its own it is a whole stance's content ("endorsed Cruz",
    "praised the union"). Not a place: "attacked Israel" or "hit the capital" is as often an act as a
    stance, and an analyst reading the quotes would take it for one."""
    if tok.ent_type_ in ("GPE", "LOC", "FAC"):
        return False
    return tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG", "NORP")


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
