"""The word lists of quote attribution and speaker roles, from one versioned data file.

``analysis/resources/quote_lexicon_v<N>.json`` holds general English lists (never words taken from
an evaluation text); the candidate classifier records the version it was trained with.

>>> lex = load_lexicon()
>>> "spokeswoman" in lex.source_nouns["person"], lex.version
(True, 1)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["LEXICON_VERSION", "Lexicon", "load_lexicon"]

LEXICON_VERSION = 1


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Typed view of the data file."""

    version: int
    source_nouns: dict[str, frozenset[str]]  # class (person, group, document) -> noun lemmas
    person_suffixes: tuple[str, ...]  # "-ist", "-ian": nouns for people ("strategist")
    withheld_speech: frozenset[str]  # "declined to comment", "would not elaborate"
    refusal_verbs: frozenset[str]
    hedge_words: frozenset[str]
    roles: dict[str, frozenset[str]]  # role -> description words
    anonymous_cues: tuple[str, ...]  # "familiar with", "anonymity"

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
    return Lexicon(
        version=int(data["version"]),
        source_nouns={k: frozenset(v) for k, v in data["source_nouns"].items()},
        person_suffixes=tuple(data["person_suffixes"]),
        withheld_speech=frozenset(data["withheld_speech"]),
        refusal_verbs=frozenset(data["refusal_verbs"]),
        hedge_words=frozenset(data["hedge_words"]),
        roles=roles,
        anonymous_cues=tuple(data["roles"]["anonymous_cues"]),
    )
