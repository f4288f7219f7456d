"""Entities that stay one across articles: the corpus's names of one person, organisation or place
linked to one entity, each link with its reason.

``analysis/entities.py`` merges the aliases inside one article ("Mr. Biden" → "Joe Biden" when the
article names him in full). Across articles the same thing is still written many ways: one article
says "Biden", another "Joe Biden"; one "NHTSA", another spells it out; one "Education Department",
another "the Department of Education"; and the small parse sometimes types a name PERSON in one
article and ORG in ten. ``link_names`` links such corpus names (the (name, label) keys of the
corpus aggregate) in general rules, applied in this order:

- ``type``: one name under several labels takes the label most of its articles give it, when
  that label holds at least two thirds of them ("Ford" as ORG in 5 articles and PERSON in 4 stays
  two entities);
- ``form``: the same name once titles, a leading "the", possessives, middle initials and "Jr."
  are set aside ("President Biden", "Andrew M. Cuomo", "the Pentagon's");
- ``department``: "X Department" ↔ "Department of X" (and "Ministry"), and "X" typed ORG alone
  ("Homeland Security") when exactly one "Department of X" exists;
- ``acronym``: an acronym joins the one expansion an article spelled it out as (its aliases hold
  both); one never spelled out but whose initials (three letters or more) only one name of the
  corpus has is linked article by article, where the article's story names that name (a club
  named once elsewhere is not "BBC");
- ``surname``: a one-word PERSON name joins the one full PERSON name of the corpus ending in it.

A short form with several candidates ("Smith" when the corpus names John Smith and Anna Smith) is
never linked corpus-wide; ``link_in_neighbourhood`` links its occurrence in one article when the
article's neighbourhood (its story: the other outlets' articles on the same event) names exactly
one of the candidates. So are the acronyms known only by their initials.

>>> names = [CorpusName("Joe Biden", "PERSON", 12), CorpusName("Biden", "PERSON", 30),
...          CorpusName("Biden", "ORG", 1)]
>>> links = link_names(names)
>>> links[("Biden", "ORG")].entity, links[("Biden", "ORG")].rule
('Joe Biden', 'type')
>>> links[("Biden", "PERSON")].rule
'surname'
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from analysis.entities import CONNECTORS, _initials, _is_acronym, _is_title, _key, normalise_name
from analysis.entities import _Union as _EntityUnion

__all__ = [
    "CorpusName",
    "Link",
    "ArticleLink",
    "RULES",
    "CorpusLinks",
    "link_corpus",
    "link_names",
    "ambiguous_short_names",
    "link_in_neighbourhood",
    "entity_of",
    "ArticleName",
    "corpus_names",
    "link_articles",
]

RULES: dict[str, str] = {
    "type": "one name typed differently in a few articles takes the type most articles give it",
    "form": "the same name without titles, “the”, possessives, middle initials or “Jr.”",
    "department": "“X Department” = “Department of X”; “X” alone when one “Department of X” exists",
    "acronym": "an acronym = the one expansion an article spelled it out as",
    "surname": "a surname alone = the one person of the corpus with that surname",
    "neighbourhood": "a shared surname, or an acronym never spelled out, = the one candidate (person with "
    "that surname, name with those initials) the article's story names",
}
TYPE_MAJORITY = 2 / 3  # share of a name's articles its majority label needs to absorb the others
MIN_INITIALS = (
    3  # letters an acronym needs to be linked by initials alone (2: only when spelled out)
)
INSTITUTIONS = ("Department", "Ministry")
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_NON_PERSON_EXPANSION = frozenset(
    {"ORG", "GPE", "LOC", "FAC", "LAW", "EVENT", "PRODUCT", "NORP", "WORK_OF_ART"}
)


@dataclass(frozen=True, slots=True)
class CorpusName:
    """One (name, label) key of the corpus: in how many articles, how many mentions, written how."""

    name: str
    label: str
    articles: int
    count: int = 0
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    """``(name, label)`` is the entity ``(entity, entity_label)``, by ``rule``; ``evidence`` says
    what in the corpus made the link (the candidate, the spelled-out form, the label votes)."""

    name: str
    label: str
    entity: str
    entity_label: str
    rule: str
    evidence: str
    articles: int  # articles that write it this way


@dataclass(frozen=True, slots=True)
class ArticleLink:
    """An ambiguous short name linked in one article only, from its neighbourhood."""

    article_id: str
    name: str
    label: str
    entity: str
    entity_label: str
    evidence: str


Key = tuple[str, str]


class _Union(_EntityUnion):
    """``analysis.entities``' union-find over (name, label) keys, remembering why each key joined."""

    def __init__(self) -> None:
        super().__init__()
        self.why: dict[Key, tuple[str, str]] = {}  # joined key → (rule, evidence)
        self.by_initials: dict[Key, Key] = {}  # an acronym never spelled out → the one name with its initials

    def join(self, key: Key, into: Key, rule: str = "", evidence: str = "") -> None:  # type: ignore[override]
        if self.find(key) != self.find(into):
            super().join(key, into)
            self.why.setdefault(key, (rule, evidence))


@lru_cache(maxsize=500_000)
def _normal(name: str, person: bool = False) -> str:
    """``normalise_name``, cached: a corpus asks for each name's forms several times."""
    return normalise_name(name, person=person)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@lru_cache(maxsize=500_000)
def _bare_form(name: str, *, person: bool) -> str:
    """The key of a name without titles, "the", possessives, and for people middle initials and
    "Jr.": "President Joe R. Biden Jr.'s" → "joe biden"."""
    text = _normal(name, person)
    if person:
        words = [w for w in text.split() if w.rstrip(".,").casefold() not in NAME_SUFFIXES]
        if len(words) > 2:
            words = [words[0], *(w for w in words[1:-1] if len(w.rstrip(".")) > 1), words[-1]]
        text = " ".join(words)
    return _key(text)


def _middle_initials(name: str) -> str:
    """The initials between a person's first and last name ("H W" of "George H. W. Bush"), or ''."""
    words = [w for w in _normal(name, True).split() if w.rstrip(".,").casefold() not in NAME_SUFFIXES]
    return " ".join(w.rstrip(".").upper() for w in words[1:-1] if len(w.rstrip(".")) == 1)


def _suffix(name: str) -> str:
    """A generational suffix ending a name ("jr", "iii"), or ''."""
    words = name.split()
    last = words[-1].rstrip(".,").casefold() if len(words) > 1 else ""
    return last if last in NAME_SUFFIXES else ""


def _institution_key(name: str) -> tuple[str, str] | None:
    """("department", "education") for "Department of Education", "Education Department" and
    "U.S. Department of Education"; None for other names."""
    words = _normal(name).split()
    for kind in INSTITUTIONS:
        if kind in words:
            at = words.index(kind)
            if at + 2 < len(words) + 1 and at + 1 < len(words) and words[at + 1].casefold() == "of":
                topic = words[at + 2 :]
            elif at == len(words) - 1 and at > 0:
                topic = words[:at]
                while topic and _key(_normal(topic[0])) in {"us", "united states"}:
                    topic = topic[1:]
            else:
                continue
            topic = [w for w in topic if w.casefold() not in CONNECTORS or w.casefold() == "and"]
            if topic:
                return kind.casefold(), _key(" ".join(topic))
    return None


def _majority_labels(names: Sequence[CorpusName], union: _Union) -> None:
    """``type``: a name's minority labels join its majority label when that holds 2/3 of its articles."""
    by_name: dict[str, list[CorpusName]] = defaultdict(list)
    for n in names:
        by_name[_key(n.name)].append(n)
    for group in by_name.values():
        if len(group) < 2:
            continue
        total = sum(n.articles for n in group)
        top = max(group, key=lambda n: (n.articles, n.count, n.label))
        if top.articles < TYPE_MAJORITY * total:
            continue
        votes = ", ".join(
            f"{n.label} in {_plural(n.articles, 'article')}"
            for n in sorted(group, key=lambda n: -n.articles)
        )
        for n in group:
            if n is top:
                continue
            if n.label == top.label:  # the same name in other letters: "china", "BRAZIL"
                union.join((n.name, n.label), (top.name, top.label), "form", f"written “{n.name}” for “{top.name}”")
            else:
                union.join((n.name, n.label), (top.name, top.label), "type", votes)


def _forms(names: Sequence[CorpusName], union: _Union, label_of) -> None:
    """``form``: names equal once titles, "the", possessives, middle initials, "Jr." are set aside
    join the most written of them (people with people, others with the same label)."""
    by_form: dict[tuple[str, bool], list[CorpusName]] = defaultdict(list)
    for n in names:
        person = label_of(n) == "PERSON"
        by_form[(_bare_form(n.name, person=person), person)].append(n)
    # "President Biden" typed ORG: a title before a person's name makes it the person
    for n in names:
        words = n.name.split()
        if label_of(n) != "PERSON" and len(words) > 1 and _is_title(words[0]):
            form = _bare_form(n.name, person=True)
            if (form, True) in by_form:
                by_form[(form, True)].append(n)
                by_form[(_bare_form(n.name, person=False), False)].remove(n)
    for (form, person), group in by_form.items():
        if len(group) < 2 or not form:
            continue
        if person and len({_suffix(n.name) for n in group} - {""}) > 1:
            continue  # "Charles Elliott Jr." and "Charles Elliott III": father and son
        if person and len({_middle_initials(n.name) for n in group} - {""}) > 1:
            continue  # "George H. W. Bush" and "George W. Bush": two presidents
        # prefer the plain full form: no title, most articles
        target = max(group, key=lambda n: (_key(n.name) == form, n.articles, n.count, -len(n.name)))
        for n in group:
            if n is not target and (person or label_of(n) == label_of(target)):
                union.join(
                    (n.name, n.label),
                    (target.name, target.label),
                    "form",
                    f"written “{n.name}” for “{target.name}”",
                )


def _departments(names: Sequence[CorpusName], union: _Union, label_of) -> None:
    """``department``: "X Department" ↔ "Department of X", and a lone "X" typed ORG."""
    by_topic: dict[tuple[str, str], list[CorpusName]] = defaultdict(list)
    for n in names:
        if label_of(n) != "PERSON" and (inst := _institution_key(n.name)):
            by_topic[inst].append(n)
    for (kind, topic), group in by_topic.items():
        target = max(
            group,
            key=lambda n: (
                _normal(n.name).startswith(kind.title() + " of"),
                n.articles,
                n.count,
            ),
        )
        for n in group:
            if n is not target:
                union.join(
                    (n.name, n.label),
                    (target.name, target.label),
                    "department",
                    f"“{n.name}” and “{target.name}” name the {kind} of {topic}",
                )
    # "Homeland Security" (ORG) → the one Department/Ministry of Homeland Security
    topics: dict[str, set[Key]] = defaultdict(set)
    for (_kind, topic), group in by_topic.items():
        topics[topic].add(union.find((group[0].name, group[0].label)))
    for n in names:
        if label_of(n) != "ORG" or _institution_key(n.name):
            continue
        roots = topics.get(_key(_normal(n.name)), set())
        if len(roots) == 1:
            (root,) = roots
            union.join(
                (n.name, n.label),
                root,
                "department",
                f"“{n.name}” alone, and the corpus has one “{root[0]}”",
            )


def _acronyms(names: Sequence[CorpusName], union: _Union, label_of) -> None:
    """``acronym``: spelled out in some article (one expansion); else unique initials (≥ 3
    letters) are noted in ``union.by_initials``, to be linked from each article's story."""
    expansions = [
        n for n in names if len(n.name.split()) > 1 and label_of(n) in _NON_PERSON_EXPANSION
    ]
    spelled: dict[str, dict[Key, int]] = defaultdict(dict)
    by_initials: dict[str, set[Key]] = defaultdict(set)
    for n in expansions:
        root = union.find((n.name, n.label))
        initials = _initials(n.name)
        for alias in n.aliases:
            plain = _normal(alias)
            if _is_acronym(plain) and plain.replace(".", "").upper() in initials:
                spelled[_key(plain)][root] = spelled[_key(plain)].get(root, 0) + n.articles
        for acronym in initials:
            by_initials[acronym].add(root)  # every name with those initials: two make it ambiguous
    for n in names:
        plain = _normal(n.name)
        if not _is_acronym(plain) or len(plain.split()) > 1:
            continue
        own = union.find((n.name, n.label))
        found = {r: c for r, c in spelled.get(_key(plain), {}).items() if r != own}
        if len(found) == 1:
            ((root, seen),) = found.items()
            union.join(
                (n.name, n.label),
                root,
                "acronym",
                f"spelled out as “{root[0]}” in {_plural(seen, 'article')}",
            )
            continue
        if found:
            continue  # spelled out two ways: ambiguous
        letters = plain.replace(".", "").upper()
        roots = by_initials.get(letters, set()) - {own}
        if len(letters) >= MIN_INITIALS and len(roots) == 1:
            union.by_initials[(n.name, n.label)] = next(iter(roots))  # linked per article, from its story


def _surname_candidates(
    names: Sequence[CorpusName], union: _Union, label_of
) -> dict[Key, set[Key]]:
    """One-word PERSON names → the roots of the full PERSON names ending in that word."""
    by_last: dict[str, set[Key]] = defaultdict(set)
    for n in names:
        words = _bare_form(n.name, person=True).split()
        if label_of(n) == "PERSON" and len(words) > 1:
            by_last[words[-1]].add(union.find((n.name, n.label)))
    out: dict[Key, set[Key]] = {}
    for n in names:
        words = _key(_normal(n.name, True)).split()
        if label_of(n) == "PERSON" and len(words) == 1 and len(words[0]) > 1:
            own = union.find((n.name, n.label))
            out[(n.name, n.label)] = by_last.get(words[0], set()) - {own}
    return out


def _surnames(names: Sequence[CorpusName], union: _Union, label_of) -> None:
    """``surname``: a one-word PERSON name joins the only full name ending in it."""
    articles = {(n.name, n.label): n.articles for n in names}
    for key, roots in _surname_candidates(names, union, label_of).items():
        if len(roots) == 1:
            (root,) = roots
            union.join(
                key,
                root,
                "surname",
                f"the only person of the corpus called {key[0]}: “{root[0]}” ({_plural(articles.get(root, 0), 'article')})",
            )


def _labeller(names: Sequence[CorpusName], union: _Union):
    """The label a name's type-fixed group takes (its root's label)."""

    def label_of(n: CorpusName) -> str:
        return union.find((n.name, n.label))[1]

    return label_of


def _run(names: Sequence[CorpusName]) -> _Union:
    union = _Union()
    _majority_labels(names, union)
    label_of = _labeller(names, union)
    _forms(names, union, label_of)
    _departments(names, union, label_of)
    _acronyms(names, union, label_of)
    _surnames(names, union, label_of)
    return union


@dataclass(frozen=True, slots=True)
class CorpusLinks:
    """What ``link_corpus`` found: the names linked corpus-wide, and the short names left for
    their articles' neighbourhoods (name → candidate entity names)."""

    links: dict[Key, Link]
    ambiguous: dict[Key, list[str]]
    labels: dict[str, str]  # entity name → its label, for the candidates of ``ambiguous``


def link_corpus(names: Sequence[CorpusName]) -> CorpusLinks:
    """Every (name, label) of the corpus that is linked to another entity → its ``Link``, and the
    ambiguous short names (see ``ambiguous_short_names``). Names not linked are entities of their
    own (and the roots others join).

    The entity's name is the fullest form linked (the expansion, the full name, "Department of X");
    its label is the label most of its articles give the whole group."""
    names = list({(n.name, n.label): n for n in names}.values())
    union = _run(names)
    votes: dict[Key, Counter] = defaultdict(Counter)
    for n in names:
        votes[union.find((n.name, n.label))][n.label] += n.articles
    links: dict[Key, Link] = {}
    for n in names:
        key = (n.name, n.label)
        root = union.find(key)
        if root != key:
            rule, evidence = union.why.get(key, ("form", ""))
            links[key] = Link(n.name, n.label, root[0], _label(votes[root], root), rule, evidence, n.articles)
    ambiguous = _ambiguous(names, union)
    wanted = {c for cs in ambiguous.values() for c in cs}
    labels = {r[0]: _label(votes[r], r) for r in votes if r[0] in wanted}
    return CorpusLinks(links, ambiguous, labels)


def link_names(names: Sequence[CorpusName]) -> dict[Key, Link]:
    """The corpus-wide links of ``link_corpus``."""
    return link_corpus(names).links


def _label(votes: Counter, root: Key) -> str:
    top = max(votes.values())
    return root[1] if votes[root[1]] == top else sorted(k for k, v in votes.items() if v == top)[0]


def entity_of(links: Mapping[Key, Link], name: str, label: str) -> Key:
    """The (entity, label) a corpus name stands for: its link's, else itself."""
    link = links.get((name, label))
    return (link.entity, link.entity_label) if link else (name, label)


def ambiguous_short_names(names: Sequence[CorpusName]) -> dict[Key, list[str]]:
    """Surnames alone the corpus cannot link → the candidates' entity names, for
    ``link_in_neighbourhood`` to link article by article: a one-word PERSON name that two or more
    full names end in, and a one-word name typed otherwise in a single article ("Cardona" as ORG
    once) that at least one full PERSON name ends in (a single odd label is a slip of the parse;
    a repeated one, "Ford" the carmaker, is not)."""
    return link_corpus(names).ambiguous


def _ambiguous(names: Sequence[CorpusName], union: _Union) -> dict[Key, list[str]]:
    label_of = _labeller(names, union)
    out = {
        key: sorted(r[0] for r in roots)
        for key, roots in _surname_candidates(names, union, label_of).items()
        if len(roots) > 1 and union.find(key) == key
    }
    people: dict[str, set[str]] = defaultdict(set)
    for n in names:
        words = _bare_form(n.name, person=True).split()
        if label_of(n) == "PERSON" and len(words) > 1:
            people[words[-1]].add(union.find((n.name, n.label))[0])
    for n in names:
        key = (n.name, n.label)
        word = _key(_normal(n.name))
        if (
            label_of(n) != "PERSON" and n.articles == 1 and " " not in word
            and union.find(key) == key and people.get(word)
        ):  # fmt: skip
            out[key] = sorted(people[word])
    for key, root in union.by_initials.items():
        if union.find(key) == key:
            out[key] = [union.find(root)[0]]
    return out


def link_in_neighbourhood(
    short: Key,
    candidates: Iterable[str],
    neighbourhoods: Mapping[str, Iterable[str]],
    *,
    labels: Mapping[str, str] | None = None,
) -> list[ArticleLink]:
    """Per article naming the ambiguous ``short`` name: a link to the one candidate its
    neighbourhood names (``neighbourhoods``: article id → entity names named in the article's
    story, the article's own included); no link where it names none or several. ``labels``:
    the candidates' labels (PERSON when not given)."""
    wanted = set(candidates)
    labels = labels or {}
    what = f"name with the initials {short[0]}" if _is_acronym(_normal(short[0])) else f"person called {short[0]}"
    out = []
    for article_id, named in neighbourhoods.items():
        found = wanted & set(named)
        if len(found) == 1:
            (entity,) = found
            out.append(
                ArticleLink(article_id, short[0], short[1], entity, labels.get(entity, "PERSON"),
                            f"the only {what} named in this article's story: “{entity}”")
            )  # fmt: skip
    return out


@dataclass(frozen=True, slots=True)
class ArticleName:
    """One article's entity (as ``analysis/entities.py`` merged it inside the article)."""

    article_id: str
    name: str
    label: str
    count: int = 1
    aliases: tuple[str, ...] = ()


def corpus_names(rows: Iterable[ArticleName]) -> list[CorpusName]:
    """The corpus keys of per-article entities: articles, mentions and surface forms per (name, label)."""
    articles: Counter = Counter()
    counts: Counter = Counter()
    forms: dict[Key, dict[str, None]] = defaultdict(dict)
    for r in rows:
        key = (r.name, r.label)
        articles[key] += 1
        counts[key] += r.count
        forms[key].update(dict.fromkeys(r.aliases or (r.name,)))
    return [CorpusName(k[0], k[1], articles[k], counts[k], tuple(forms[k])) for k in articles]


def link_articles(
    rows: Sequence[ArticleName], story_of: Mapping[str, str] | None = None
) -> dict[tuple[str, str, str], Key]:
    """(article_id, name, label) → the (entity, label) it stands for across the corpus: the
    corpus-wide links, then ambiguous surnames from the article's story (``story_of``: article id
    → story id; an article without one is its own neighbourhood). The store does the same on its
    aggregate tables (``Store.entity_links``)."""
    found = link_corpus(corpus_names(rows))
    links = found.links
    out = {(r.article_id, r.name, r.label): entity_of(links, r.name, r.label) for r in rows}
    story_of = story_of or {}
    in_story: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        in_story[story_of.get(r.article_id, r.article_id)].add(entity_of(links, r.name, r.label)[0])
    for short, candidates in found.ambiguous.items():
        hoods = {
            r.article_id: in_story[story_of.get(r.article_id, r.article_id)]
            for r in rows
            if (r.name, r.label) == short
        }
        for link in link_in_neighbourhood(short, candidates, hoods, labels=found.labels):
            out[(link.article_id, link.name, link.label)] = (link.entity, link.entity_label)
    return out
