"""Overview: one article at a glance (card, highlighted text, what cleaning removed) and the list
of every stored article."""

import math

import streamlit as st

from analysis.errors import InputError
from analysis.figures import MEASURES
from analysis.quotes import shown_confidences
from pages._shared import (
    ENTITY,
    QUOTE,
    SPEAKER,
    current_store,
    engine_summary,
    highlight_html,
    init_state,
    load,
    md,
    page_path,
    require_article,
    set_articles,
    share_link,
    show_text,
    url_value,
    url_widget,
)

LIST_PAGE = "list_page"  # URL parameter: page of the article list
SS_CONFIRM_DELETE = "confirm_delete"  # the id whose deletion awaits confirmation
SS_ACTION_DONE = "article_action_done"  # the message of the last re-analysis or deletion
LIST_SIZE = 50
TONE_MEASURES = ("polarity", "subjectivity", "vader", "tone")
SHORT_LABELS = {
    "polarity": "Polarity",
    "subjectivity": "Subjectivity",
    "vader": "VADER",
    "tone": "Tone",
}

ids = init_state()
if SS_ACTION_DONE in st.session_state:
    kind, message = st.session_state.pop(SS_ACTION_DONE)
    (st.success if kind == "success" else st.error)(md(message))
article = require_article(ids)
article_id = article["id"]

show_text(article["title"], tag="h2", style="margin-bottom:0")
byline = " · ".join(x for x in (article.get("outlet") or article["source"], article["published"], article["byline"]) if x)
if byline:
    show_text(byline, style="color:#555;margin-top:0")
story = load("story_of", article_id)
others = len(load("story_articles", story)) - 1 if story else 0
if others > 0:
    st.page_link(
        page_path("Stories"), label=f"The story in {others + 1} articles: compare the outlets",
        icon=":material/view_column:", query_params={"story": story},
    )  # fmt: skip
for notice in article["notices"]:
    st.info(notice, icon=":material/translate:")

columns = st.columns(2 + len(TONE_MEASURES))
columns[0].metric("Words", f"{article['words']:,}")
columns[1].metric("Quotes", article["n_quotes"])
for column, name in zip(columns[2:], TONE_MEASURES, strict=True):
    value = article[name]
    column.metric(
        SHORT_LABELS[name], "–" if value is None else f"{value:+.2f}", help=MEASURES[name].help
    )

text_tab, headlines_tab = st.tabs(["Article text", "Headline variants"])
with text_tab:
    quotes = load("quotes_frame", [article_id], min_confidence=shown_confidences(), statements_only=True)
    mentions = load("mentions_frame", article_id)
    spans = [(q.start, q.end, "quote") for q in quotes.itertuples()]
    spans += [(m.start, m.end, "entity") for m in mentions.itertuples()]
    st.caption("Highlighted: quoted speech (yellow) and named entities (blue).")
    st.html(highlight_html(article["body"], spans))
with headlines_tab:
    headlines = load("headlines_frame", [article_id])
    st.dataframe(
        headlines[["role", "text", "words", "body_similarity"]],
        hide_index=True,
        width="stretch",
        column_config={
            "role": st.column_config.TextColumn(width="small"),
            "text": st.column_config.TextColumn("headline", width="large"),
            "body_similarity": st.column_config.NumberColumn("similarity to body", format="%.2f"),
        },
    )
removed = load("removed_frame", article_id)
with st.expander(f"What cleaning removed ({len(removed)} line{'s' if len(removed) != 1 else ''})"):
    if removed.empty:
        st.caption("Cleaning removed nothing from this article.")
    else:
        st.dataframe(
            removed[["reason", "text"]],
            hide_index=True,
            width="stretch",
            column_config={"reason": st.column_config.TextColumn(width="small")},
        )

share_link()


def _reanalyse(article_id: str) -> None:
    from analysis.reanalyze import reanalyze_one  # the engine loads only when asked for

    try:
        with st.spinner("Re-analysing with the current engine (the language model loads on first use)…"):
            new_id = reanalyze_one(current_store(), article_id)
    except InputError as err:
        st.session_state[SS_ACTION_DONE] = ("error", str(err))
        return
    set_articles([new_id], clear=(SPEAKER, QUOTE, ENTITY))
    st.session_state[SS_ACTION_DONE] = ("success", "Re-analysed with the current engine.")


def _delete(article_id: str) -> None:
    result = current_store().delete([article_id])[0]
    st.session_state.pop(SS_CONFIRM_DELETE, None)
    set_articles([], clear=(SPEAKER, QUOTE, ENTITY))
    st.session_state[SS_ACTION_DONE] = ("success", f"Deleted “{result.title}” and everything derived from it.")


with st.expander("Manage this article: engine, re-analyse, delete"):
    st.caption(engine_summary(article))
    left, right = st.columns(2)
    left.button(
        "Re-analyse with the current engine",
        key="reanalyse",
        icon=":material/update:",
        on_click=_reanalyse,
        args=(article_id,),
        help="Runs today's engine on the stored input; the link keeps working.",
    )
    if st.session_state.get(SS_CONFIRM_DELETE) != article_id:
        right.button(
            "Delete this article…", key="delete", icon=":material/delete:",
            on_click=lambda: st.session_state.update({SS_CONFIRM_DELETE: article_id}),
        )  # fmt: skip
    else:
        right.warning("Delete this article, its analysis and its share in the corpus views? This cannot be undone.")
        yes, no = right.columns(2)
        yes.button("Delete", key="delete_confirm", type="primary", on_click=_delete, args=(article_id,))
        no.button("Cancel", key="delete_cancel", on_click=lambda: st.session_state.pop(SS_CONFIRM_DELETE, None))

st.subheader("All stored articles")
count = load("count")
pages = max(1, math.ceil(count / LIST_SIZE))
page = url_value(LIST_PAGE, "1")
page = min(max(int(page), 1), pages) if page.isdigit() else 1
listing = load("articles_frame", limit=LIST_SIZE, offset=(page - 1) * LIST_SIZE)
st.caption(f"{count:,} article{'s' if count != 1 else ''}, newest first. Select a row to open it.")


def _open_selected() -> None:
    rows = st.session_state["article_list"].selection.rows
    if rows:
        set_articles([listing["id"].iloc[rows[0]]], clear=(SPEAKER, QUOTE, ENTITY))


st.dataframe(
    listing.drop(columns=["added_at"]),
    hide_index=True,
    width="stretch",
    on_select=_open_selected,
    selection_mode="single-row",
    key="article_list",
    column_config={
        "id": None,
        **{
            m: st.column_config.NumberColumn(MEASURES[m].label, format="%+.2f")
            for m in TONE_MEASURES
        },
    },
)
if pages > 1:
    st.number_input(
        f"Page (of {pages})", min_value=1, max_value=pages, step=1,
        **url_widget(LIST_PAGE, page, encode=lambda p: "" if p == 1 else str(p)),
    )  # fmt: skip
