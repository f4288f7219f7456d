"""Add article: paste text or upload files, preview the cleaning, save, and get the article's link.

The preview only decodes and cleans (cheap, no spaCy): every line, kept or dropped, with its role
or the reason, and a box to restore a dropped line or drop a kept one; those choices are saved
with the article. Each input has its own source (the page's own name where it gives one). Save
runs the full analysis through ``analysis.ingest``. A bad file is reported with its message and
the others are still saved.
"""

from dataclasses import dataclass, replace

import streamlit as st

from analysis.clean import choices_from_kept, clean_article, input_lines
from analysis.errors import InputError
from analysis.ingest import ingest, inputs_from_bytes
from analysis.pipeline import ArticleInput, Failure
from pages._jobs import BACKGROUND_MIN, finished_save, start_background_save
from pages._shared import (
    ARTICLE,
    LOCAL_BASE_URL,
    current_store,
    init_state,
    md,
    page_path,
    show_text,
)

UPLOAD_TYPES = ["txt", "md", "html", "htm", "jsonl", "csv"]
PREVIEW_LIMIT = 20  # batch rows previewed
SS_RESULT = "add_result"  # the last save's outcome, shown until the next one
SS_FORM = "add_form"  # bumped after a save, which gives the inputs new keys (so they empty)


@dataclass(slots=True)
class SaveOutcome:
    added: list[tuple[str, str]]  # (id, title)
    existing: list[tuple[str, str]]
    failed: list[str]  # messages


def collect_inputs(pasted: str, files: list, meta: dict[str, str]) -> list[ArticleInput | Failure]:
    """Everything to save: the pasted text and each uploaded file (a batch file gives many)."""
    items: list[ArticleInput | Failure] = []
    if pasted.strip():
        items += inputs_from_bytes(pasted.encode("utf-8"), "pasted text", **meta)
    for upload in files:  # the upload's name is only used in messages
        items += inputs_from_bytes(upload.getvalue(), upload.name, **meta)
    return items


def preview(item: ArticleInput | Failure, index: int, form: int) -> ArticleInput | Failure:
    """What cleaning makes of one input: title, headline variants with roles, and every line kept
    or dropped, which the analyst may switch. Returns the input with the source and choices set."""
    if isinstance(item, Failure):
        st.error(md(item.message), icon=":material/error:")
        return item
    try:
        found = clean_article(item.text, format=item.format, title=item.title, name=item.name)
    except InputError as err:
        st.error(md(err), icon=":material/error:")
        return Failure(item.name, str(err))
    source = st.text_input(
        "Source of this article",
        value=item.source or found.metadata.get("source", ""),
        key=f"source_{form}_{index}",
        placeholder="e.g. Reuters",
    )
    views = input_lines(item.text, item.format, title=item.title)
    head = st.container()  # filled below, once the analyst's choices in the table are known
    st.caption("Every line of the input: untick a kept line to drop it, tick a dropped one to restore it.")
    edited = st.data_editor(
        [{"keep": v.kept, "line": v.number + 1, "role or reason": v.label, "text": v.text} for v in views],
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(views), 360),
        disabled=["line", "role or reason", "text"],
        key=f"lines_{form}_{index}",
        column_config={
            "keep": st.column_config.CheckboxColumn(width=60, help="untick to drop, tick to restore"),
            "line": st.column_config.NumberColumn(width=60),
            "role or reason": st.column_config.TextColumn(width=150),
            "text": st.column_config.TextColumn(width="large"),
        },
    )
    choices = choices_from_kept(views, [bool(row["keep"]) for row in _rows(edited)])
    try:
        cleaned = clean_article(item.text, format=item.format, title=item.title, name=item.name, choices=choices)
    except InputError as err:
        st.error(md(err), icon=":material/error:")
        return Failure(item.name, str(err))
    kept = sum(v.kept for v in views)
    summary = f"{item.name} · {cleaned.format} · {len(cleaned.paragraphs)} paragraphs · {kept} of {len(views)} lines kept"
    if choices:
        summary += f" · your choices: {len(choices.keep)} restored, {len(choices.drop)} dropped"
    with head:
        _show_cleaned(cleaned, summary)
    return replace(item, source=source.strip(), choices=choices)


def _show_cleaned(cleaned, summary: str) -> None:
    """The cleaned article's summary line, notice, title and headline variants."""
    show_text(summary, style="color:#666")
    if cleaned.metadata.get("notice"):
        st.warning(cleaned.metadata["notice"], icon=":material/warning:")
    show_text(cleaned.title, tag="h4")
    if cleaned.headlines:
        st.dataframe(
            [{"role": h.role, "headline": h.text} for h in cleaned.headlines],
            hide_index=True,
            width="stretch",
            column_config={"role": st.column_config.TextColumn(width="small")},
        )


def _rows(edited) -> list[dict]:
    """The data editor's rows, whether it hands back a list or a DataFrame."""
    return edited.to_dict("records") if hasattr(edited, "to_dict") else list(edited)


def save(items: list[ArticleInput | Failure]) -> SaveOutcome:
    """Analyse and store the inputs, with a progress bar; failures never stop the batch."""
    titles: dict[str, str] = {}
    progress = st.progress(0.0, text="Analysing…")

    def on_result(result, summary) -> None:
        if not isinstance(result, Failure):
            titles[result.id] = result.title
        progress.progress(
            summary.total / len(items), text=f"Analysed {summary.total} of {len(items)}"
        )

    with st.spinner("Analysing (the language model loads on first use)…"):
        summary = ingest(current_store(), items, on_result=on_result)
    progress.empty()
    return SaveOutcome(
        added=[(i, titles.get(i, i)) for i in summary.added],
        existing=[(i, titles.get(i, i)) for i in summary.existing],
        failed=[f.message for f in summary.failed],
    )


def show_outcome(outcome: SaveOutcome) -> None:
    for message in outcome.failed:
        st.error(md(message), icon=":material/error:")
    for verb, rows in (("Saved", outcome.added), ("Already stored", outcome.existing)):
        for article_id, title in rows:
            st.success(f"{verb}: article `{article_id}`", icon=":material/check_circle:")
            show_text(title, tag="strong")
            st.page_link(
                page_path("Overview"),
                label="Open it in the Overview",
                icon=":material/newspaper:",
                query_params={ARTICLE: article_id},
            )
            base = (st.context.url or f"{LOCAL_BASE_URL}/add").rsplit("/add", 1)[0]
            st.code(f"{base}/?{ARTICLE}={article_id}", language=None)


init_state()
st.title("Add articles")
st.write(
    "Paste an article or upload files (.txt, .md, .html; or .jsonl/.csv batches with a `text` "
    "column). Check the preview of the cleaning, then save: the article is analysed once and "
    "stored. Saving the same text twice stores it once."
)

if (job := finished_save()) is not None:  # a long save that ran in the background has ended
    titled = lambda ids: [(i, (current_store().article(i) or {}).get("title", i)) for i in ids]  # noqa: E731
    failed = job.failed + ([job.error] if job.error else [])
    st.session_state[SS_RESULT] = SaveOutcome(titled(job.added), titled(job.existing), failed)
if SS_RESULT in st.session_state:
    show_outcome(st.session_state[SS_RESULT])

form = st.session_state.setdefault(SS_FORM, 0)
paste_tab, upload_tab = st.tabs(["Paste text", "Upload files"])
with paste_tab:
    pasted = st.text_area(
        "Article text",
        height=260,
        key=f"paste_text_{form}",
        placeholder="Headline\n\nFirst paragraph…",
        help="Plain text, Markdown or HTML. The first line is usually the headline.",
    )
with upload_tab:
    files = st.file_uploader(
        "Article files",
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key=f"upload_{form}",
        help="Up to 1 MB of text per article.",
    )
with st.expander("Optional details for everything added now (emptied after saving)"):
    left, middle, right = st.columns(3)
    source = left.text_input("Source", key=f"meta_source_{form}", placeholder="e.g. Reuters",
                             help="The default source; each article below can have its own.")
    url = middle.text_input("URL", key=f"meta_url_{form}", placeholder="https://…")
    published = right.date_input("Published", value=None, key=f"meta_published_{form}")
meta = {
    "source": source.strip(),
    "url": url.strip(),
    "published": published.isoformat() if published else "",
}

items = collect_inputs(pasted, files or [], meta)
if items:
    st.subheader("Preview of the cleaning")
    ready: list[ArticleInput | Failure] = []
    for index, item in enumerate(items):
        if index < PREVIEW_LIMIT:
            with st.container(border=True):
                ready.append(preview(item, index, form))
        else:
            ready.append(item)
    if len(items) > PREVIEW_LIMIT:
        st.caption(f"…and {len(items) - PREVIEW_LIMIT} more.")
    good = sum(isinstance(i, ArticleInput) for i in ready)
    bad = len(ready) - good
    if bad:
        st.caption(f"{bad} input{'s' if bad != 1 else ''} cannot be saved (see the messages above).")
    if good and st.button(
        f"Save {good} article{'s' if good != 1 else ''}", type="primary", key="save"
    ):
        if good >= BACKGROUND_MIN:  # hundreds of articles: a job, not a frozen page
            st.session_state.pop(SS_RESULT, None)
            start_background_save(ready)  # failures are reported with the outcome
        else:
            st.session_state[SS_RESULT] = save(ready)
        st.session_state[SS_FORM] = form + 1
        st.rerun()
else:
    st.caption("Nothing to preview yet.")
