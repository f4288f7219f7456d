"""Named entities: spaCy's NER mentions merged into canonical entities with aliases.

spaCy finds mentions ("the United States", "US", "Kowalczyk", "NHTSA", "Israeli"); this module
decides which of them name the same thing, in general rules that hold for any article:

- surface forms are trimmed of a leading "the", titles ("President", "Mr.") on people,
  possessive "'s" and stray punctuation, and a short table maps common country aliases
  ("US", "U.S.A.", "United States of America") to one name;
- a surname or first name alone joins the full name that holds it ("Biden" → "Joe Biden");
  a surname shared by two full names joins the nearest preceding one;
- an acronym joins its expansion ("NHTSA" ↔ "National Highway Traffic Safety Administration"),
  by initials or by a parenthetical definition ("Federal Bureau of Investigation (FBI)");
- a demonym ("Israeli", "Americans") links to its place when the article names the place;
  it is then counted in ``Entity.demonym_count``, not in ``Entity.count``;
- an entity's label is the majority of its mentions' labels ("Hamas" as ORG, not GPE).

Everything works on ``doc.ents`` of a parse the caller already has; nothing is re-parsed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from analysis.model import Entity, Mention

__all__ = [
    "ENTITY_LABELS",
    "PLACE_LABELS",
    "extract_entities",
    "canonical_lookup",
    "headline_entities",
    "normalise_name",
    "trimmed_span",
]

ENTITY_LABELS: frozenset[str] = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}
)
PLACE_LABELS: frozenset[str] = frozenset({"GPE", "LOC"})

# --- The small tables: every word list of this module lives here. -------------------------

# Keys are `_key()` forms (case-folded, dots removed).
COUNTRY_ALIASES: dict[str, str] = {
    "us": "United States",
    "usa": "United States",
    "united states": "United States",
    "united states of america": "United States",
    "america": "United States",
    "uk": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "united kingdom": "United Kingdom",
    "eu": "European Union",
    "european union": "European Union",
    "un": "United Nations",
    "united nations": "United Nations",
    "uae": "United Arab Emirates",
    "united arab emirates": "United Arab Emirates",
    "prc": "China",
    "people's republic of china": "China",
    "ussr": "Soviet Union",
    "soviet union": "Soviet Union",
}

# Demonyms the suffix rule below cannot derive; the value is looked up among the article's places.
DEMONYMS: dict[str, str] = {
    "american": "United States",
    "british": "United Kingdom",
    "briton": "United Kingdom",
    "english": "England",
    "scottish": "Scotland",
    "welsh": "Wales",
    "irish": "Ireland",
    "french": "France",
    "german": "Germany",
    "dutch": "Netherlands",
    "spanish": "Spain",
    "danish": "Denmark",
    "swedish": "Sweden",
    "finnish": "Finland",
    "norwegian": "Norway",
    "swiss": "Switzerland",
    "belgian": "Belgium",
    "greek": "Greece",
    "peruvian": "Peru",
    "filipino": "Philippines",
    "thai": "Thailand",
    "saudi": "Saudi Arabia",
    "emirati": "United Arab Emirates",
    "afghan": "Afghanistan",
    "argentine": "Argentina",
    "european": "Europe",
    "soviet": "Soviet Union",
}

# Regular demonyms: suffix → endings that turn the stem back into the place name
# ("Syrian" → "Syr" + "ia", "Israeli" → "Israel", "Lebanese" → "Leban" + "on").
DEMONYM_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ese", ("", "a", "on", "al", "o")),
    ("ian", ("ia", "", "e", "a", "y")),
    ("ish", ("ey", "istan", "and")),
    ("an", ("a", "", "o", "y")),
    ("i", ("", "a")),
)

# Leading words of a PERSON span that are titles, not names ("Secretary of State Antony Blinken").
TITLES: frozenset[str] = frozenset(
    """mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend fr father sister
    president vice prime minister secretary state foreign defense defence home interior
    senator sen rep representative congressman congresswoman gov governor mayor judge justice
    chief general gen attorney col colonel capt captain lt lieutenant sgt sergeant major adm
    admiral officer detective inspector coach pope king queen prince princess ambassador
    chancellor ceo chairman chairwoman chair director commissioner sheriff speaker leader
    premier president-elect former late""".split()
)
CONNECTORS: frozenset[str] = frozenset({"of", "the", "and", "for", "&"})
# Company-form suffixes: "Boeing Co." is "Boeing".
ORG_SUFFIXES: frozenset[str] = frozenset(
    "inc incorporated corp corporation co company ltd limited llc plc group holdings ag sa nv".split()
)
_KEEP_DOT = re.compile(r"(?:\b[A-Za-z]\.)+$|\b(?:Inc|Corp|Co|Ltd|Jr|Sr|St|Bros|No)\.$")
_ACRONYM = re.compile(r"^[A-Z](?:[A-Za-z&]\.?){1,7}$")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")

# --- Normalisation ----------------------------------------------------------------------


def _key(text: str) -> str:
    """Matching key: case-folded, dots removed, curly apostrophes straightened, spaces collapsed."""
    return " ".join(text.replace(".", "").replace("’", "'").casefold().split())


def _is_title(word: str) -> bool:
    return word.rstrip(".").casefold() in TITLES


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(_ACRONYM.match(text)) and sum(c.isupper() for c in letters) * 2 >= len(letters) >= 2


def trimmed_span(span: Span) -> tuple[int, int] | None:
    """Token bounds of ``span`` without a leading "the", punctuation, possessive "'s" and, for
    people, leading titles; None when nothing is left. Works on tokens so offsets stay exact."""
    start, end = span.start, span.end
    doc = span.doc
    end = next((t.i for t in span if t.text == "("), end)
    while start < end and (doc[start].is_punct or doc[start].lower_ == "the"):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in ("'s", "’s", "'", "’")):
        end -= 1
    if span.label_ == "PERSON":
        titled = False
        while end - start > 1 and (
            _is_title(doc[start].text) or (titled and doc[start].lower_ in CONNECTORS)
        ):
            titled = True
            start += 1
    return (start, end) if start < end else None


def normalise_name(text: str, *, person: bool = False) -> str:
    """The canonical form of a name as written: "the U.S.'s" → "United States",
    "Mr. Biden" → "Biden" (with ``person``), "the Pentagon," → "Pentagon"."""
    text = " ".join(text.replace("’", "'").split())
    text = re.sub(r"^(?:[\"'(\[“‘]+|the\s+)+", "", text, flags=re.IGNORECASE)
    while True:
        stripped = re.sub(r"(?<=[\w.])'s?$|[\"',;:!?)\]”’-]+$", "", text).rstrip()
        if stripped.endswith(".") and not _KEEP_DOT.search(stripped):
            stripped = stripped[:-1].rstrip()
        if stripped == text:
            break
        text = stripped
    if person:
        words = text.split()
        titled = False
        while len(words) > 1 and (_is_title(words[0]) or (titled and words[0].lower() in CONNECTORS)):
            titled = True
            words.pop(0)
        text = " ".join(words)
    return COUNTRY_ALIASES.get(_key(text), text)


def _initials(name: str) -> set[str]:
    """Acronyms a name may have: initials of its capitalised words (skipping of/the/and/for),
    and of all its words; hyphenated parts count as words."""
    words = [w for w in re.split(r"[\s-]+", name) if w and w[0].isalpha()]
    capital = "".join(w[0] for w in words if w.casefold() not in CONNECTORS and w[0].isupper())
    every = "".join(w[0] for w in words)
    return {capital.upper(), every.upper()} - {""}


def _demonym_places(text: str) -> list[str]:
    """Place names a demonym may stand for, most likely first: "Israelis" → ["Israel", ...]."""
    word = " ".join(text.split())
    singular = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
    places = []
    for form in dict.fromkeys((word, singular)):
        if form.casefold() in DEMONYMS:
            places.append(DEMONYMS[form.casefold()])
        for suffix, endings in DEMONYM_SUFFIXES:
            if form.endswith(suffix) and len(form) - len(suffix) >= 3:
                stem = form[: -len(suffix)]
                places.extend(stem + ending for ending in endings)
    return [COUNTRY_ALIASES.get(_key(p), p) for p in places]


# --- Grouping ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Raw:
    """One kept mention before merging."""

    text: str
    name: str  # normalised
    label: str
    start: int
    end: int
    sentence: int


@dataclass(slots=True)
class _Group:
    """Mentions that share a normalised name (case-insensitively)."""

    key: str
    mentions: list[_Raw] = field(default_factory=list)

    name: str = ""  # the most frequent form, the first on ties; set once all mentions are in

    @property
    def is_person(self) -> bool:
        """Most of its mentions are labelled PERSON (a title before a name counts as PERSON)."""
        votes = Counter(m.label == "PERSON" for m in self.mentions)
        return votes[True] >= votes[False] and votes[True] > 0

    @property
    def may_be_surname(self) -> bool:
        """A one-word name spaCy labelled PERSON, or something else only once: a single odd
        label on a surname is a tagging slip, a repeated one ("Ford" the company) is not."""
        others = sum(m.label != "PERSON" for m in self.mentions)
        return len(self.name.split()) == 1 and (self.is_person or others < 2)


def _majority(values: Iterable[str]) -> str:
    """The most frequent value, the first seen on ties."""
    counts: Counter[str] = Counter(values)
    return max(counts, key=lambda value: counts[value]) if counts else ""


def _raw_mentions(doc: Doc) -> tuple[list[_Raw], dict[str, str]]:
    """Kept mentions in order, and the acronyms defined in parentheses ("… (FBI)") → expansion."""
    sent_starts = [s.start for s in doc.sents]
    raws: list[_Raw] = []
    definitions: dict[str, str] = {}
    acronyms: dict[str, str] = {}  # defined in parentheses → label of the expansion

    def keep(start: int, end: int, label: str, titled: bool) -> _Raw | None:
        span = doc[start:end]
        name = normalise_name(span.text, person=label == "PERSON")
        if not name:
            return None
        raw = _Raw(
            text=span.text,
            name=name,
            label="PERSON" if titled else label,
            start=span.start_char,
            end=span.end_char,
            sentence=max(bisect_right(sent_starts, start) - 1, 0),
        )
        raws.append(raw)
        return raw

    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS or (bounds := trimmed_span(ent)) is None:
            continue
        start, end = bounds
        before = doc[ent.start - 1] if ent.start > 0 else None
        titled = (before is not None and before.is_title and _is_title(before.text)) or (
            ent.label_ == "PERSON" and start > ent.start
        )
        raw = keep(start, end, ent.label_, titled)
        after = doc[end : end + 3]
        if (
            raw is not None
            and len(after) == 3
            and after[0].text == "("
            and after[2].text == ")"
            and _is_acronym(after[1].text)
            and after[1].text[0].upper() == raw.name[0].upper()
        ):
            definitions[_key(after[1].text)] = _key(raw.name)
            acronyms[after[1].text] = ent.label_
    raws.extend(_missed_names(doc, raws, acronyms, sent_starts))
    raws.sort(key=lambda r: r.start)
    return raws, definitions


def _missed_names(
    doc: Doc, raws: list[_Raw], acronyms: dict[str, str], sent_starts: list[int]
) -> list[_Raw]:
    """Tokens outside every entity that are the surname of a person the article names in full
    ("Smith scored" after "Marcus Smith") or an acronym it defines ("(ADNOC)"): spaCy's small
    model misses many of these repeats."""
    labels = {
        words[-1]: "PERSON"
        for r in raws
        if r.label == "PERSON" and len(words := r.name.split()) > 1 and words[-1][:1].isupper()
    }
    labels.update(acronyms)
    covered = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    return [
        _Raw(
            text=t.text,
            name=t.text,
            label=labels[t.text],
            start=t.idx,
            end=t.idx + len(t.text),
            sentence=max(bisect_right(sent_starts, t.i) - 1, 0),
        )
        for t in doc
        if t.text in labels and t.i not in covered
    ]


class _Union:
    """Union-find over group keys; the root is the group the others joined (the expansion, the full name)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        root = self.parent.setdefault(key, key)
        while root != self.parent[root]:
            root = self.parent[root]
        self.parent[key] = root
        return root

    def join(self, key: str, into: str) -> None:
        self.parent[self.find(key)] = self.find(into)


def _words(name: str) -> list[str]:
    return [w.casefold().rstrip(".") for w in _WORD.findall(name)]


def _join_acronyms(groups: dict[str, _Group], definitions: dict[str, str], union: _Union) -> None:
    """Acronym groups join their expansion: a parenthetical definition first, else initials."""
    by_initials: dict[str, list[str]] = defaultdict(list)
    for key, group in groups.items():
        if len(group.name.split()) > 1:
            for initials in _initials(group.name):
                by_initials[initials].append(key)
    for key, group in groups.items():
        if not _is_acronym(group.name):
            continue
        acronym = group.name.replace(".", "").upper()
        target = definitions.get(key)
        if target is None:
            candidates = by_initials.get(acronym, [])
            if candidates:
                target = max(candidates, key=lambda k: len(groups[k].mentions))
        if target is not None and target in groups and target != key:
            union.join(key, target)


def _join_org_short_forms(groups: dict[str, _Group], union: _Union) -> None:
    """ "Boeing" joins "Boeing Co." when the longer name is the short one plus a company suffix."""
    for key, group in groups.items():
        if group.is_person or len(group.name.split()) < 2:
            continue
        words = group.name.split()
        while len(words) > 1 and words[-1].rstrip(".,").casefold() in ORG_SUFFIXES:
            words.pop()
        short = _key(" ".join(words))
        if short != key and short in groups and not groups[short].is_person:
            union.join(short, key)


def _join_people(groups: dict[str, _Group], union: _Union) -> dict[int, str]:
    """Short person names join the full names holding them as words. Returns, for mentions of
    ambiguous short names (a surname two full names share), mention start → chosen group key."""
    people = {k: g for k, g in groups.items() if g.is_person}
    by_word: dict[str, list[str]] = defaultdict(list)
    for key, group in people.items():
        for word in set(_words(group.name)):
            by_word[word].append(key)
    per_mention: dict[int, str] = {}
    shorts = {k: g for k, g in groups.items() if g.is_person or g.may_be_surname}
    for key, group in shorts.items():
        words = _words(group.name)
        if not words:
            continue
        candidates = [
            k
            for k in by_word[words[0]]
            if k != key and len(_words(people[k].name)) > len(words)
            and set(words) <= set(_words(people[k].name))
            and (group.is_person or _words(people[k].name)[-1] == words[0])
        ]
        if not candidates:
            continue
        longest = max(candidates, key=lambda k: (len(_words(people[k].name)), len(people[k].mentions)))
        longest_words = set(_words(people[longest].name))
        if all(set(_words(people[k].name)) <= longest_words for k in candidates):
            union.join(key, longest)
            continue
        # Shared by several people: each mention joins the nearest full name before it (or after).
        full_mentions = sorted((m.start, k) for k in candidates for m in people[k].mentions)
        starts = [s for s, _ in full_mentions]
        for m in group.mentions:
            i = bisect_right(starts, m.start) - 1
            per_mention[m.start] = full_mentions[i if i >= 0 else 0][1]
    return per_mention


def extract_entities(doc: Doc) -> tuple[list[Entity], list[Mention]]:
    """Canonical entities and their mentions in a parsed article body.

    Offsets index ``doc.text``; ``Mention.sentence`` indexes ``list(doc.sents)``. Entities come
    sorted by ``count`` (demonyms excluded) descending, then by name.
    """
    raws, definitions = _raw_mentions(doc)
    groups: dict[str, _Group] = {}
    for raw in raws:
        key = _key(raw.name)
        groups.setdefault(key, _Group(key)).mentions.append(raw)
    for group in groups.values():
        group.name = _majority(m.name for m in group.mentions)

    union = _Union()
    _join_acronyms(groups, definitions, union)
    _join_org_short_forms(groups, union)
    per_mention = _join_people(groups, union)

    def root_of(raw: _Raw) -> str:
        return union.find(per_mention.get(raw.start, _key(raw.name)))

    members: dict[str, list[_Raw]] = defaultdict(list)
    for raw in raws:
        members[root_of(raw)].append(raw)

    # The root is the group the others joined: an acronym's expansion, a person's full name.
    names = {root: groups[root].name for root in members}
    labels = {root: _majority(m.label for m in ms) for root, ms in members.items()}
    # A place: any entity spaCy once labelled GPE/LOC ("UAE" is mostly ORG to the small model).
    places = {
        _key(names[r]): r for r, ms in members.items() if any(m.label in PLACE_LABELS for m in ms)
    }

    # Demonyms: a NORP entity whose place the article names becomes demonym mentions of it.
    demonym_of: dict[str, str] = {}
    for root in labels:
        place = next(
            (places[_key(p)] for p in _demonym_places(names[root]) if places.get(_key(p), root) != root),
            None,
        )
        if place is not None:
            demonym_of[root] = place
    # A place that is itself read as a demonym ("Emirati" tagged GPE) cannot take demonyms.
    demonym_of = {root: place for root, place in demonym_of.items() if place not in demonym_of}

    entities: dict[str, Entity] = {}
    mentions: list[Mention] = []
    for root in members:
        if root not in demonym_of:
            entities[root] = Entity(name=names[root], label=labels[root], count=0, aliases=[names[root]])
    for raw in raws:
        root = root_of(raw)
        demonym = root in demonym_of
        owner = entities[demonym_of.get(root, root)]
        if demonym:
            owner.demonym_count += 1
        else:
            owner.count += 1
        if raw.text not in owner.aliases:
            owner.aliases.append(raw.text)
        mentions.append(
            Mention(
                entity=owner.name,
                label="NORP" if demonym else owner.label,
                text=raw.text,
                sentence=raw.sentence,
                start=raw.start,
                end=raw.end,
                demonym=demonym,
            )
        )
    ordered = sorted(entities.values(), key=lambda e: (-e.count, e.name))
    return ordered, mentions


# --- Lookup for other modules -----------------------------------------------------------


def canonical_lookup(entities: list[Entity]) -> Callable[[str], Entity | None]:
    """A function mapping any name as written ("Kowalczyk", "Mr. Biden", "N.H.T.S.A.",
    "the agency") to the article's entity it names, or None when none or several match.

    Tries, in order: an alias, the alias without titles, a single word of a person's name, an
    acronym of a multi-word name, and "the <noun>" for the one entity whose name ends in <noun>.
    """
    aliases: dict[str, set[int]] = defaultdict(set)
    person_words: dict[str, set[int]] = defaultdict(set)
    initials: dict[str, set[int]] = defaultdict(set)
    heads: dict[str, set[int]] = defaultdict(set)
    for i, entity in enumerate(entities):
        for alias in entity.aliases:
            aliases[_key(alias)].add(i)
            aliases[_key(normalise_name(alias))].add(i)
        if len(entity.name.split()) > 1:
            for acronym in _initials(entity.name):
                initials[acronym.casefold()].add(i)
            heads[entity.name.split()[-1].casefold()].add(i)
        if entity.label == "PERSON":
            for word in _words(entity.name):
                if len(word) > 1:
                    person_words[word].add(i)

    def unique(found: set[int]) -> Entity | None:
        return entities[next(iter(found))] if len(found) == 1 else None

    def lookup(text: str) -> Entity | None:
        plain = normalise_name(text)
        person = normalise_name(text, person=True)
        for table, key in (
            (aliases, _key(plain)),
            (aliases, _key(person)),
            (person_words, _key(person) if " " not in person else ""),
            (initials, _key(plain) if _is_acronym(plain) else ""),
        ):
            if key and key in table:
                return unique(table[key])
        words = text.split()
        if len(words) == 2 and words[0].casefold() == "the" and words[1].islower():
            return unique(heads.get(words[1].casefold(), set()))
        return None

    return lookup


def headline_entities(doc: Doc, entities: list[Entity]) -> list[str]:
    """Canonical names the headline names, in order, without repeats. Names of the article's
    entities (aliases, surnames, acronyms, demonyms of its places) become their canonical
    names; a name the article lacks is kept as normalised text."""
    lookup = canonical_lookup(entities)
    places = {_key(e.name): e.name for e in entities if e.label in PLACE_LABELS}
    found: list[str] = []
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS or (bounds := trimmed_span(ent)) is None:
            continue
        text = doc[bounds[0] : bounds[1]].text
        entity = lookup(text)
        if entity is not None:
            name = entity.name
        elif ent.label_ == "NORP":
            name = next((places[_key(p)] for p in _demonym_places(text) if _key(p) in places), text)
        else:
            name = normalise_name(text, person=ent.label_ == "PERSON")
        if name and name not in found:
            found.append(name)
    return found
