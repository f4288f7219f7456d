"""Stories: how several outlets covered one event, side by side."""

import streamlit as st

from analysis.coverage import (
    StoryView,
    entity_attention,
    headline_table,
    shared_entity_tone,
    speaker_table,
    story_view,
    tone_evidence,
)
from analysis.coverage_figures import (
    entity_attention_heatmap,
    shared_tone_chart,
    speakers_by_outlet_chart,
)
from analysis.ingest import ingest, inputs_from_paths
from analysis.store import database_url
from analysis.stories import SAMPLE_CORPUS
from pages._shared import (
    CACHE_ENTRIES,
    CACHE_TTL,
    ENTITY,
    STORY,
    corpus_scope,
    current_store,
    drop_param,
    get_store,
    init_state,
    load,
    md,
    share_link,
    store_version,
    url_value,
    url_widget,
)


@st.cache_data(ttl=CACHE_TTL, max_entries=CACHE_ENTRIES, show_spinner=False)
def story_data(db: str, version: tuple[int, float], story_id: str) -> StoryView | None:
    """The story's frames (``analysis.coverage.story_view``), cached per store version."""
    return story_view(get_store(db), story_id)


def load_sample() -> None:
    with st.spinner("Analysing the sample articles…"):
        ingest(current_store(), inputs_from_paths([SAMPLE_CORPUS]))


ids = init_state()
st.title("Stories")
st.caption(
    "Articles from several outlets about the same event, grouped by their words and dates "
    "(README › Stories). Pick a story to compare how each outlet told it."
)

scope = corpus_scope()  # stories with articles from these outlets and dates (in the URL)
stories = load("stories_frame", min_articles=2, scope=scope)
if stories.empty and scope:
    st.info("No story has several articles from these outlets and dates; widen the filters above.")
    st.stop()
if stories.empty:
    st.info("No story has articles from more than one outlet yet. Add articles, or load the sample.")
    st.button(
        "Load the sample corpus (9 made-up articles: 3 stories × 3 outlets)",
        on_click=load_sample, icon=":material/library_add:",
    )  # fmt: skip
    st.stop()

labels = {
    r.story_id: f"{r.title[:80]} — {r.articles} articles, {r.n_outlets} outlets ({(r.last or '')[:10]})"
    for r in stories.itertuples()
}
story = url_value(STORY)
if story and story not in labels:
    st.info(f"No story with the id {md(story)} has several articles; showing the largest.", icon=":material/info:")
    drop_param(STORY)
    story = ""
if not story and ids:
    story = next((s for s in [load("story_of", ids[0])] if s in labels), "")
story = story or next(iter(labels))
if url_value(STORY) != story:
    st.query_params[STORY] = story  # the default depends on the store: a shared link names it
st.selectbox("Story", list(labels), format_func=labels.get, **url_widget(STORY, story))

view = story_data(database_url(), store_version(), story)
if view is None:
    st.warning("This story has no stored articles.")
    st.stop()

st.subheader("Headlines side by side")
st.dataframe(
    headline_table(view).drop(columns=["article_id"]),
    hide_index=True,
    width="stretch",
    column_config={
        "framing_verbs": st.column_config.ListColumn("framing verbs", help="verbs of the headline that frame the event"),
        "only_here": st.column_config.ListColumn(
            "words only this outlet uses", help="content words of this article that no other outlet's article in the story has"
        ),
    },
)

st.subheader("Who each outlet names")
attention = entity_attention(view)
st.plotly_chart(entity_attention_heatmap(attention), width="stretch", key="attention")

st.subheader("Tone toward the entities they share")
tone = shared_entity_tone(view)
st.plotly_chart(shared_tone_chart(tone), width="stretch", key="shared_tone")
shared = list(dict.fromkeys(tone["entity"]))
if shared:
    entity = url_value(ENTITY)
    entity = entity if entity in shared else shared[0]
    st.selectbox(
        "Evidence for", shared, help="the sentences behind each outlet's tone toward this entity",
        **url_widget(ENTITY, entity, encode=lambda e: "" if e == shared[0] else e),
    )  # fmt: skip
    st.dataframe(
        tone_evidence(view, entity).drop(columns=["article_id"]),
        hide_index=True,
        width="stretch",
        column_config={"tone": st.column_config.NumberColumn("tone toward it", format="%+.2f")},
    )

st.subheader("Who each outlet quotes")
speakers = speaker_table(view)
st.plotly_chart(speakers_by_outlet_chart(speakers), width="stretch", key="speakers")
only = speakers[speakers["only_outlet"] != ""]
if not only.empty:
    st.caption("Quoted by one outlet only: " + "; ".join(f"{md(r.speaker)} ({md(r.only_outlet)})" for r in only.itertuples()))
st.dataframe(
    speakers.drop(columns=["by_outlet"]),
    hide_index=True,
    width="stretch",
    column_config={"only_outlet": st.column_config.TextColumn("only quoted by")},
)
share_link()
