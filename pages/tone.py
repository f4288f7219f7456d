"""Tone: how positive or negative, and how subjective, an article reads, sentence by sentence,
toward each entity and in each voice, with every measure explained."""

import streamlit as st

from analysis.figures import (
    MEASURES,
    entity_tone_chart,
    headline_variants_chart,
    paragraph_heatmap,
    speaker_tone_chart,
    tone_arc_chart,
    tone_distribution_chart,
    voice_chart,
)
from analysis.quotes import shown_confidences
from analysis.tone_models import describe_tone_model
from pages._shared import (
    ENTITY,
    LABEL,
    MEASURE,
    accuracy_note,
    corpus_scope,
    drop_param,
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

TONE_MEASURES = ("polarity", "subjectivity", "vader", "tone")
ALL_LABELS = "all types"
ENTITY_TOP = 15
CORPUS_LIMIT = 10_000  # articles in the corpus tone distribution

ids = init_state()
article = require_article(ids)
article_id = article["id"]

st.title("Tone")
show_text(article["title"], tag="p", style="font-weight:600;margin-top:-0.5rem")

# -- the four measures, each explained --------------------------------------------------------
for column, name in zip(st.columns(len(TONE_MEASURES)), TONE_MEASURES, strict=True):
    with column.container(border=True):
        value = article[name]
        st.metric(MEASURES[name].label, "–" if value is None else f"{value:+.2f}")
        st.caption(MEASURES[name].help)
accuracy_note()

measure = url_value(MEASURE) or "tone"
if measure not in TONE_MEASURES:
    st.info(f"Unknown measure {md(measure)}; showing tone.", icon=":material/info:")
    drop_param(MEASURE)
    measure = "tone"
st.segmented_control(
    "Measure for the charts below", TONE_MEASURES, format_func=lambda m: MEASURES[m].label, required=True,
    **url_widget(MEASURE, measure, encode=lambda m: "" if m == "tone" else m),
)  # fmt: skip

# -- through the article -------------------------------------------------------------------------
sentences = load("sentences_frame", article_id)
st.subheader("Sentence by sentence")
st.plotly_chart(tone_arc_chart(sentences, measures=(measure,)), width="stretch", key="tone_arc")
st.subheader("Paragraph by paragraph")
st.plotly_chart(
    paragraph_heatmap(load("paragraphs_frame", article_id)), width="stretch", key="paragraph_tone"
)
st.subheader("Headlines against the body")
headlines = load("headlines_frame", [article_id])
body_tone = {m: article[m] for m in TONE_MEASURES}
st.plotly_chart(headline_variants_chart(headlines, body_tone), width="stretch", key="headline_tone")

# -- toward entities, by speaker, by voice ---------------------------------------------------------
labels = load("entity_labels", article_id)
label = url_value(LABEL) or ALL_LABELS
if label not in labels and label != ALL_LABELS:
    st.info(f"No entities of type {md(label)} here; showing {ALL_LABELS}.", icon=":material/info:")
    drop_param(LABEL)
    label = ALL_LABELS
st.subheader("Toward each entity")
st.selectbox(
    "Entity type", [ALL_LABELS, *labels],
    **url_widget(LABEL, label, encode=lambda x: "" if x == ALL_LABELS else x),
)  # fmt: skip
st.caption(
    f"Tone toward each mention, scored at ingest by {describe_tone_model(article.get('tone_model', ''))} "
    "(README › Accuracy)."
)
label_filter = None if label == ALL_LABELS else label
entities = load("entities_frame", article_id, label=label_filter, limit=ENTITY_TOP)
st.plotly_chart(
    entity_tone_chart(entities, measure="target_tone", top_n=ENTITY_TOP),
    width="stretch",
    key="entity_tone",
)

entity = url_value(ENTITY)
names = entities["entity"].tolist()
if entity and entity not in load("entities_frame", article_id, limit=500)["entity"].tolist():
    st.info(f"“{md(entity)}” is not named in this article.", icon=":material/info:")
    drop_param(ENTITY)
    entity = ""
if names:
    st.selectbox(
        "Tone toward one entity, mention by mention", [None, *names],
        format_func=lambda e: "—" if e is None else e, placeholder="Pick an entity",
        **url_widget(ENTITY, entity or None, encode=lambda e: e or ""),
    )  # fmt: skip
if entity:
    mentions = load("mentions_frame", article_id, entity)
    sentences_by_idx = sentences.set_index("idx")
    mentions["sentence text"] = [sentences_by_idx.loc[i, "text"] for i in mentions["sentence"]]
    st.dataframe(
        mentions[["text", "target_label", "target_tone", "sentence text"]],
        hide_index=True,
        width="stretch",
        column_config={
            "target_tone": st.column_config.NumberColumn("tone toward it", format="%+.2f")
        },
    )

st.subheader("Tone of each speaker's quotes, and toward the speaker")
quotes = load("quotes_frame", [article_id], min_confidence=shown_confidences(), statements_only=True)
st.caption("The quotes the Quotes page shows by default: low-confidence and negated quotes left out.")
st.plotly_chart(
    speaker_tone_chart(quotes, toward=load("entities_frame", article_id, limit=500), top_n=ENTITY_TOP),
    width="stretch",
    key="speaker_tone",
)

st.subheader("Quoted speech against the narrator")
st.plotly_chart(voice_chart(load("voice_frame", article_id)), width="stretch", key="voice")
st.subheader("This article in the corpus")
scope = corpus_scope()  # compare with some outlets or dates only (in the URL)
corpus = load("articles_frame", scope=scope, limit=CORPUS_LIMIT)
st.caption(f"Tone of {len(corpus):,} articles: {scope_caption(scope)}.")
st.plotly_chart(tone_distribution_chart(corpus, measure, mark=article[measure]), width="stretch", key="distribution")
share_link()
