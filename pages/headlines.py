"""Headlines: an article's headline variants against each other and the body, or several
articles' titles side by side (``article=a,b,c``)."""

import streamlit as st

from analysis.figures import headline_variants_chart, similarity_heatmap
from pages._shared import (
    init_state,
    load,
    md,
    require_article,
    set_articles,
    share_link,
    show_text,
)

PICKER_LIMIT = 200
RELATED_LIMIT = 6
COLUMNS = {
    "role": st.column_config.TextColumn("role", width="small"),
    "text": st.column_config.TextColumn("headline", width="large"),
    "source": st.column_config.TextColumn("source", width="small"),
    "chars": st.column_config.NumberColumn("length", help="characters"),
    "words": st.column_config.NumberColumn("words"),
    "polarity": st.column_config.NumberColumn("polarity", format="%+.2f"),
    "subjectivity": st.column_config.NumberColumn("subjectivity", format="%.2f"),
    "vader": st.column_config.NumberColumn("VADER", format="%+.2f"),
    "tone": st.column_config.NumberColumn("tone", format="%+.2f"),
    "entities": st.column_config.ListColumn("entities named"),
    "framing_verbs": st.column_config.ListColumn("verbs"),
    "body_similarity": st.column_config.ProgressColumn(
        "similarity to body", min_value=0.0, max_value=1.0, format="%.2f"
    ),
    "novel_words": st.column_config.ListColumn("words not in the body"),
}


TONE_COLUMNS = ["chars", "words", "polarity", "subjectivity", "vader", "tone"]
CONTENT_COLUMNS = ["entities", "body_similarity", "novel_words", "framing_verbs"]
CONTENT_CONFIG = {**COLUMNS, "text": st.column_config.TextColumn("headline", width="medium")}


def _compare() -> None:
    chosen = st.session_state["compare"]
    if chosen:
        set_articles(chosen)


def _add(article_id: str, ids: list[str]) -> None:
    set_articles([*ids, article_id])


ids = init_state()
article = require_article(ids)
known = [i for i in ids if load("has", i)]
if len(known) < len(ids):
    missing = ", ".join(md(i) for i in ids if i not in known)
    st.warning(f"Not stored, left out of the comparison: {missing}.", icon=":material/warning:")
    set_articles(known)
    ids = known

st.title("Headlines")
listing = load("articles_frame", limit=PICKER_LIMIT)
titles = dict(zip(listing["id"], listing["title"], strict=True))
for i in ids:
    titles.setdefault(i, load("article", i)["title"])
st.session_state["compare"] = ids
st.multiselect(
    "Articles to compare",
    list(titles),
    format_func=lambda i: titles[i][:90],
    key="compare",
    on_change=_compare,
    help="One article: its headline variants. Several: their titles side by side. Kept in the URL.",
)

headlines = load("headlines_frame", ids)
if len(ids) == 1:
    show_text(article["title"], tag="p", style="font-weight:600")
    st.caption(
        "Every headline variant the page carried (title, alternate headlines, dek, section line, "
        "truncated forms), scored like the body."
    )
    for columns, config in ((TONE_COLUMNS, COLUMNS), (CONTENT_COLUMNS, CONTENT_CONFIG)):
        st.dataframe(
            headlines[["role", "text", *columns]],
            hide_index=True,
            width="stretch",
            column_config=config,
        )
    body_tone = {m: article[m] for m in ("polarity", "subjectivity", "vader", "tone")}
    st.plotly_chart(
        headline_variants_chart(headlines, body_tone), width="stretch", key="variant_tone"
    )
    st.plotly_chart(
        similarity_heatmap(
            load("headline_similarity", article["id"]), title="Variants: pairwise similarity"
        ),
        width="stretch",
        key="variant_similarity",
    )
else:
    # each article's main title: the variant with role "title", else its first variant
    ranked = headlines.assign(rank=(headlines["role"] != "title").astype(int))
    main_titles = ranked.sort_values(["rank", "idx"]).groupby("article_id").head(1)
    main_titles = main_titles.set_index("article_id").loc[ids].reset_index()
    shown = ["source", "text"] if main_titles["source"].astype(bool).any() else ["text"]
    st.caption("The main title of each article, scored the same way.")
    for columns, config in ((TONE_COLUMNS, COLUMNS), (CONTENT_COLUMNS, CONTENT_CONFIG)):
        st.dataframe(
            main_titles[[*shown, *columns]],
            hide_index=True,
            width="stretch",
            column_config=config,
        )
    st.plotly_chart(headline_variants_chart(main_titles, None), width="stretch", key="title_tone")
    similarity = load("story_similarity", ids)
    labels = [titles[i][:60] for i in similarity.index]
    similarity.index, similarity.columns = labels, labels
    st.plotly_chart(
        similarity_heatmap(
            similarity, title="Stories: keyword similarity (entities and headline words)"
        ),
        width="stretch",
        key="story_similarity",
    )

related = load("related_articles", ids[0], limit=RELATED_LIMIT + len(ids))
related = related[~related["id"].isin(ids)].head(RELATED_LIMIT)
st.subheader("Related articles")
if related.empty:
    st.caption("No other stored article shares this one's keywords.")
for row in related.itertuples():
    text_col, button_col = st.columns([5, 1], vertical_alignment="center")
    with text_col:
        show_text(f"{row.title} — {row.source}" if row.source else row.title, style="margin:0")
    button_col.button(
        "Compare", key=f"add_{row.id}", on_click=_add, args=(row.id, ids), icon=":material/add:"
    )
share_link()
