"""Text, HTML or Markdown → ``CleanedArticle``: headline variants with roles, body paragraphs,
metadata, and every dropped line with the reason it was dropped.

Every format becomes a list of ``Block``s first (a heading with its level, a paragraph, or a plain
line whose kind is still open); one shared path then sets boilerplate aside, decides which open
lines are headlines (a small scored classifier of line features), and gives each headline a role:

- before the first body paragraph (the *top zone*): ``truncated`` for a copy that ends in an
  ellipsis and is a prefix of another headline; ``title`` for the first level-1 heading or else the
  first headline; of the others, the last one before the body is the ``dek`` (the standfirst sits
  right above the first paragraph) and the ones between title and dek are ``alternate`` headlines.
  A lone headline after the title is a ``dek`` when it reads as a sentence and an ``alternate``
  when it is in Title Case, as rewritten headlines are.
- after the first body paragraph: ``section`` headings.

Boilerplate is matched on whole lines only (``BOILERPLATE``, one table of pattern and reason), so
a body sentence that merely contains "read more" stays. Lines longer than
``MAX_BOILERPLATE_CHARS`` are never boilerplate, which also keeps every pattern's cost bounded:
cleaning is linear in the input.

>>> article = clean_article("Big news today\\n\\nBy Jane Doe\\n\\nThe council voted on Tuesday to "
...                         "close the bridge for repairs, officials said.")
>>> article.title, article.metadata["byline"], article.removed[0].reason
('Big news today', 'Jane Doe', 'byline')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple

from analysis.decode import detect_format, normalize_text
from analysis.errors import InputError, Messages
from analysis.model import CleanedArticle, CleaningChoices, Headline, RemovedLine

__all__ = [
    "BOILERPLATE",
    "Block",
    "LineView",
    "boilerplate_reason",
    "choices_from_kept",
    "clean_article",
    "clean_with_lines",
    "headline_score",
    "input_lines",
    "split_breadcrumb",
]

_NAME = r"[A-Z][\w.'’-]*(?: (?:[A-Z][\w.'’-]*|de|van|von|al|bin|da|del|la|le)){0,4}"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_WHEN = (  # a time or date somewhere near the start: "14:32, 12 May", "May 12, 2024", "2 hours ago"
    r".{0,30}?(?:\d{1,2}[:.]\d{2}|\d{1,2}(?:st|nd|rd|th)? " + _MONTH + "|" + _MONTH + r" \d{1,2}|"
    r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|\d+ (?:minutes?|hours?|days?) ago).{0,50}"
)
_I = re.IGNORECASE

# (pattern matched against the whole stripped line, reason, metadata key filled from the line).
# The metadata value is the pattern's ``value`` group, else the whole line.
BOILERPLATE: tuple[tuple[re.Pattern[str], str, str | None], ...] = tuple(
    (re.compile(pattern, flags), reason, key)
    for pattern, flags, reason, key in (
        (r"[-–—|•*\s]*(?:advertisement|advertising|ad|sponsored(?: content)?|promoted|"
         r"paid (?:post|content)|story continues below(?: this)? advertisement)[-–—|•*\s]*", _I,
         "advertisement", None),
        (r"must read|related|also read\s*:.*|related(?: articles| stories| content| coverage| news)?"
         r"\s*:.*|(?:read|see|watch) (?:more|also|next)(?:\s*(?:[:»›>|-]|\.\.\.|…).*|\s*[»›>…]*)|"
         r"(?:recommended|trending(?: now)?|most (?:read|popular|viewed)|top stories|"
         r"you (?:may|might) also like|more (?:stories|on this story|from [\w ]{1,40}))(?:\s*:.*)?",
         _I, "promo", None),
        (r"share (?:this|on|via)\b.{0,80}|(?:(?:share|tweet|facebook|twitter|x|linkedin|whatsapp|"
         r"telegram|reddit|pinterest|e-?mail|print|copy link|comments?)[\s|/·•,]*){2,10}", _I,
         "share", None),
        (r"\d{1,3}[- ]?min(?:ute)?s?\.? read", _I, "reading-time", None),
        (r"(?:last )?(?:updated|modified)\s*(?:on|at)?\s*:?\s*(?P<value>" + _WHEN + ")", _I,
         "timestamp", "updated"),
        (r"(?:first )?(?:published|posted)\s*(?:on|at)?\s*:?\s*(?P<value>" + _WHEN + ")", _I,
         "timestamp", "published"),
        (r"(?P<value>(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,? )?(?:\d{1,2} " + _MONTH
         + r",? \d{4}|" + _MONTH + r" \d{1,2},? \d{4})(?:,? (?:at )?\d{1,2}[:.]\d{2}.{0,20})?)", _I,
         "timestamp", "published"),
        (r"(?:(?i:written|words|story|text|reported|authored|co-authored) )?(?:By|BY|by)\s+(?P<value>" + _NAME
         + r"(?:(?:,| and| &) " + _NAME + r")*(?:\s*[,|–—-]\s*[A-Z][\w .&'’-]{0,60})?)", 0,
         "byline", "byline"),
        (r"\(?(?P<value>(?:additional )?(?:reporting|writing|editing|compiled|research)\s+by\b"
         r"[^()]{0,300})\)?", _I, "credits", "credits"),
        (r"our standards\s*:.*", _I, "standards", None),
        (r"(?:we|this (?:site|website)) uses? cookies\b.{0,300}|.{0,200}\b(?:accept|reject|manage)"
         r"(?: all)? cookies\b.{0,200}|(?:cookie|privacy) (?:policy|settings|preferences|notice)"
         r".{0,100}|.{0,120}\ball rights reserved\b.{0,60}|(?:©|\(c\)|copyright\b)\s*\d{4}.{0,200}|"
         r"(?:(?:privacy(?: policy)?|terms(?: of (?:use|service))?|terms (?:&|and) conditions|"
         r"cookie policy|contact(?: us)?|about(?: us)?|advertise(?: with us)?|careers|"
         r"accessibility|sitemap)[\s|·•/,]*){2,12}", _I, "legal", None),
        (r"(?:sign up|subscribe|register (?:now|for free|here|to)|get (?:our|the)(?: \w+){0,3} newsletter)\b.{0,200}|"
         r".{0,100}\bnewsletters?\b.{0,60}\b(?:inbox|sign up|subscribe)\b.{0,100}", _I,
         "newsletter", None),
        (r"(?:photo|photograph|image|picture|video|file photo)s?(?: credit)?\s*:.{0,200}|"
         r"(?:credit|source)\s*:\s*(?:getty|reuters|ap|afp|epa|shutterstock|alamy).{0,100}|"
         r"\(?(?:reuters|ap|afp|epa|getty images?|shutterstock|alamy|ap photo)"
         r"(?:\s*/[^()]{0,80})?\)?|(?:.{0,300}[\s(/])?(?:getty images|file photo|ap photo)\)?\.?", _I,
         "photo-credit", None),
        (r".{0,300}\b(?:REUTERS|AFP|EPA|AP Photo)/[A-Z].{0,80}", 0, "photo-credit", None),
        (r"(?:please )?click here\b.{0,200}|(?:for|to) .{0,100},? click here\b.{0,100}", _I,
         "click-here", None),
        (r"follow (?:us|@\w+|[\w .&'’-]{1,40}) on\b.{0,100}|follow us\b.{0,100}", _I, "follow", None),
        (r"(?:\d+ )?comments?|leave a (?:comment|reply).{0,100}|join the (?:conversation|discussion)"
         r".{0,100}|(?:show|view|load|read) (?:all )?(?:\d+ )?comments?.{0,40}|comments? "
         r"(?:are|have been) closed.{0,60}|be the first to comment.{0,60}|what do you think\?.{0,100}"
         r"|tell us (?:what you think|in the comments).{0,100}", _I, "comments", None),
        (r".{0,100}(?:Flag|Like|Share|Reply){3}.{0,200}", 0, "widget", None),  # glued buttons
        (r"skip to (?:main )?content|menu|search|log ?in|sign in|back to top|top of page|home|"
         r"(?:next|previous) (?:article|story|page)", _I, "navigation", None),
    )
)

MAX_BOILERPLATE_CHARS = 300  # a longer line is article text, whatever it contains
MAX_HEADLINE_CHARS = 300  # a longer line is body text, however few words it has
HEADLINE_THRESHOLD = 2  # ``headline_score`` at or above this → headline
WRAPPED_LINE_CHARS = 50  # lines at least this long inside one block are a hard-wrapped paragraph
WRAP_SPREAD = 30  # and their lengths differ by at most this much (a browser copy's lines do not)

_BREADCRUMB_SEPARATORS = re.compile(r"\s*(?:›|»|>|/|\||→|·)\s*")
_CAMEL_PIECE = re.compile(r"[A-Z][a-z]+|[A-Z]+(?![a-z])")
_GLUED_CRUMBS = re.compile(r"Home(?:[A-Z][a-z]+|[A-Z]+(?![a-z]))+")
_DATELINE = re.compile(
    r"(?P<dateline>[A-Z][A-Z.'’ -]{1,40}(?:, [A-Z][A-Za-z.'’ -]{1,30})?"
    r"(?:, " + _MONTH + r" \d{1,2})?(?: \([A-Za-z][\w .&/-]{0,30}\))?)\s*[-–—]{1,2}\s+(?=\S)"
)
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)\s*$")
_SENTENCE_END = re.compile(r"[.!?。！？][\"”’')\]」』]*$")
_WIDE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_INNER_SENTENCE = re.compile(r"[a-z0-9)][.!?][\"”’]? [A-Z“\"(\[]")
_WORD = re.compile(r"[^\W_][\w'’-]*")
_LIST_ITEM = re.compile(r"[-•*–—]\s?(?=\S)|\d{1,2}[.)]\s")
_SPEAKER_TURN = re.compile(r"[A-Z][A-Z.'’ -]{0,30}:\s")  # "Q: …", "TAPPER: …" in interviews
_QUOTE_START = re.compile(r"^[\"“‘'«„]")
_SPACES = re.compile(r"\s+")
_MINOR_WORDS = frozenset(
    "a an the and or but nor of in on at to for by with from as into onto over is vs via per".split()
)

BlockKind = Literal["heading", "paragraph", "line"]


@dataclass(frozen=True, slots=True)
class Block:
    """A unit of the page before roles are given: an explicit ``heading`` (with its HTML/Markdown
    level), an explicit ``paragraph``, or a plain-text ``line`` the classifier decides about.
    ``lines``: the input line numbers it came from (plain text only)."""

    text: str
    kind: BlockKind = "line"
    level: int = 0
    lines: tuple[int, ...] = ()


class LineView(NamedTuple):
    """One unit of the input as the cleaner decided it, for the Add page's preview: ``number`` is
    the input line (plain text; the unit's index for Markdown and HTML), ``label`` the role when
    kept (title, alternate, dek, truncated, section, body) and the reason when dropped."""

    number: int
    text: str
    kept: bool
    label: str
    chosen: bool = False  # the analyst's choice decided it


@dataclass(slots=True)
class _Unit:
    """A block on its way through the cleaner, with the number choices refer to."""

    number: int
    block: Block
    shown: str  # the input text shown to the analyst
    reason: str | None = None  # why it is dropped; None while kept
    label: str = "body"
    chosen: bool = False
    p_body: float = 1.0


@dataclass(slots=True)
class _Found:
    """What the shared path collects while walking the blocks."""

    removed: list[RemovedLine]
    metadata: dict[str, str]


REASON_MODEL = "not article text"  # the line model's verdict
REASON_ABOVE = "above the headline"
REASON_CHOSEN = "dropped by you"
NOTICE_NO_BODY = "No article body was recognised, so every line with text is kept: check it."
MIN_PAGE_LINES = 8  # fewer non-blank lines: a short paste is the article itself, the model stays out
BODY_PRIOR = 0.3  # Viterbi's prior: below 0.5 leans to keeping a line when unsure
FALLBACK_TITLE_CHARS = 100  # an article without a headline is titled by its first line, this long
DROP_ABOVE_TITLE = False  # body-like lines above the title stay (when unsure, keep)
TRUNCATED_BONUS = 5.0  # a headline that a truncated copy on the page begins is the title


def clean_article(
    text: str,
    *,
    format: str | None = None,
    title: str | None = None,
    name: str = "input",
    choices: CleaningChoices | None = None,
) -> CleanedArticle:
    """Clean one article. ``format`` is sniffed when None; an explicit ``title`` (from a batch row)
    becomes the title; ``choices`` (the analyst's keep/drop by line, see ``input_lines``) override
    the cleaner. Raises ``InputError`` only when the input holds no letter at all; when no body is
    recognised, every line with text is kept and ``metadata["notice"]`` says so.

    The text is normalised first (as ``decode_bytes`` does for files), since callers may pass text
    that never went through it: control characters would otherwise reach lxml, which refuses them."""
    article, _ = _clean(text, format=format, title=title, name=name, choices=choices)
    return article


def clean_with_lines(
    text: str, *, format: str | None = None, title: str | None = None, choices: CleaningChoices | None = None
) -> tuple[CleanedArticle, list[LineView]]:
    """``clean_article`` and ``input_lines`` in one pass (the views give the reading order)."""
    return _clean(text, format=format, title=title, name="input", choices=choices)


def input_lines(
    text: str, format: str | None = None, *, title: str | None = None, choices: CleaningChoices | None = None
) -> list[LineView]:
    """Every unit of the input, kept or dropped, with its role or reason: what the Add page shows so
    the analyst can restore or drop lines (``CleaningChoices`` by ``LineView.number``).

    >>> [(v.text, v.kept, v.label) for v in input_lines("Menu\\n\\nThe council voted to close it.")][:1]
    [('Menu', False, 'navigation')]
    """
    try:
        _, views = _clean(text, format=format, title=title, name="input", choices=choices)
    except InputError:
        return []
    return views


def choices_from_kept(views: list[LineView], kept: list[bool]) -> CleaningChoices:
    """The analyst's choices from the preview's keep boxes (one per view, in order): lines kept
    that the cleaner dropped, and lines dropped that it kept. Several views of one unit (a
    hard-wrapped paragraph) count as one choice each way."""
    keep = [v.number for v, k in zip(views, kept, strict=True) if k and not v.kept]
    drop = [v.number for v, k in zip(views, kept, strict=True) if not k and v.kept]
    return CleaningChoices(keep=tuple(keep), drop=tuple(drop))


def _clean(
    text: str, *, format: str | None, title: str | None, name: str, choices: CleaningChoices | None
) -> tuple[CleanedArticle, list[LineView]]:
    text = normalize_text(text)
    fmt = format or detect_format(text)
    found = _Found(removed=[], metadata={})
    meta_headlines: list[Headline] = []
    if fmt == "html":
        blocks, meta_headlines, html_title = _html_blocks(text, found)
        title = title or html_title
    elif fmt == "markdown":
        blocks = _markdown_blocks(text, found)
    else:
        fmt = "text"
        blocks = _text_blocks(text)
    units = [
        _Unit(b.lines[0] if fmt == "text" and b.lines else i, b, b.text) for i, b in enumerate(blocks)
    ]
    _mark_boilerplate(units, found)
    title_unit = _mark_by_model(units, text) if fmt == "text" else None
    _apply_choices(units, choices)
    kept = [u for u in units if u.reason is None]
    if title_unit is not None:
        headlines, paragraphs = _page_roles(units, title_unit, title)
    else:
        headlines, paragraphs = _assign_roles(
            [u.block for u in kept], title, explicit_headings=fmt != "text", headings_are_sections=fmt == "html"
        )
        _label_units(kept, headlines)
    headlines = _merge_headlines(headlines, meta_headlines)
    if not paragraphs:
        headlines, paragraphs = _body_from_last_headline(headlines)
        for u in units:  # the preview shows the line that became the body as body
            if u.reason is None and paragraphs and u.block.text == paragraphs[0]:
                u.label = "body"
    if not _has_letters(paragraphs):
        paragraphs = _keep_everything(units, headlines, found)
    if not _has_letters(paragraphs):
        raise InputError(Messages.NO_BODY.format(name=name))
    paragraphs[0] = _take_dateline(paragraphs[0], found) or paragraphs[0]
    for unit in units:
        if unit.reason is not None:
            found.removed.append(RemovedLine(unit.shown, unit.reason))
    article = CleanedArticle(
        title=_fallback_title(headlines, paragraphs),
        headlines=headlines,
        paragraphs=paragraphs,
        removed=found.removed,
        metadata=found.metadata,
        format=fmt,
    )
    return article, _views(units, text if fmt == "text" else None)


def _fallback_title(headlines: list[Headline], paragraphs: list[str]) -> str:
    """The title headline; else the first headline found; else the body's first line, cut at a
    word near ``FALLBACK_TITLE_CHARS``: an article always has something to be picked by."""
    for role in ("title", None):
        for h in headlines:
            if role is None or h.role == role:
                return h.text
    first = paragraphs[0] if paragraphs else ""
    if len(first) <= FALLBACK_TITLE_CHARS:
        return first
    cut = first[:FALLBACK_TITLE_CHARS].rsplit(" ", 1)[0]
    return (cut or first[:FALLBACK_TITLE_CHARS]) + "…"


def _has_letters(paragraphs: list[str]) -> bool:
    return any(c.isalpha() for paragraph in paragraphs for c in paragraph)


def _keep_everything(units: list[_Unit], headlines: list[Headline], found: _Found) -> list[str]:
    """No body was recognised: keep every unit with a letter that is not a headline (model drops
    first, then the rule table's), and say so in the metadata. The analyst's own drops stay."""
    taken = {_key(h.text) for h in headlines}
    for reasons in ({REASON_MODEL, REASON_ABOVE}, None):
        chosen = [
            u for u in units
            if u.reason is not None and u.reason != REASON_CHOSEN and (reasons is None or u.reason in reasons)
            and any(c.isalpha() for c in u.block.text) and _key(u.block.text) not in taken
        ]
        if chosen:
            for u in chosen:
                u.reason, u.label = None, "body"
            found.metadata["notice"] = NOTICE_NO_BODY
            return [u.block.text for u in units if u.reason is None and u.label == "body"]
    return []


def _views(units: list[_Unit], text: str | None) -> list[LineView]:
    """One ``LineView`` per input line (plain text: every non-blank line, in order), else per unit."""
    views: list[LineView] = []
    raw = text.split("\n") if text is not None else None
    for u in units:
        label = u.reason if u.reason is not None else u.label
        numbers = u.block.lines if raw is not None and u.block.lines else (u.number,)
        for number in numbers:
            shown = _squash(raw[number]) if raw is not None else u.shown
            views.append(LineView(number, shown, u.reason is None, label, u.chosen))
    return views


def _label_units(kept: list[_Unit], headlines: list[Headline]) -> None:
    """Give kept units the role of the headline they became (else they stay ``body``)."""
    roles = {h.text: h.role for h in headlines}
    for u in kept:
        u.label = roles.get(u.block.text, "body")


def _apply_choices(units: list[_Unit], choices: CleaningChoices | None) -> None:
    """The analyst's overrides: ``keep`` restores a dropped unit, ``drop`` drops a kept one."""
    if not choices:
        return
    keep, drop = set(choices.keep), set(choices.drop)
    for u in units:
        numbers = set(u.block.lines) | {u.number}
        if numbers & drop and u.reason is None:
            u.reason, u.chosen = REASON_CHOSEN, True
        elif numbers & keep and u.reason is not None:
            u.reason, u.chosen = None, True
            if u.block.kind == "line":
                u.block = Block(u.block.text, "paragraph", 0, u.block.lines)


# --- the line model (pasted pages) ---------------------------------------------------------------


def _mark_by_model(units: list[_Unit], text: str) -> _Unit | None:
    """Drop the units the line model finds outside the article, and return the title's unit.

    Only for a page (``MIN_PAGE_LINES`` or more lines): a short paste is the article itself. A unit
    is dropped when most of its characters lie on lines the model (trees + Viterbi) calls not body;
    the title is the best-scored candidate among the headline-like lines above or at the start of
    the body; lines above it (menus, teasers) are dropped unless they are truncated copies."""
    from analysis.line_model import first_body_line, load_line_model, page_features

    lines, features = page_features(text)
    if len(lines) < MIN_PAGE_LINES:
        return None
    model = load_line_model()
    p_body = model.body_probabilities(features)
    body = model.smooth(p_body, prior=BODY_PRIOR)
    by_number = {line.number: (i, bool(body[i]), float(p_body[i])) for i, line in enumerate(lines)}
    for u in units:
        info = [by_number[n] for n in u.block.lines if n in by_number]
        if not info:
            continue
        u.p_body = max(p for _, _, p in info)
        if u.reason is None and sum(not b for _, b, _ in info) * 2 > len(info):
            u.reason = REASON_MODEL
    first_body = first_body_line(lines, body)
    scores = model.title_scores(lines, features, p_body, body, first_body)
    unit_of = {n: u for u in units for n in u.block.lines}
    best: tuple[float, _Unit] | None = None
    zone = [unit_of[line.number].block.text for line in lines[: first_body + 3] if line.number in unit_of]
    for i, line in enumerate(lines[: first_body + 3]):
        u = unit_of.get(line.number)
        if u is None or u.reason not in (None, REASON_MODEL) or not _title_candidate(u.block.text):
            continue
        if _is_truncated_copy(u.block.text, zone):
            continue
        score = float(scores[i])
        if any(_is_truncated_copy(t, [u.block.text]) for t in zone):  # a cut-off copy names it
            score += TRUNCATED_BONUS
        if best is None or score > best[0]:
            best = (score, u)
    if best is None:
        return None
    title_unit = best[1]
    texts = [title_unit.block.text]
    for u in units:
        if u is title_unit:
            break
        if u.reason is None or u.reason == REASON_MODEL:
            if _is_truncated_copy(u.block.text, texts):
                u.reason, u.label = None, "truncated"
            elif u.reason is not None or DROP_ABOVE_TITLE:
                u.reason = REASON_ABOVE
    title_unit.reason = None
    return title_unit


def _title_candidate(text: str) -> bool:
    words = _word_count(text)
    return 2 <= words <= 30 and len(text) <= MAX_HEADLINE_CHARS and boilerplate_reason(text) is None


def _page_roles(
    units: list[_Unit], title_unit: _Unit, title: str | None
) -> tuple[list[Headline], list[str]]:
    """Roles on a pasted page once the model has spoken: truncated copies above the title, the
    title, then headline-like lines up to the first body line (rescued even when the model dropped
    them, if they stand alone and have four words or more: a rewritten headline or a dek, never a
    menu), then body paragraphs and section headings."""
    from analysis.lines import looks_like_byline

    start = units.index(title_unit)
    top: list[_Unit] = [u for u in units[:start] if u.reason is None and u.label == "truncated"]
    top.append(title_unit)
    paragraphs_before = [u for u in units[:start] if u.reason is None and u.label != "truncated"]
    i = start + 1
    while i < len(units):
        u = units[i]
        if u.chosen and u.reason is not None:
            i += 1
            continue
        nxt = next((v.block.text for v in units[i + 1 :] if v.reason is None), None)
        headline_like = (
            u.block.kind != "paragraph"
            and headline_score(u.block.text, first=False, top_zone=True, next_text=nxt) >= HEADLINE_THRESHOLD
        )
        byline = u.block.kind != "paragraph" and _word_count(u.block.text) <= 20 and looks_like_byline(u.block.text)
        if byline and u.reason in (None, REASON_MODEL) and not u.chosen:
            u.reason = "byline"  # between the title and the body, never a headline variant nor body
            i += 1
            continue
        if u.reason is None and not headline_like:
            break
        standalone = _word_count(u.block.text) >= 4 and (u.reason is None or u.p_body >= 0.05)
        if headline_like and standalone and u.reason in (None, REASON_MODEL) and not u.chosen:
            u.reason = None
            top.append(u)
        i += 1
    headlines = _top_zone_roles([u.block for u in top], title)
    roles = {h.text: h.role for h in headlines}
    for u in top:
        u.label = roles.get(u.block.text, "alternate")
        if _key(u.block.text) == _key(title or "") and u is not title_unit:
            u.label = "title"
    paragraphs: list[str] = [u.block.text for u in paragraphs_before]
    rest = [u for u in units[i:] if u.reason is None]
    for j, u in enumerate(rest):
        nxt = rest[j + 1].block.text if j + 1 < len(rest) else None
        section = paragraphs and u.block.kind != "paragraph" and headline_score(
            u.block.text, first=False, top_zone=False, next_text=nxt
        ) >= HEADLINE_THRESHOLD
        if section:
            headlines.append(Headline(u.block.text, "section"))
            u.label = "section"
        else:
            paragraphs.append(u.block.text)
            u.label = "body"
    for u in paragraphs_before:
        u.label = "body"
    return headlines, paragraphs


# --- plain text ---------------------------------------------------------------------------------


def _text_blocks(text: str) -> list[Block]:
    """Blank-line separated blocks; inside one, hard-wrapped lines join into one ``line`` block and
    other lines (title, byline, date stacked on separate lines) stay separate. A boilerplate line
    is never joined to its neighbours, so it can be set aside on its own. Each block knows its
    input line numbers."""
    blocks: list[Block] = []
    run: list[tuple[int, str]] = []
    for number, raw in enumerate(text.split("\n")):
        line = _squash(raw)
        if not line:
            blocks.extend(_join_wrapped(run))
            run = []
        elif boilerplate_reason(line):
            blocks.extend(_join_wrapped(run))
            blocks.append(Block(line, lines=(number,)))
            run = []
        else:
            run.append((number, line))
    blocks.extend(_join_wrapped(run))
    return blocks


def _join_wrapped(lines: list[tuple[int, str]]) -> list[Block]:
    """One block for hard-wrapped lines (all but the last long, and of like length, as a wrapping
    editor leaves them), else one block per line."""
    body = [len(line) for _, line in lines[:-1]]
    if len(lines) > 1 and min(body) >= WRAPPED_LINE_CHARS and max(body) - min(body) <= WRAP_SPREAD:
        return [Block(" ".join(line for _, line in lines), lines=tuple(n for n, _ in lines))]
    return [Block(line, lines=(n,)) for n, line in lines]


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


# --- boilerplate --------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def boilerplate_reason(line: str) -> tuple[str, str | None, str] | None:
    """Cached: the rule table, the line features and the title search all ask about one line. ``(reason, metadata key, metadata value)`` when the whole line is boilerplate."""
    if len(line) > MAX_BOILERPLATE_CHARS:
        return None
    for pattern, reason, key in BOILERPLATE:
        match = pattern.fullmatch(line)
        if match:
            value = match.groupdict().get("value") or line
            return reason, key, _squash(value).strip(" ,;|-–—()")
    return None


def split_breadcrumb(line: str) -> tuple[list[str], str] | None:
    """``(crumbs, rest of the line)`` for a line that is or starts with a breadcrumb, else None.

    Glued crumbs ("HomePoliticsUnited States urges…") lose their spaces when a page is scraped:
    the capitalised pieces after "Home" are crumbs, and when text follows, the last piece is the
    first word of that text.

    >>> split_breadcrumb("HomePoliticsUnited States urges restraint")
    (['Home', 'Politics'], 'United States urges restraint')
    >>> split_breadcrumb("Home › Local › Transport")
    (['Home', 'Local', 'Transport'], '')
    """
    glued = _GLUED_CRUMBS.match(line)
    if glued:
        return _split_glued(glued.group(), line[glued.end():])
    if len(line) > 200 or not _BREADCRUMB_SEPARATORS.search(line):
        return None
    crumbs = [c for c in _BREADCRUMB_SEPARATORS.split(line) if c]
    starts_home = bool(crumbs) and crumbs[0].lower() == "home"
    short = all(_word_count(c) <= 4 and len(c) <= 40 and not _SENTENCE_END.search(c) for c in crumbs)
    if len(crumbs) >= 2 and short and (starts_home or len(crumbs) >= 3):
        return crumbs, ""
    return None


def _split_glued(glued: str, rest: str) -> tuple[list[str], str] | None:
    pieces = _CAMEL_PIECE.findall(glued)
    if not rest.strip():
        return pieces, ""
    if not rest[0].isspace() or len(pieces) < 3:  # too little evidence of a glued trail
        return None
    return pieces[:-1], pieces[-1] + rest


def _mark_boilerplate(units: list[_Unit], found: _Found) -> None:
    """Mark the units the rule table names (reason, metadata); a breadcrumb glued to a headline
    keeps the headline (``rest``) as the unit's text."""
    for u in units:
        block = u.block
        hit = boilerplate_reason(block.text)
        if hit:
            reason, key, value = hit
            u.reason = reason
            if key and value:
                found.metadata.setdefault(key, value)
            continue
        crumbs = split_breadcrumb(block.text)
        if crumbs and (block.kind != "paragraph" or not crumbs[1]):
            pieces, rest = crumbs
            _record_breadcrumb(pieces, block.text[: len(block.text) - len(rest)].strip(), found, removed=bool(rest))
            if rest:
                u.block = Block(rest.strip(), block.kind, block.level, block.lines)
            else:
                u.reason = "breadcrumb"


def _record_breadcrumb(crumbs: list[str], text: str, found: _Found, *, removed: bool = False) -> None:
    if removed:
        found.removed.append(RemovedLine(text, "breadcrumb"))
    found.metadata.setdefault("breadcrumb", " › ".join(crumbs))
    trail = [c for c in crumbs if c.lower() != "home"]
    if trail:
        found.metadata.setdefault("section", trail[-1])


def _take_dateline(paragraph: str, found: _Found) -> str:
    """Strip a wire dateline ("WASHINGTON (Reuters) - ") from the first paragraph into metadata.

    It is stripped, not kept: the dateline is where and by whom the story was filed, not prose of
    the story, and kept in the body it would count the agency as an entity of every wire story."""
    match = _DATELINE.match(paragraph)
    if not match or not _looks_like_dateline(match.group("dateline")):
        return paragraph
    found.metadata.setdefault("dateline", match.group("dateline").strip())
    return paragraph[match.end():]


def _looks_like_dateline(candidate: str) -> bool:
    """An all-caps place, optionally with a date or an agency in parentheses."""
    place = candidate.split(",")[0].split("(")[0].strip()
    letters = [c for c in place if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters) and len(place.split()) <= 4


# --- headline or paragraph ----------------------------------------------------------------------


def headline_score(text: str, *, first: bool, top_zone: bool, next_text: str | None) -> int:
    """Evidence that a plain-text line is a headline rather than a body paragraph.

    For: short, no sentence-final punctuation, Title Case, first in the article, before any body
    paragraph, followed by something longer. Against: long, several sentences, a final full stop
    (a question mark counts less), opening with a quotation mark, a list marker or an interview
    turn ("Q: "), an ellipsis below the top (cut-off prose), followed by a line that goes on in
    lower case (a sentence broken in two).
    ``HEADLINE_THRESHOLD`` or more → headline; never a line over ``MAX_HEADLINE_CHARS`` (a long
    run without spaces, such as an encoded blob, is few words but no headline).
    """
    if len(text) > MAX_HEADLINE_CHARS:
        return -9
    words = _WORD.findall(text)
    n = _word_count(text)
    if n == 0 or n > 30 or not any(c.isalpha() for c in text):
        return -9
    score = 2 if n <= 12 else 1 if n <= 20 else 0
    if _ELLIPSIS.search(text):  # a cut-off copy of the title above the body, cut-off prose below
        score += 1 if top_zone else -3
    elif _SENTENCE_END.search(text):
        score -= 2 if text.rstrip("\"”’')]").endswith("?") else 3  # "What Happens Next?" can head
    elif text.endswith((":", ";", ",", "{", "}")):
        score -= 3
    else:
        score += 1
    if _QUOTE_START.match(text) or _LIST_ITEM.match(text) or _SPEAKER_TURN.match(text):
        score -= 3
    if _INNER_SENTENCE.search(text):
        score -= 2
    if _is_title_case(words):
        score += 1
    if first:
        score += 3
    if top_zone:
        score += 1
    if next_text is not None and next_text[:1].islower():  # a line broken mid-sentence
        score -= 3
    elif next_text is not None and _word_count(next_text) >= 2 * n:
        score += 1
    return score


def _word_count(text: str) -> int:
    """Words, counting Chinese, Japanese and Korean characters two to a word (they are written
    without spaces, so one ``\\w+`` run can be a whole sentence).

    >>> _word_count("Big news today"), _word_count("宇航员在太空中喝酒")
    (3, 5)
    """
    wide = len(_WIDE.findall(text))
    if not wide:
        return len(_WORD.findall(text))
    return len(_WORD.findall(_WIDE.sub(" ", text))) + (wide + 1) // 2


def _is_title_case(words: list[str]) -> bool:
    """Most words that are not minor words start with a capital ("US Urges Israel to Act")."""
    major = [w for w in words[1:] if w.lower() not in _MINOR_WORDS]
    if len(major) < 2:
        return False
    return sum(w[0].isupper() for w in major) >= 0.75 * len(major)


def _assign_roles(
    blocks: list[Block], title: str | None, *, explicit_headings: bool, headings_are_sections: bool = False
) -> tuple[list[Headline], list[str]]:
    """Split blocks into headlines with roles and body paragraphs (see the module docstring).

    With ``explicit_headings`` (HTML, Markdown) a plain line is a headline only above the body
    (a dek under the title); below it, the markup's headings are the only section headings.
    With ``headings_are_sections`` (HTML, whose metadata gives the title and its variants) every
    heading of the main text is a section heading, even above the first paragraph, except the
    page's own copy of the title."""
    top: list[Block] = []
    sections: list[str] = []
    paragraphs: list[str] = []
    for i, block in enumerate(blocks):
        top_zone = not paragraphs
        if headings_are_sections and block.kind == "heading" and title:
            if top_zone and _key(block.text) == _key(title):
                continue  # the page's own copy of the title above its text
            sections.append(block.text)
            continue
        first = not title and top_zone and all(_ELLIPSIS.search(b.text) for b in top)
        if (top_zone or not explicit_headings or block.kind == "heading") and _is_headline(
            block, i, blocks, first=first, top_zone=top_zone
        ):
            if paragraphs:
                sections.append(block.text)
            else:
                top.append(block)
        else:
            paragraphs.append(block.text)
    headlines = _top_zone_roles(top, title)
    headlines.extend(Headline(text, "section") for text in sections)
    return headlines, paragraphs


def _is_headline(
    block: Block, i: int, blocks: list[Block], *, first: bool, top_zone: bool
) -> bool:
    """Headings are headlines, paragraphs are not; plain lines are scored.

    ``first``: no title was given and nothing but truncated copies (lines ending in an ellipsis)
    came before."""
    if block.kind != "line":
        return block.kind == "heading"
    next_text = blocks[i + 1].text if i + 1 < len(blocks) else None
    score = headline_score(block.text, first=first, top_zone=top_zone, next_text=next_text)
    return score >= HEADLINE_THRESHOLD


def _top_zone_roles(top: list[Block], title: str | None) -> list[Headline]:
    """Roles of the headlines above the body: truncated copies, title, alternates, dek."""
    texts = [b.text for b in top] + ([title] if title else [])
    truncated = [b for b in top if _is_truncated_copy(b.text, texts)]
    rest = [b for b in top if b not in truncated]
    if title:
        main = title
    else:
        h1 = next((b for b in rest if b.kind == "heading" and b.level == 1), None)
        main = (h1 or rest[0]).text if rest else ""
    others = list(dict.fromkeys(b.text for b in rest if _key(b.text) != _key(main)))
    headlines = [Headline(b.text, "truncated") for b in truncated]
    if main:
        headlines.append(Headline(main, "title"))
    for i, text in enumerate(others):
        last = i == len(others) - 1
        if last and (len(others) > 1 or not _is_title_case(_WORD.findall(text))):
            headlines.append(Headline(text, "dek"))
        else:
            headlines.append(Headline(text, "alternate"))
    return headlines


def _body_from_last_headline(headlines: list[Headline]) -> tuple[list[Headline], list[str]]:
    """A text that is all headline-like lines ("Police said the fire killed three.") is a short
    article, not a page without a body: its last full headline becomes the body."""
    for i in range(len(headlines) - 1, -1, -1):
        if headlines[i].role != "truncated":
            return headlines[:i] + headlines[i + 1 :], [headlines[i].text]
    return headlines, []


def _is_truncated_copy(text: str, others: list[str]) -> bool:
    """Ends in an ellipsis and, without it, begins another headline."""
    if not _ELLIPSIS.search(text):
        return False
    stem = _key(_ELLIPSIS.sub("", text))
    return len(stem) >= 10 and any(
        _key(o) != _key(text) and _key(o).startswith(stem) for o in others
    )


def _key(text: str) -> str:
    """Comparison form of a headline: case-folded words only."""
    return " ".join(_WORD.findall(text.casefold()))


def _merge_headlines(headlines: list[Headline], extra: list[Headline]) -> list[Headline]:
    """Add page-metadata headlines (og:title, description…) that say something new."""
    seen = {_key(h.text) for h in headlines}
    merged = list(headlines)
    for h in extra:
        if h.text and _key(h.text) not in seen:
            seen.add(_key(h.text))
            merged.insert(_after_top(merged), h)
    return merged


def _after_top(headlines: list[Headline]) -> int:
    return next((i for i, h in enumerate(headlines) if h.role == "section"), len(headlines))


# --- markdown -----------------------------------------------------------------------------------

_MD_ATX = re.compile(r"(#{1,6})\s+(.*?)(?:\s+#+)?\s*")
_MD_SETEXT = re.compile(r"=+|-{2,}")
_MD_RULE = re.compile(r"(?:[-*_]\s*){3,}")
_MD_FENCE = re.compile(r"(?:```|~~~).*")
_MD_LINK_DEF = re.compile(r"\[[^\]\n]{1,200}\]:\s*\S+.*")
_MD_LIST = re.compile(r"(?:[-*+]|\d{1,3}[.)])\s+")
_MD_QUOTE = re.compile(r">\s?")
# A link target may hold balanced parentheses one level deep ("javascript:alert(1)"); the pieces
# between parentheses cannot overlap, so matching stays linear.
_MD_TARGET = r"\([^()\n]{0,500}(?:\([^()\n]{0,500}\)[^()\n]{0,500}){0,5}\)"
_MD_IMAGE = re.compile(r"!\[[^\]\n]{0,300}\](?:" + _MD_TARGET + r"|\[[^\]\n]{0,100}\])")
_MD_LINK = re.compile(r"\[([^\]\n]{0,300})\](?:" + _MD_TARGET + r"|\[[^\]\n]{0,100}\])")
_MD_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^<>\s]{1,500}>")
_MD_STRONG = re.compile(r"(\*\*|__|~~)(?=\S)([^\n]{1,300}?)(?<=\S)\1")
_MD_EMPH = re.compile(r"(?<![\w*])([*_])(?=\S)([^*_\n]{1,300}?)(?<=\S)\1(?![\w*])")
_MD_CODE = re.compile(r"`([^`\n]{1,300})`")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>\n]{0,300}>")
# Raw HTML whose content is never shown as text: the element and what it holds go, not just the tags.
_HIDDEN_ELEMENTS = ("script", "style", "noscript", "iframe", "template")
_RAW_HIDDEN = re.compile(r"<!--|<(" + "|".join(_HIDDEN_ELEMENTS) + r")\b[^<>]{0,300}>", re.I)
_RAW_CLOSERS = {"!--": re.compile("-->")} | {
    tag: re.compile(rf"</{tag}\s*>", re.I) for tag in _HIDDEN_ELEMENTS
}


def _markdown_blocks(text: str, found: _Found) -> list[Block]:
    """ATX and setext headings as ``heading`` blocks, list items and block quotes as
    ``paragraph`` blocks, other text as plain lines; inline syntax stripped to its text.

    Images, link targets and raw HTML tags go; rules, fences, link definitions and raw
    ``<script>``-like elements (with their content) go into ``removed`` as ``markup``."""
    text = _drop_hidden_html(text, found)
    blocks: list[Block] = []
    plain: list[str] = []
    quote: list[str] = []

    def flush() -> None:
        blocks.extend(_text_blocks("\n".join(plain)))
        plain.clear()
        if quote:
            blocks.append(Block(_squash(" ".join(quote)), "paragraph"))
            quote.clear()

    lines = [line.strip() for line in text.split("\n")]
    skip = False
    for i, line in enumerate(lines):
        if skip:
            skip = False
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        heading = _MD_ATX.fullmatch(line)
        setext = bool(line) and _MD_SETEXT.fullmatch(nxt) is not None and not _MD_LIST.match(line)
        if heading or setext:
            flush()
            level = len(heading.group(1)) if heading else (1 if nxt.startswith("=") else 2)
            content = _markdown_inline(heading.group(2) if heading else line)
            if content:
                blocks.append(Block(content, "heading", level))
            skip = setext
        elif _MD_RULE.fullmatch(line) or _MD_FENCE.fullmatch(line) or _MD_LINK_DEF.fullmatch(line):
            flush()
            found.removed.append(RemovedLine(line, "markup"))
        elif line.startswith(">"):
            if plain:
                flush()
            quote.append(_markdown_inline(_MD_QUOTE.sub("", line, count=1)))
        elif _MD_LIST.match(line):
            flush()
            item = _markdown_inline(_MD_LIST.sub("", line, count=1))
            if item:
                blocks.append(Block(item, "paragraph"))
        else:
            if quote:
                flush()
            plain.append(_markdown_inline(line))
    flush()
    return [b for b in blocks if b.text]


def _drop_hidden_html(text: str, found: _Found) -> str:
    """``text`` without raw ``<script>``, ``<style>``, ``<noscript>``, ``<iframe>``, ``<template>``
    elements and HTML comments, each recorded in ``removed`` as ``markup``.

    An opener without its closer is left for ``_HTML_TAG`` to strip (its text stays). Once a
    closer is missing, later openers of that kind are skipped, so the scan stays linear."""
    kept: list[str] = []
    unclosed: set[str] = set()
    pos = 0
    for opener in _RAW_HIDDEN.finditer(text):
        kind = (opener.group(1) or "!--").lower()
        if opener.start() < pos or kind in unclosed:
            continue
        closer = _RAW_CLOSERS[kind].search(text, opener.end())
        if closer is None:
            unclosed.add(kind)
            continue
        kept.append(text[pos : opener.start()])
        found.removed.append(RemovedLine(_squash(text[opener.start() : closer.end()]), "markup"))
        pos = closer.end()
    kept.append(text[pos:])
    return "".join(kept)


def _markdown_inline(text: str) -> str:
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_AUTOLINK.sub("", text)
    text = _MD_CODE.sub(r"\1", text)
    text = _MD_STRONG.sub(r"\2", text)
    text = _MD_EMPH.sub(r"\2", text)
    return _squash(_HTML_TAG.sub("", text))


# --- HTML ---------------------------------------------------------------------------------------

_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
              "canvas", "form", "button", "select", "nav", "header", "footer", "aside")
_BLOCK_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "figcaption",
               "dd", "dt", "td")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]{0,200}\?>")
_DROP_MARKERS = re.compile(  # class or id words of page furniture
    r"\b(?:breadcrumbs?|cookies?|consent|share|sharing|social|newsletters?|comments?|related|"
    r"promos?|adverts?|advertisement|ads?|sponsored|subscribe|paywall)\b", re.I
)
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{1,40}$")


def _html_blocks(html: str, found: _Found) -> tuple[list[Block], list[Headline], str | None]:
    """Body blocks, headline variants from the page's metadata, and the page's title."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.document_fromstring(_XML_DECLARATION.sub("", html, count=1))
    except (ValueError, lxml_html.etree.ParserError):  # nothing but whitespace or comments
        return [], [], None
    title, variants = _html_headlines(tree)
    _html_metadata(tree, found)
    blocks = _trafilatura_blocks(html) or _lxml_blocks(tree)
    return blocks, variants, title


def _meta(tree, *names: str) -> str:
    """The first non-empty ``content`` of a ``<meta>`` with one of these names/properties."""
    for name in names:
        for el in tree.iter("meta"):
            key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
            if key == name and (el.get("content") or "").strip():
                return _squash(el.get("content"))
    return ""


def _text_of(tree, tag: str) -> str:
    el = next(iter(tree.iter(tag)), None)
    return _squash(el.text_content()) if el is not None else ""


def _html_headlines(tree) -> tuple[str | None, list[Headline]]:
    """The page's title and its other headline variants. The title is the first h1 when it agrees
    with <title> (without the site's suffix), else the metadata's (Dublin Core, og:title,
    twitter:title, <title>), else the first h1."""
    h1 = _text_of(tree, "h1")
    dublin_core = _meta(tree, "dc.title", "dcterms.title", "dc:title")
    og = _meta(tree, "og:title")
    twitter = _meta(tree, "twitter:title")
    page_title = _TITLE_SUFFIX.sub("", _text_of(tree, "title"))
    if h1 and _key(h1) == _key(page_title):  # the page's heading and its <title> agree
        title = h1
    else:  # the metadata names the article; a first h1 is often a site or section name
        title = dublin_core or og or twitter or page_title or h1 or None
    variants = [Headline(t, "alternate") for t in (h1, og, twitter, page_title) if t and t != title]
    dek = _meta(tree, "description", "og:description", "twitter:description")
    if dek:
        variants.append(Headline(dek, "dek"))
    return title, variants


def _html_metadata(tree, found: _Found) -> None:
    """Published/updated time, author and breadcrumb trail from the page's markup."""
    pairs = (
        ("published", ("article:published_time", "datepublished", "pubdate", "date")),
        ("updated", ("article:modified_time", "datemodified", "og:updated_time")),
        ("byline", ("author", "article:author", "byl", "parsely-author")),
        ("source", ("og:site_name", "application-name")),
    )
    for key, names in pairs:
        value = _meta(tree, *names)
        if value:
            found.metadata.setdefault(key, value.removeprefix("By ").removeprefix("by "))
    for el in tree.iter("nav", "ol", "ul", "div"):
        marker = " ".join(el.get(a) or "" for a in ("aria-label", "class", "id", "itemtype"))
        if "breadcrumb" in marker.lower():
            crumbs = [_squash(a.text_content()) for a in el.iter("a", "li", "span")]
            crumbs = list(dict.fromkeys(c for c in crumbs if c and len(c) < 60))
            if crumbs:
                _record_breadcrumb(crumbs, " › ".join(crumbs), found, removed=True)
            break


def _trafilatura_blocks(html: str) -> list[Block]:
    """Main-text blocks from trafilatura's XML (headings keep their level); [] when it finds none."""
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(
        html, output_format="xml", include_comments=False, include_tables=False,
        include_images=False, include_links=False, include_formatting=False, deduplicate=False,
    )
    if not xml:
        return []
    try:
        root = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        return []
    main = root.find("main")
    container = main if main is not None else root
    blocks: list[Block] = []
    loose = [_squash(container.text or "")] + [_squash(child.tail or "") for child in container]
    for el in container.iter("head", "p", "item", "quote", "code"):
        text = _squash("".join(el.itertext()))
        if not text or any(a.tag in ("item", "quote", "p") for a in el.iterancestors()):
            continue
        if el.tag == "head":
            level = re.search(r"[1-6]", el.get("rend") or "")
            blocks.append(Block(text, "heading", int(level.group()) if level else 2))
        else:
            blocks.append(Block(text, "paragraph"))
    blocks.extend(Block(text, "paragraph") for text in loose if text)  # text between the blocks
    return blocks


def _lxml_blocks(tree) -> list[Block]:
    """Fallback extraction: drop scripts, navigation and their kin (by tag, or by a class or id
    such as ``cookie-banner``), keep block elements' text."""
    for el in list(tree.iter(*_DROP_TAGS)):
        el.drop_tree()
    for el in list(tree.iter()):
        marker = f"{el.get('class') or ''} {el.get('id') or ''}".replace("_", " ")
        if el.tag != "body" and _DROP_MARKERS.search(marker) and el.getparent() is not None:
            el.drop_tree()
    body = tree.find("body")
    root = body if body is not None else tree
    blocks: list[Block] = []
    for el in root.iter(*_BLOCK_TAGS):
        if any(a.tag in _BLOCK_TAGS for a in el.iterancestors()):
            continue
        text = _squash(el.text_content())
        if text:
            level = int(el.tag[1]) if el.tag[0] == "h" and el.tag[1:].isdigit() else 0
            blocks.append(Block(text, "heading" if level else "paragraph", level))
    return blocks or _text_blocks(root.text_content())
