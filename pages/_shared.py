"""What every page shares: the view state in the URL, the cached store and frames, the sidebar.

Every page starts with ``ids = init_state()``. View state lives in the URL so a copied link
reproduces the view: ``article=ID[,ID…]`` on every page, plus each page's own parameters (the
constants below). ``article`` is also kept in session state, so it survives page switches (which
clear the query string) and is written back to the URL.

Pages read data only through ``load("<Store method>", …)``: a cached call of that ``Store``
method, keyed on the database and its version (article count and revision), so an added,
re-analysed or deleted article refreshes every frame. Ids in the URL are resolved through the
store's aliases first (an id from before an engine upgrade opens the same article).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from analysis.engine import STAGE_NAMES, stale_parts
from analysis.seed import SeedJob, start_seeding
from analysis.store import CorpusScope, Store, database_url

__all__ = [
    "ARTICLE", "SPEAKER", "KIND", "QUERY", "TONE", "QUOTE", "ENTITY", "LABEL", "TOP", "MEASURE",
    "SCOPE", "STORY", "OUTLET", "SINCE", "UNTIL", "PAGES", "corpus_scope", "scope_caption", "table_with_csv", "PageSpec", "init_state", "get_store", "current_store", "load", "store_version",
    "set_articles", "drop_param", "url_value", "url_list", "url_widget", "sidebar", "require_article",
    "share_link", "engine_notice", "engine_summary", "highlight_html", "show_text", "md", "accuracy_note", "page_path", "route",
]  # fmt: skip

# -- URL parameters (the view state) ---------------------------------------------------------
ARTICLE = "article"  # one id, or comma-separated ids where a page compares articles
SPEAKER = "speaker"  # repeatable, or a comma list
KIND = "kind"  # quote kind: direct | partial | indirect
QUERY = "q"  # text search in quotes
TONE = "tone"  # tone range "low,high"
QUOTE = "quote"  # index of the chosen quote
CONFIDENCE = "confidence"  # "all" also shows low-confidence and negated quotes
ROLE = "role"  # speaker role filter on /quotes, repeatable or a comma list
ENTITY = "entity"  # the selected entity
LABEL = "label"  # entity type filter (PERSON, ORG, …)
TOP = "top"  # top-N of charts
MEASURE = "measure"  # tone measure: polarity | subjectivity | vader | tone
SCOPE = "scope"  # "corpus" for corpus-wide views
STORY = "story"  # a story id (``analysis.stories``) on /stories
OUTLET = "outlet"  # corpus views: outlets kept, repeatable or a comma list (all when absent)
SINCE = "from"  # corpus views: first published date kept, YYYY-MM-DD
UNTIL = "to"  # corpus views: last published date kept, YYYY-MM-DD

# -- session state ---------------------------------------------------------------------------
SS_ARTICLES = "articles"  # the article ids carried across pages
SS_PAGE_PATH = "page_url_path"  # url_path of the page being shown (for share links)
SS_SEARCH = "article_search"  # the sidebar's search box
SS_PICKER = "article_picker"  # the sidebar's article selectbox
SS_VERSION = "store_version"  # read once per run by init_state, keys every cached frame

CACHE_TTL = 600  # seconds
CACHE_ENTRIES = 256
PICKER_LIMIT = 200  # articles listed in the sidebar picker
MAX_ARTICLES = 12  # articles compared at once (longer ``article=`` lists are cut)
LOCAL_BASE_URL = "http://localhost:8501"  # for share links when the browser URL is unknown


@dataclass(frozen=True, slots=True)
class PageSpec:
    path: str
    title: str
    url_path: str
    icon: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", "", ":material/newspaper:"),
    PageSpec("pages/headlines.py", "Headlines", "headlines", ":material/title:"),
    PageSpec("pages/entities.py", "Entities", "entities", ":material/groups:"),
    PageSpec("pages/tone.py", "Tone", "tone", ":material/mood:"),
    PageSpec("pages/quotes.py", "Quotes", "quotes", ":material/format_quote:"),
    PageSpec("pages/stories.py", "Stories", "stories", ":material/view_column:"),
    PageSpec("pages/coverage.py", "Coverage", "coverage", ":material/timeline:"),
    PageSpec("pages/add.py", "Add article", "add", ":material/add_circle:"),
)


def page_path(title: str) -> str:
    """The script path of the page called ``title`` (for ``st.page_link``/``st.switch_page``)."""
    return next(p.path for p in PAGES if p.title == title)


# -- the store and its frames ----------------------------------------------------------------


@st.cache_resource(show_spinner="Opening the article store…")
def _open_store(db: str) -> tuple[Store, SeedJob | None]:
    """One ``Store`` per database and process, and the background job storing the seed articles
    it lacks (``analysis.seed``; None when it has them all). No model is loaded here: the job's
    thread loads them while the page shows what it is doing (``wait_for_seed``)."""
    store = Store(db)
    return store, start_seeding(store)


def get_store(db: str) -> Store:
    """The ``Store`` of database ``db`` (opened once per process)."""
    return _open_store(db)[0]


def _db() -> str:
    return database_url()


def current_store() -> Store:
    """The store of the database in use (``NEWSLENS_DB``), for writing; read through ``load``."""
    return get_store(_db())


def store_version() -> tuple[int, int]:
    """(article count, revision): changes whenever an article is added, re-analysed or deleted."""
    return get_store(_db()).version()


@st.cache_data(ttl=CACHE_TTL, max_entries=CACHE_ENTRIES, show_spinner=False)
def _load(db: str, version: tuple[int, float], method: str, args: tuple, kwargs: tuple) -> Any:
    return getattr(get_store(db), method)(*args, **dict(kwargs))


def load(method: str, *args: Any, **kwargs: Any) -> Any:
    """``Store.<method>(*args, **kwargs)``, cached per database and store version.

    >>> load("quotes_frame", ["6b59547119199e55"], kinds=["direct"])  # doctest: +SKIP
    """
    args = tuple(tuple(a) if isinstance(a, list) else a for a in args)
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in kwargs.items()}
    version = st.session_state.get(SS_VERSION) or store_version()
    return _load(_db(), version, method, args, tuple(sorted(kwargs.items())))


# -- URL state -------------------------------------------------------------------------------


def url_value(param: str, default: str = "") -> str:
    """A single URL parameter (the last one when repeated), stripped."""
    values = st.query_params.get_all(param)
    return values[-1].strip() if values else default


def url_list(param: str) -> list[str]:
    """A list parameter, given repeated (``?speaker=A&speaker=B``) or as a comma list."""
    out: list[str] = []
    for value in st.query_params.get_all(param):
        for part in value.split(","):
            if part.strip() and part.strip() not in out:
                out.append(part.strip())
    return out


def _set_param(param: str, value: str | list[str] | None) -> None:
    if value in (None, "", []):
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get_all(param) != ([value] if isinstance(value, str) else value):
        st.query_params[param] = value


def drop_param(param: str) -> None:
    """Remove a (stale) parameter from the URL."""
    _set_param(param, None)


def _write_widget_to_url(
    param: str, key: str, encode: Callable[[Any], str | list[str] | None]
) -> None:
    _set_param(param, encode(st.session_state[key]))


def url_widget(
    param: str, value: Any, *, encode: Callable[[Any], str | list[str] | None] = str
) -> dict[str, Any]:
    """Keyword arguments tying a widget to the URL parameter ``param``.

    The widget shows ``value`` (which the page read from the URL); a change writes
    ``encode(new value)`` to the URL (``None`` or ``""`` removes the parameter).

    >>> st.selectbox("Kind", KINDS, **url_widget(KIND, kind))  # doctest: +SKIP
    """
    key = f"url_{param}"
    st.session_state[key] = value
    return {"key": key, "on_change": _write_widget_to_url, "args": (param, key, encode)}


def set_articles(ids: Sequence[str], *, clear: Iterable[str] = ()) -> None:
    """Make ``ids`` the current articles (URL and session); drop the parameters in ``clear``."""
    st.session_state[SS_ARTICLES] = list(ids)
    _set_param(ARTICLE, ",".join(ids))
    for param in clear:
        _set_param(param, None)


def init_state() -> list[str]:
    """Call first on every page. Returns the current article ids (newest stored when none).

    The ids come from the URL, else from the session (after a page switch), else the newest
    article; they are written back to the URL so the share link is complete.
    """
    if SS_PAGE_PATH not in st.session_state:
        route()  # this page was run straight from pages/, without app.py: see ``route``
    st.session_state[SS_VERSION] = store_version()
    if st.session_state[SS_VERSION][0] == 0:
        wait_for_seed()
    ids = (url_list(ARTICLE) or st.session_state.get(SS_ARTICLES) or [])[:MAX_ARTICLES]
    ids = list(dict.fromkeys(load("resolve_ids", ids))) if ids else []  # old ids open their article
    if not ids:
        newest = load("articles_frame", limit=1)
        ids = newest["id"].tolist()
    if ids:
        set_articles(ids)
    return list(ids)


def route() -> StreamlitPage:
    """The router, run by app.py: page config, ``st.navigation`` over ``PAGES``, the sidebar.
    Returns the page to run.

    Streamlit serves a project with a pages/ folder the old way (each file its own app) until
    some session has called ``st.navigation``. So on a freshly started server, a shared link such
    as ``/quotes?article=…`` opened first runs pages/quotes.py alone, with no navigation and no
    article picker. ``init_state`` (the first call of every page) therefore routes a session that
    has not been routed yet: the page is the one the URL names, and from then on the whole server
    runs through app.py."""
    st.set_page_config(page_title="Newslens", page_icon=":material/newspaper:", layout="wide")
    page = st.navigation(
        [
            st.Page(p.path, title=p.title, url_path=p.url_path or None, icon=p.icon, default=not p.url_path)
            for p in PAGES
        ],
        position="sidebar",
    )
    st.session_state[SS_PAGE_PATH] = page.url_path
    sidebar(init_state())
    return page


# -- shared UI -------------------------------------------------------------------------------


SEED_POLL = 0.2  # seconds between two looks at the seeding job


def wait_for_seed() -> None:
    """On a first start (an empty store, the seed being analysed): show the seed as cleaning
    made it (readable at once, no model needed) and the job's progress, then rerun the page
    once the seed is stored. A seeding that failed is shown as an error and the page goes on."""
    job = _open_store(_db())[1]
    if job is None:
        return
    snap = job.snapshot()
    if not snap.running:
        if snap.error:
            st.error(f"The seed articles under data/ could not be analysed: {md(snap.error)}")
        return
    status = st.status(f"First start: {snap.phase}…", expanded=True)
    with status:
        st.caption(
            "The first start loads the language model and the tone encoder and analyses the "
            "articles under data/; later starts skip it. The page fills in when it is done."
        )
        steps = st.empty()
    for preview in snap.previews[:1]:
        show_text(preview.title, tag="h2", style="margin-bottom:0")
        st.caption(
            ":material/hourglass_top: Still being analysed: entities, tone and quotes appear here "
            "when the analysis is done. Below, the article as cleaned."
        )
        if len(preview.headlines) > 1:
            items = "".join(f"<li>{html.escape(text)} <small>({html.escape(role)})</small></li>" for role, text in preview.headlines)
            st.html(f"<p><b>Headline variants</b></p><ul>{items}</ul>")
        st.html(highlight_html(preview.body, []))
    shown = None
    while snap.running:
        if (snap.phase, len(snap.phases)) != shown:
            shown = (snap.phase, len(snap.phases))
            done = [f":material/check: {phase} ({seconds:.1f} s)" for phase, seconds in snap.phases]
            steps.markdown("  \n".join([*done, f":material/hourglass_empty: {snap.phase}…"]))
            status.update(label=f"First start: {snap.phase}…", state="running")
        time.sleep(SEED_POLL)
        snap = job.snapshot()
    st.rerun()


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _url_date(param: str, label: str) -> dt.date | None:
    raw = url_value(param)
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        st.warning(f"{label} {md(raw)} is not a date like 2026-03-02; it is ignored.", icon=":material/event_busy:")
        drop_param(param)
        return None


def corpus_scope() -> CorpusScope:
    """The outlet and date filters every corpus view shares: read from the URL (``outlet=``,
    repeatable; ``from=`` and ``to=`` as YYYY-MM-DD), shown as three widgets that write back to
    it, and returned as the ``CorpusScope`` the store's queries filter by (in SQL).

    >>> scope = corpus_scope()  # doctest: +SKIP
    >>> load("entities_frame", None, scope=scope)  # doctest: +SKIP
    """
    known = [o for o in load("outlets") if o]
    asked = url_list(OUTLET)
    unknown = [o for o in asked if o not in known]
    if unknown:
        st.warning(
            f"No stored article is from {', '.join(map(md, unknown))}; that outlet filter is ignored.",
            icon=":material/help:",
        )
    outlets = [o for o in asked if o in known]
    since, until = _url_date(SINCE, "From"), _url_date(UNTIL, "To")
    if since and until and since > until:
        since, until = until, since
    stored = [d for d in map(_iso_date, load("date_range")) if d]
    chosen = [d for d in (since, until) if d]
    low = min([*stored, *chosen, dt.date(1990, 1, 1)])
    high = max([*stored, *chosen, dt.date.today()])
    iso = lambda d: d.isoformat() if d else ""  # noqa: E731
    left, middle, right = st.columns([3, 1, 1])
    left.multiselect(
        "Outlets", known, placeholder="All outlets", **url_widget(OUTLET, outlets, encode=list)
    )
    middle.date_input(
        "From", min_value=low, max_value=high, format="YYYY-MM-DD", help="published on or after",
        **url_widget(SINCE, since, encode=iso),
    )  # fmt: skip
    right.date_input(
        "To", min_value=low, max_value=high, format="YYYY-MM-DD", help="published on or before",
        **url_widget(UNTIL, until, encode=iso),
    )  # fmt: skip
    return CorpusScope(tuple(outlets), iso(since), iso(until))


def table_with_csv(frame, *, name: str, label: str, column_config: dict | None = None) -> None:
    """A table and a button downloading exactly its rows as ``<name>.csv``."""
    st.dataframe(frame, hide_index=True, width="stretch", column_config=column_config)
    st.download_button(
        label, frame.to_csv(index=False).encode("utf-8"), f"{name}.csv", "text/csv",
        key=f"download_{name}", icon=":material/download:",
    )  # fmt: skip


def scope_caption(scope: CorpusScope) -> str:
    """Which articles a corpus view covers, in words (Markdown-safe)."""
    if not scope:
        return "all stored articles"
    parts = [", ".join(map(md, scope.outlets))] if scope.outlets else ["all outlets"]
    if scope.since or scope.until:
        parts.append(f"published {scope.since or '…'} to {scope.until or '…'} (articles with an ISO date)")
    return "; ".join(parts)


def _on_pick() -> None:
    set_articles([st.session_state[SS_PICKER]], clear=(SPEAKER, QUOTE, ENTITY))


def sidebar(ids: Sequence[str]) -> None:
    """The article picker (search by any word of the title, outlet or text, newest first) and
    the corpus size."""
    with st.sidebar:
        count, _ = st.session_state.get(SS_VERSION) or store_version()
        st.caption(f"**{count:,}** article{'s' if count != 1 else ''} stored")
        search = st.text_input("Find an article", key=SS_SEARCH, placeholder="any word of the title, outlet or text")
        found = load("articles_frame", search, limit=PICKER_LIMIT)
        labels = {
            row.id: f"{row.title[:70]} — {row.source}" if row.source else row.title[:80]
            for row in found.itertuples()
        }
        current = ids[0] if ids else None
        if current and current not in labels:
            row = load("article", current)
            if row is not None:
                labels = {current: row["title"][:80], **labels}
        if not labels:
            st.caption("No article matches." if search else "No articles stored yet.")
            return
        if current in labels:
            st.session_state[SS_PICKER] = current
        st.selectbox(
            "Article",
            list(labels),
            format_func=labels.get,
            key=SS_PICKER,
            on_change=_on_pick,
            help="Newest first. The choice is kept in the URL (`article=`) for sharing.",
        )
        if len(found) == PICKER_LIMIT:
            st.caption(f"Showing the newest {PICKER_LIMIT}; search to narrow.")


def require_article(ids: Sequence[str]) -> dict:
    """The current article's row, or a friendly message, a way out and ``st.stop()``."""
    if not ids:
        st.info("No articles are stored yet.")
        st.page_link(page_path("Add article"), label="Add an article", icon=":material/add_circle:")
        st.stop()
    article = load("article", ids[0])
    if article is None:
        st.session_state[SS_ARTICLES] = []
        gone = load("resolve", ids[0])
        if gone.status == "deleted":
            when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(gone.deleted_at))
            st.warning(
                f"The article {md(ids[0])} (“{md(gone.title)}”) was deleted from this store on "
                f"{when}, with everything derived from it. Pick an article in the sidebar, or:",
                icon=":material/delete:",
            )
        else:
            st.warning(
                f"No stored article has the id {md(ids[0])}. The link may be mistyped, or the article "
                "was stored in another database. Pick an article in the sidebar, or:"
            )
        newest = load("articles_frame", limit=1)["id"].tolist()
        st.page_link(
            page_path("Overview"),
            label="Open the newest article",
            icon=":material/newspaper:",
            query_params={ARTICLE: newest[0]} if newest else None,
        )
        st.stop()
    engine_notice(article)
    return article


def engine_notice(article: dict) -> None:
    """Say when the article was analysed by an older engine, and when its original input was
    not kept (a store made before originals were kept)."""
    stale = stale_parts(article["engine"])
    if stale:
        if article["engine"]:
            changed = ", ".join(stale)
            text = f"Analysed by an older engine ({changed} changed since)."
        else:
            text = "Analysed by an older engine (stored before engine versions were recorded)."
        st.caption(
            f":material/update: {text} Re-analyse it on the Overview page, or run "
            "`python -m analysis reanalyze --stale` for the whole store."
        )
    if article["original"] == "none":
        st.caption(
            ":material/history: Original not kept: this article was stored before Newslens kept "
            "inputs; re-analysis rebuilds its input from the stored title and paragraphs (what "
            "cleaning removed then cannot come back)."
        )
    elif article["original"] == "rebuilt":
        st.caption(
            ":material/history: Re-analysed from its stored title and paragraphs (the original "
            "input was not kept by an older store)."
        )


def engine_summary(article: dict) -> str:
    """One line naming the engine that analysed the article (its stage versions)."""
    engine = article["engine"] or {}
    if not engine:
        return "Engine: not recorded (stored by an older Newslens)."
    parts = [f"{STAGE_NAMES.get(k, k)} {v}" for k, v in engine.items()]
    stale = stale_parts(engine)
    now = "the current engine" if not stale else f"older than this engine: {', '.join(stale)} changed"
    return f"Engine: {', '.join(parts)}; tone model {article['tone_model'] or '?'} ({now})."


def share_link() -> None:
    """The page's full URL with its query parameters, ready to copy."""
    base = st.context.url or f"{LOCAL_BASE_URL}/{st.session_state.get(SS_PAGE_PATH, '')}"
    if not urlsplit(base).path:
        base += "/"  # the root page: http://host:port/?article=…
    query = urlencode(
        [(k, v) for k in st.query_params for v in st.query_params.get_all(k)], safe=","
    )
    st.caption("Link to this view")
    st.code(f"{base}{'?' + query if query else ''}", language=None, wrap_lines=True)


README = Path(__file__).resolve().parents[1] / "README.md"


@st.cache_data(show_spinner=False, max_entries=1)
def _readme_section(title: str) -> str:
    """One ``## title`` section of the project's own README (trusted text, not article text)."""
    try:
        text = README.read_text(encoding="utf-8")
    except OSError:
        return ""
    start = text.find(f"\n## {title}\n")
    if start < 0:
        return ""
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None].strip().removeprefix(f"## {title}").strip()


def accuracy_note() -> None:
    """How reliable the scores are: one line, and the README's Accuracy table one click away."""
    st.caption(
        "How reliable are these scores? TextBlob and VADER are general-purpose lexicons; *tone* "
        "is the project's best estimate. All are measured against annotated news data below "
        "(README, section *Accuracy*)."
    )
    section = _readme_section("Accuracy")
    if section:
        with st.expander("Accuracy, measured on public annotated data"):
            st.markdown(section)


MARK_STYLES = {  # outermost first
    "quote": "background:#fff3bf;border-radius:2px",
    "entity": "background:#d0ebff;border-radius:2px;font-weight:600",
    "focus": "background:#ffd43b;border-radius:2px;font-weight:700",
}


def highlight_html(text: str, spans: Iterable[tuple[int, int, str]], *, offset: int = 0) -> str:
    """``text`` as escaped HTML with ``<mark>`` around spans ``(start, end, kind)``.

    ``kind`` is a key of ``MARK_STYLES``; offsets are relative to ``text`` after subtracting
    ``offset``. Every piece of text is ``html.escape``d, so article text is never markup; nested
    spans (an entity inside a quote) are marked segment by segment, the entity innermost.
    """
    spans = [(max(0, s - offset), min(len(text), e - offset), k) for s, e, k in spans]
    spans = [(s, e, k) for s, e, k in spans if s < e and k in MARK_STYLES]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = html.escape(text[start:end])
        for kind in reversed(MARK_STYLES):  # innermost first
            if any(s <= start and end <= e for s, e, k in spans if k == kind):
                piece = f'<mark style="{MARK_STYLES[kind]}">{piece}</mark>'
        pieces.append(piece)
    body = "".join(pieces).replace("\n\n", "</p><p>").replace("\n", "<br>")
    return f'<div style="line-height:1.6;max-width:48rem"><p>{body}</p></div>'


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(text: object) -> str:
    """``text`` (from a URL, a file name or an article) made literal inside Markdown messages.

    >>> md("**x** [a](b)")
    '\\*\\*x\\*\\* \\[a\\]\\(b\\)'
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def show_text(text: str, *, tag: str = "p", style: str = "") -> None:
    """Article-derived text (a title, a source) shown literally: escaped, never Markdown."""
    style_attr = f' style="{style}"' if style else ""
    st.html(f"<{tag}{style_attr}>{html.escape(text)}</{tag}>")
