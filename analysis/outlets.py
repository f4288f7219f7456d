"""The outlet of an article, normalised so one outlet is one name across the corpus.

An outlet comes from, in order: the URL's domain when it is a well-known outlet, the given
``source`` when it names one ("CNN (Online News)", "nytimes.com", "NYT"), the page's own site name,
then a tidy name made from whatever is left ("the-daily-ledger.com" → "The Daily Ledger").
Well-known outlets are in ``resources/outlets_v1.tsv`` (domain, name, other names).

>>> outlet_name(url="https://edition.cnn.com/2024/01/01/politics/x.html")
'CNN'
>>> outlet_name(source="New York Times (News)")
'The New York Times'
>>> outlet_name(url="https://www.the-daily-ledger.com/a/b")
'The Daily Ledger'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["OUTLETS_FILE", "UNKNOWN", "Outlet", "known_outlets", "outlet_name", "domain_of"]

OUTLETS_FILE = Path(__file__).with_name("resources") / "outlets_v1.tsv"
UNKNOWN = ""  # no source, URL or site name: the article has no outlet (pages show "unknown")

# second-level labels under which a registrable domain takes three labels (bbc.co.uk, abc.net.au)
_SECOND_LEVEL = {"co", "com", "net", "org", "gov", "ac", "edu", "ne", "or", "go"}
_PARENTHESIS = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*")
_DOMAIN_LIKE = re.compile(r"^(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}(?:[/:?#].*)?$", re.IGNORECASE)
_SITE_NAME_KEYS = ("site_name", "og:site_name", "publisher", "source")


@dataclass(frozen=True, slots=True)
class Outlet:
    domain: str
    name: str
    aliases: tuple[str, ...] = ()


@cache
def known_outlets() -> tuple[dict[str, str], dict[str, str]]:
    """(registrable domain → name, lower-cased name or alias → name) from the versioned file."""
    by_domain: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for line in OUTLETS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        domain, name, *rest = line.split("\t")
        by_domain[domain.lower()] = name
        for alias in (name, *(rest[0].split("|") if rest else ())):
            by_name.setdefault(_key(alias), name)
    return by_domain, by_name


def _key(name: str) -> str:
    return " ".join(name.lower().replace("’", "'").split())


def domain_of(url: str) -> str:
    """The registrable domain of a URL or bare host ('' when there is none).

    >>> domain_of("https://www.bbc.co.uk/news/x"), domain_of("abcnews.go.com/US")
    ('bbc.co.uk', 'abcnews.go.com')
    """
    url = url.strip()
    if not url:
        return ""
    host = urlsplit(url if "://" in url else f"//{url}").hostname or ""
    labels = [p for p in host.lower().split(".") if p]
    if len(labels) < 2 or not re.fullmatch(r"[a-z]{2,}", labels[-1]):
        return ""
    by_domain, _ = known_outlets()
    for n in (3, 2):  # a known domain with its subdomain (abcnews.go.com) before the generic rule
        if ".".join(labels[-n:]) in by_domain:
            return ".".join(labels[-n:])
    take = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-take:])


def _tidy_domain(domain: str, written: str = "") -> str:
    """'the-daily-ledger.com' → 'The Daily Ledger'; 'ledger.co.uk' → 'Ledger'. ``written`` is the
    domain as the source spelled it, whose capitals are kept ('FactCheck.org' → 'FactCheck')."""
    label = domain.split(".")[0]
    host = written.split("://")[-1].split("/")[0]
    cased = [p for p in host.split(".") if p.lower() == label]
    words = [w for w in re.split(r"[-_]+", cased[0] if cased else label) if w]
    return " ".join(w if any(c.isupper() for c in w) else w.capitalize() for w in words) or domain


def _tidy_source(source: str) -> str:
    """A free-text source without its parenthesised qualifier and extra spaces."""
    return " ".join(_PARENTHESIS.sub(" ", source).split()).strip(" -|·")


def outlet_name(source: str = "", url: str = "", metadata: Mapping[str, str] | None = None) -> str:
    """The normalised outlet of an article ('' when nothing names one); see the module doc."""
    by_domain, by_name = known_outlets()
    source = (source or "").strip()
    source_domain = domain_of(source) if _DOMAIN_LIKE.match(source) else ""
    url_domain = domain_of(url or "") or domain_of(str((metadata or {}).get("url", "")))
    for domain in (url_domain, source_domain):
        if domain in by_domain:
            return by_domain[domain]
    site = next((str(metadata[k]).strip() for k in _SITE_NAME_KEYS if metadata and metadata.get(k)), "")
    for name in (source, site):
        if name and not _DOMAIN_LIKE.match(name):
            tidy = _tidy_source(name)
            known = by_name.get(_key(tidy)) or by_name.get(_key(name))
            if known:
                return known
    for name in (source, site):
        if name and not _DOMAIN_LIKE.match(name) and _tidy_source(name):
            return _tidy_source(name)
    if source_domain:
        return _tidy_domain(source_domain, source)
    if url_domain:
        return _tidy_domain(url_domain)
    return UNKNOWN
