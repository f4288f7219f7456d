"""Entities: who and what an article (or the corpus) names, together, in context and where."""

import streamlit as st

from analysis.figures import cooccurrence_heatmap, entity_bar_chart, entity_positions_chart
from analysis.linking import RULES as LINK_RULES
from analysis.tone_models import describe_tone_model
from pages._shared import (
    ENTITY,
    LABEL,
    SCOPE,
    TOP,
    corpus_scope,
    drop_param,
    highlight_html,
    init_state,
    load,
    md,
    require_article,
    scope_caption,
    share_link,
    show_text,
    url_value,
    url_widget,
)

ALL_LABELS = "all types"
SCOPES = {"article": "This article", "corpus": "Whole corpus"}
TOP_DEFAULT, TOP_MAX = 15, 50
COOCCURRENCE_TOP = 15
KWIC_LIMIT = 100  # lines of keyword-in-context

ids = init_state()
article = require_article(ids)
article_id = article["id"]

st.title("Entities")
show_text(article["title"], tag="p", style="font-weight:600;margin-top:-0.5rem")

# -- view state from the URL -----------------------------------------------------------------
scope = "corpus" if url_value(SCOPE) == "corpus" else "article"
scoped_id = None if scope == "corpus" else article_id
labels = load("entity_labels", scoped_id)
label = url_value(LABEL) or ALL_LABELS
if label not in labels and label != ALL_LABELS:
    st.info(f"No entities of type {md(label)} here; showing {ALL_LABELS}.", icon=":material/info:")
    drop_param(LABEL)
    label = ALL_LABELS
top = url_value(TOP, str(TOP_DEFAULT))
top = min(max(int(top), 3), TOP_MAX) if top.isdigit() else TOP_DEFAULT

left, middle, right = st.columns([2, 2, 3])
left.segmented_control(
    "Scope", list(SCOPES), format_func=SCOPES.get, required=True,
    **url_widget(SCOPE, scope, encode=lambda s: "corpus" if s == "corpus" else ""),
)  # fmt: skip
middle.selectbox(
    "Type", [ALL_LABELS, *labels],
    **url_widget(LABEL, label, encode=lambda x: "" if x == ALL_LABELS else x),
)  # fmt: skip
right.slider(
    "How many", 3, TOP_MAX,
    **url_widget(TOP, top, encode=lambda n: "" if n == TOP_DEFAULT else str(n)),
)  # fmt: skip

corpus = corpus_scope() if scope == "corpus" else None  # outlets and dates, in the URL
entities = load(
    "entities_frame", scoped_id, label=None if label == ALL_LABELS else label, limit=top,
    linked=scope == "corpus", **({"scope": corpus} if corpus else {}),
)  # fmt: skip
where = f"in {scope_caption(corpus)}" if scope == "corpus" else "in this article"
if corpus:
    st.caption("Names are linked across articles as in the whole corpus; a surname linked only from "
               "its story keeps its own row under outlet or date filters.")  # fmt: skip
st.subheader(f"Most named {where}")
if scope == "corpus" and len(models := load("tone_models")) > 1:
    st.caption(
        "“Tone toward it” averages articles scored by different targeted-tone models: "
        + "; ".join(f"{n:,} by {describe_tone_model(m)}" for m, n in models.items())
        + " (README › Accuracy)."
    )
st.plotly_chart(entity_bar_chart(entities, top_n=top), width="stretch", key="entity_bars")
st.dataframe(
    entities.drop(columns=["articles"] if scope == "article" else []),
    hide_index=True,
    width="stretch",
    column_config={
        "count": st.column_config.NumberColumn("mentions"),
        "demonym_count": st.column_config.NumberColumn(
            "as demonym", help="e.g. “Israeli” for Israel"
        ),
        "aliases": st.column_config.ListColumn("also written as"),
        "target_tone": st.column_config.NumberColumn("tone toward it", format="%+.2f"),
        "polarity": st.column_config.NumberColumn("polarity of its sentences", format="%+.2f"),
        "merged": st.column_config.ListColumn(
            "linked across articles", help="names of other articles counted as this entity (why: below)"
        ),
    },
)
if scope == "corpus":
    links = load("entity_links")
    shown = links[links["entity"].isin(entities["entity"])]
    with st.expander(f"Why merged: {len(shown)} name(s) linked into the entities above", expanded=False):
        st.caption(
            "Across articles a name joins an entity only when the corpus (or, for a shared surname, "
            "the article's story) offers one candidate. Rules: "
            + "; ".join(f"**{rule}**: {md(text)}" for rule, text in LINK_RULES.items())
        )
        st.dataframe(
            shown.drop(columns=["variant_label"]),
            hide_index=True,
            width="stretch",
            column_config={
                "variant": st.column_config.TextColumn("written as"),
                "articles": st.column_config.NumberColumn("in articles", help="articles that write it this way"),
                "article_id": st.column_config.TextColumn("only in article", help="a surname linked from its story"),
            },
        )

st.subheader("Named in the same sentence")
pairs = load("cooccurrence_frame", scoped_id, top=COOCCURRENCE_TOP, **({"scope": corpus} if corpus else {}))
st.plotly_chart(cooccurrence_heatmap(pairs), width="stretch", key="cooccurrence")

# -- one entity in this article ----------------------------------------------------------------
st.subheader("In context")
names = load("entities_frame", article_id, limit=500)["entity"].tolist()
entity = url_value(ENTITY)
if entity and entity not in names:
    st.info(
        f"“{md(entity)}” is not named in this article; pick an entity below.",
        icon=":material/info:",
    )
    drop_param(ENTITY)
    entity = ""
entity = entity or (names[0] if names else "")
if not names:
    st.caption("This article names no entities.")
else:
    st.selectbox(
        "Entity", names, help="Entities of this article, most mentioned first.",
        **url_widget(ENTITY, entity, encode=lambda e: "" if e == names[0] else e),
    )  # fmt: skip
    mentions = load("mentions_frame", article_id, entity)
    sentences = load("sentences_frame", article_id).set_index("idx")
    lines = []
    for index, group in list(mentions.groupby("sentence"))[:KWIC_LIMIT]:
        sentence = sentences.loc[index]
        spans = [(m.start, m.end, "entity" if m.demonym else "focus") for m in group.itertuples()]
        lines.append(highlight_html(sentence["text"], spans, offset=sentence["start"]))
    st.caption(
        f"{len(mentions)} mention(s) in {len(lines)} sentence(s); demonyms such as “Israeli” in blue."
    )
    st.html("".join(lines))

st.subheader("Where in the article each entity is named")
all_mentions = load("mentions_frame", article_id)
st.plotly_chart(
    entity_positions_chart(all_mentions, article["n_sentences"]), width="stretch", key="positions"
)
share_link()
