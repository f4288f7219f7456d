"""The verb frames and word lists of quote attribution and speaker roles, from one versioned data file.

``analysis/resources/quote_lexicon_v<N>.json`` holds general English lists (never words taken from
an evaluation text): which cue words there are and what complement each takes (the *frames*:
"say" takes a clause, "endorse" an object, "call" a preposition "for", "urge" an infinitive,
"claim" as a noun a "that"-clause), the nouns that can be sources, and the words of roles. The
candidate classifier records the version it was trained with; a changed list is a new version.

>>> lex = load_lexicon()
>>> "spokeswoman" in lex.source_nouns["person"], "say" in lex.frames.reporting_verbs, lex.version
(True, True, 4)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

__all__ = ["LEXICON_VERSION", "Frames", "Lexicon", "load_lexicon"]

LEXICON_VERSION = 4


@dataclass(frozen=True, slots=True)
class Frames:
    """Cue words and the complement each takes (lemmas, lower case)."""

    reporting_verbs: frozenset[str]  # speech, stated belief or a finding, with a clause ("said the …")
    naming_verbs: frozenset[str]  # frame a quoted phrase ("called it “…”"), not a clause
    intention_verbs: frozenset[str]  # an infinitive ("urged Israel to refrain")
    stance_verbs: frozenset[str]  # the object ("endorsed Ann Lee", "denied the allegations")
    no_object_content: frozenset[str]  # reporting verbs whose object is not what was said ("told reporters")
    not_infinitive: frozenset[str]  # reporting verbs whose infinitive is no content ("continued to")
    characterising_verbs: frozenset[str]  # "described the plan as a disaster"
    speech_verbs: frozenset[str]  # whoever does these speaks ("the mogul said")
    listener_verbs: frozenset[str]  # their object is the listener ("told Radio Nord")
    passive_verbs: frozenset[str]  # passive with the content as subject ("X is expected to win")
    particle_cues: dict[str, str]  # verbs that are cues only with their particle ("point out")
    stance_prepositions: dict[str, tuple[str, ...]]  # verb -> prepositions of its content ("call for")
    argument_prepositions: frozenset[str]  # a stance's argument ("accused her of lying")
    statement_nouns: frozenset[str]  # nouns with a "that"/"to" clause ("the claim that …")
    noun_prepositions: dict[str, tuple[str, ...]]  # noun -> prepositions ("criticism of")
    source_phrase_nouns: frozenset[str]  # "in a statement, …"
    headline_labels: frozenset[str]  # "Breaking:" opens a headline, not a transcript line
    light_nouns: dict[str, tuple[str, ...]]  # object nouns that carry the cue ("made the case that", "cast doubt on")
    stance_adjectives: dict[str, tuple[str, ...]]  # "is confident that", "critical of" ("that", "to" or prepositions)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Typed view of the data file."""

    version: int
    frames: Frames
    source_nouns: dict[str, frozenset[str]]  # class (person, group, document) -> noun lemmas
    person_suffixes: tuple[str, ...]  # "-ist", "-ian": nouns for people ("strategist")
    withheld_speech: frozenset[str]  # "declined to comment", "would not elaborate"
    refusal_verbs: frozenset[str]
    hedge_words: frozenset[str]
    roles: dict[str, frozenset[str]]  # role -> description words
    anonymous_cues: tuple[str, ...]  # "familiar with", "anonymity"
    media_nouns: frozenset[str] = frozenset()  # a speaker headed by these is news media ("the paper"); v4 on
    media_agency_words: frozenset[str] = frozenset()  # "news agency", "state agency": media
    mastheads: frozenset[str] = frozenset()  # the last word of a newspaper's name ("The Coastal Courier")
    title_abbreviations: dict[str, str] = field(default_factory=dict)  # "sgt" -> "sergeant"; v4 on
    role_phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # role -> "press secretary", "head of" …
    counsel_words: frozenset[str] = frozenset()  # "lawyer": a spokesperson when speaking for a client
    academic_places: frozenset[str] = frozenset()  # "university": an academic works "at" one
    body_nouns: frozenset[str] = frozenset()  # bodies beyond the group source nouns ("club", "chamber")

    def source_class(self, lemma: str) -> str:
        """The class of a common noun that can be a source ("aide": person), else ""."""
        lemma = lemma.lower()
        for name, words in self.source_nouns.items():
            if lemma in words:
                return name
        return ""


@lru_cache(maxsize=4)
def load_lexicon(version: int = LEXICON_VERSION) -> Lexicon:
    """The lexicon of ``version`` (read once per process)."""
    path = resources.files("analysis") / "resources" / f"quote_lexicon_v{version}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    roles = {k: frozenset(v) for k, v in data["roles"].items() if k != "anonymous_cues"}
    media = {k: v for k, v in data.get("roles_media", {}).items() if k != "about"}
    words = data.get("roles_words", {})
    return Lexicon(
        version=int(data["version"]),
        frames=_frames(data["frames"]),
        source_nouns={k: frozenset(v) for k, v in data["source_nouns"].items()},
        person_suffixes=tuple(data["person_suffixes"]),
        withheld_speech=frozenset(data["withheld_speech"]),
        refusal_verbs=frozenset(data["refusal_verbs"]),
        hedge_words=frozenset(data["hedge_words"]),
        roles=roles,
        anonymous_cues=tuple(data["roles"]["anonymous_cues"]),
        media_nouns=frozenset(media.get("nouns", ())),
        media_agency_words=frozenset(media.get("agency_words", ())),
        mastheads=frozenset(media.get("mastheads", ())),
        title_abbreviations=dict(words.get("title_abbreviations", {})),
        role_phrases={k: tuple(v) for k, v in words.get("phrases", {}).items()},
        counsel_words=frozenset(words.get("counsel", ())),
        academic_places=frozenset(words.get("academic_places", ())),
        body_nouns=frozenset(words.get("body_nouns", ())),
    )


def _frames(data: dict) -> Frames:
    sets = {name: frozenset(data[name]) for name in Frames.__slots__ if isinstance(data.get(name), list)}
    return Frames(
        **sets,
        particle_cues=dict(data["particle_cues"]),
        stance_prepositions={k: tuple(v.split()) for k, v in data["stance_prepositions"].items()},
        noun_prepositions={k: tuple(v.split()) for k, v in data["noun_prepositions"].items()},
        light_nouns={k: tuple(v.split()) for k, v in data.get("light_nouns", {}).items()},  # v3 on
        stance_adjectives={k: tuple(v.split()) for k, v in data.get("stance_adjectives", {}).items()},
    )
