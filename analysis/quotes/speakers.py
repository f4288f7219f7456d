"""Who speaks: the subject of a cue, and the canonical name it resolves to.

``_subject_of`` finds the speaker token of a cue (through conjunctions, relative pronouns,
inversion and passive agents); ``_Speakers`` resolves it to a canonical entity through the
mentions (pronouns to the most recent fitting speaker); ``source_kind`` and ``_real_source`` say
whether a subject is a source at all.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter

from spacy.tokens import Doc, Token

from analysis.model import Mention
from analysis.quotes.cues import (
    _FRAMES,
    _INTENTION_VERBS,
    _LISTENER_VERBS,
    _STANCE_VERBS,
    _SUBJECT_DEPS,
    REPORTING_VERBS,
    _is_cue,
    _lemma,
    _passive_content,
    _says_what_it_is,
    _verb_chain,
)
from analysis.quotes.lexicon import load_lexicon
from analysis.quotes.marks import _doc_text, _inside, _Marked, _tokens_in

__all__ = ["mentions_from_ents", "source_kind"]


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


def _subject_of(verb: Token, quoted: list[_Marked] | None = None) -> Token | None:
    """The subject of ``verb``, looking through conjunctions, relative pronouns and inversion;
    never a word inside ``quoted`` (the parser may take the quote's own subject)."""
    chain = _verb_chain(verb)
    if verb.tag_ == "VBN" and verb.dep_ in ("advcl", "acl") and not any(c.dep_ in _SUBJECT_DEPS for c in verb.children):
        agents = [o for c in verb.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"]
        if agents and _can_speak(agents[0]) and not (quoted and _inside(agents[0], quoted)):
            return agents[0]  # "Asked by Lee whether …, Ruiz said": Lee asked
    for v in chain:
        if v is not chain[-1] and _says_what_it_is(v):
            continue  # its "it" is what was spoken of
        subjects = [
            c for c in v.children
            if c.dep_ in _SUBJECT_DEPS and _can_speak(c) and not (quoted and _inside(c, quoted))
        ]  # fmt: skip
        if len(subjects) > 1:  # "WASHINGTON (AP) — A spokesman … said": the nearest
            before = [c for c in subjects if c.i < v.i]
            after = [c for c in subjects if v.i < c.left_edge.i <= v.i + 2]
            if after and before and v.doc[v.i - 1].is_punct and not source_kind(before[-1]) and source_kind(after[0]):
                subjects = after[:1]  # "The closure marks …, said Ann Lee": the one that can speak
            else:
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
    # inverted order ("…," said the senator): first noun after the verb, if not its object (nor
    # the one named, "called Lee “a liar”"), nor in a phrase of its own ("said in a statement",
    # "said when Lee asked"), nor a listener ("tells Radio Nord")
    for tok in verb.doc[verb.i + 1 : min(verb.i + 4, len(verb.doc))]:
        if tok.is_punct or tok.dep_ in ("dative", "dobj", "oprd") or tok.pos_ in ("ADP", "SCONJ") or tok.tag_ == "WRB":
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
        if _name_as_modal(prev, verb):
            return prev  # '…," Will wrote': the name taken for a modal
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


def _name_as_modal(tok: Token, verb: Token) -> bool:
    """A capitalised modal right before a past or -s form is a name the tagger read as a modal
    ("Will wrote", "Will describes"): no modal takes those forms."""
    return (
        tok.tag_ == "MD" and tok.text[:1].isupper() and tok.i + 1 == verb.i and tok.head.i == verb.i
        and verb.tag_ in ("VBD", "VBN", "VBZ")
    )


def _can_speak(tok: Token) -> bool:
    """Not a date, number or amount; "the 46-year-old" is a person despite its DATE label, "one
    of the advisers" one of them despite its CARDINAL, and the share of a poll that "said" so
    ("21 percent said") part of those asked."""
    return tok.ent_type_ not in _NOT_SPEAKERS or _is_age(tok) or _one_of(tok) or _share_of(tok)


def _one_of(tok: Token) -> bool:
    """``one`` of "one of those advisers" (a number taking a group: part of it)."""
    return tok.pos_ == "NUM" and any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children)


def _share_of(tok: Token) -> bool:
    """``percent`` of "21 percent said …" as a subject: the share of those polled."""
    return tok.ent_type_ == "PERCENT" and tok.lower_ in ("percent", "%") and tok.dep_ == "nsubj"


def _is_age(tok: Token) -> bool:
    """``old`` of "the 46-year-old" (a person named by their age)."""
    return tok.lower_ in ("old", "olds") and tok.i >= 2 and tok.doc[tok.i - 2].lower_ in ("year", "years")


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
            and not _common_non_source(doc, m)
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
            if tok.pos_ == "PROPN" or _name_as_modal(tok, tok.head):
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
            if (
                m.start < at and m.label in labels and not m.demonym and self._fits(m.entity, gender)
                and not _common_non_source(self.doc, m)
            ):
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


def _common_non_source(doc: Doc, m: Mention) -> bool:
    """A mention the entity recogniser labelled though it is a common noun that cannot speak
    ("Anger among traders …"): never the antecedent of a later "it" or "she"."""
    toks = _tokens_in(doc, m.start, m.end)
    return len(toks) == 1 and toks[0].pos_ == "NOUN" and not _noun_class(toks[0])


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


def _noun_class(tok: Token) -> str:
    """The lexicon's class of a common noun that can speak ("person", "group", "document"), a
    person by its ending ("strategist", "historian", "organizer"), else ""."""
    lex = load_lexicon()
    lemma = tok.lemma_.lower()
    found = lex.source_class(lemma) or lex.source_class(tok.lower_)
    if found:
        return found
    if tok.pos_ == "NOUN" and len(lemma) > 5 and lemma.endswith(lex.person_suffixes) and not lemma.endswith(
        ("ment", "ness", "tion", "sion", "ance", "ence", "ity")
    ):
        return "person"
    return ""


def source_kind(tok: Token) -> str:
    """What kind of source a speaker token is: "pronoun", "PERSON", "ORG", "NORP", "GPE",
    "name" (a proper noun without an entity label), a noun class from the lexicon ("person",
    "group", "document"), or "" when it is no source (an event, feeling, date or abstract noun:
    "fears", "the release", "Friday")."""
    if tok.pos_ == "PRON" or tok.lower_ in _PRONOUNS_PERSON | _PRONOUNS_GROUP:
        return "pronoun"
    if _share_of(tok):
        return "group"  # "21 percent said": those polled
    if tok.ent_type_ in _NOT_SPEAKERS and not _is_age(tok) and not _one_of(tok):
        return ""  # "One of them" is a person despite its CARDINAL
    if tok.ent_type_ in ("PERSON", "ORG", "NORP"):
        return tok.ent_type_
    if tok.ent_type_ in ("GPE", "LOC", "FAC"):
        return "GPE"
    if tok.pos_ == "PROPN" or (tok.text[:1].isupper() and not tok.is_sent_start and tok.pos_ != "NOUN"):
        return "name"
    if _is_age(tok) or tok.tag_ in ("WP", "WDT"):
        return "person"
    found = _noun_class(tok)
    if found:
        return found
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
        subj.pos_ in ("NOUN", "PROPN") and subj.dep_ != "nsubjpass" and _lemma(cue) in _SPEECH_VERBS and subj.left_edge.i < cue.i + 4
    ):
        return subj  # whoever "said" or "told" is a source, even one our lists do not name
        # (after the cue, a phrase starting right after it: "said the New York businessman")
    if rule == "according_to" and subj.pos_ in ("NOUN", "PROPN") and _can_speak(subj):
        return subj  # "according to the polling average": what follows "according to" is a source
    return _controller(cue) or False


def _controller(cue: Token) -> Token | None:
    """The object that does what ``cue`` says when ``cue`` is the complement of a verb with an
    object ("X prompted / led / forced Y to say": Y, whatever X is), if it is a source."""
    node = cue
    for _ in range(4):
        if node.head.i == node.i or node.dep_ not in ("xcomp", "advcl", "conj"):
            break
        if node.dep_ == "xcomp":  # an adverbial clause or a conjunct shares its verb's subject: go on up
            obj = next((c for c in node.head.children if c.dep_ in ("dobj", "dative") and c.i < node.i), None)
            if obj is not None and source_kind(obj) not in ("", "GPE"):
                return obj
        node = node.head
    return None
