"""Coverage: the corpus by outlet and over time. Chosen entities per day/week/month and the tone
toward them by outlet; who each outlet quotes; where each outlet's attention goes. The outlet and
date filters (``outlet``, ``from``, ``to``) apply to every section and live in the URL. Entities
are linked across articles (``analysis/linking.py``), as on the Entities page: "Biden" and "Joe
Biden" are one entity."""

import streamlit as st

from analysis.coverage_figures import (
    attention_share_heatmap,
    outlet_tone_bars,
    speakers_by_outlet_chart,
    timeline_chart,
)
from analysis.entity_coverage import as_linked, entity_timeline, outlet_summary
from analysis.outlet_coverage import attention_shares, sources_by_outlet, sources_long
from analysis.quotes import shown_confidences
from pages._shared import (
    corpus_scope,
    init_state,
    load,
    md,
    scope_caption,
    share_link,
    table_with_csv,
    url_list,
    url_value,
    url_widget,
)

ENTITIES, EVERY, SHOW, ATTENTION_TOP = "entity", "every", "show", "top"
PICK_LIMIT = 200  # most named entities offered
EVERY_CHOICES = ("auto", "day", "week", "month")
TOP_DEFAULT, TOP_MAX = 15, 40
SPEAKERS_SHOWN = 20

init_state()
st.title("Coverage")
st.caption("How much each outlet names chosen entities and the tone toward them over time, who each outlet quotes, and where its attention goes.")
scope = corpus_scope()
st.caption(f"Covering {scope_caption(scope)}.")

names = load("entities_frame", None, scope=scope, limit=PICK_LIMIT, linked=True)["entity"].tolist()
if not names:
    st.info("No entities are stored for these outlets and dates." if scope else "No entities are stored yet.")
    st.stop()

# -- chosen entities over time and by outlet ----------------------------------------------------
st.subheader("Chosen entities over time")
requested = as_linked(url_list(ENTITIES), load("entity_links"))  # an old link may name a variant
chosen = [e for e in requested if e in names] or names[:2]
every = url_value(EVERY, "auto")
every = every if every in EVERY_CHOICES else "auto"
show = url_value(SHOW, "mentions")
show = show if show in ("mentions", "tone") else "mentions"
left, middle, right = st.columns([3, 1, 1.5])
left.multiselect("Entities", names, max_selections=6, **url_widget(ENTITIES, chosen, encode=list))
middle.selectbox("Every", EVERY_CHOICES, **url_widget(EVERY, every, encode=lambda v: "" if v == "auto" else v))
right.segmented_control(
    "Show", ["mentions", "tone"], required=True,
    **url_widget(SHOW, show, encode=lambda v: "" if v == "mentions" else v),
)  # fmt: skip
rows = load("entity_coverage", chosen, scope=scope, linked=True)
timeline = entity_timeline(rows, bucket="" if every == "auto" else every)
summary = outlet_summary(rows)
st.plotly_chart(timeline_chart(timeline, measure=show), width="stretch", key="timeline")
st.plotly_chart(outlet_tone_bars(summary), width="stretch", key="outlet_tone")
table_with_csv(
    summary, name="coverage", label="Download (CSV)",
    column_config={
        "tone": st.column_config.NumberColumn("tone toward it", format="%+.2f"),
        "scored": st.column_config.NumberColumn("scored mentions"),
    },
)  # fmt: skip

# -- sources quoted by outlet --------------------------------------------------------------------
st.subheader("Sources quoted by outlet")
quoted = load("quoted_by_outlet", scope=scope, min_confidence=shown_confidences())
speakers = sources_by_outlet(quoted)
st.plotly_chart(speakers_by_outlet_chart(speakers, top_n=SPEAKERS_SHOWN), width="stretch", key="sources")
only = speakers[speakers["only_outlet"] != ""]
if not speakers.empty:
    st.caption(
        f"{len(speakers):,} speakers quoted; {len(only):,} by one outlet only. Negated and "
        "low-confidence quotes are not counted (as on the Quotes page)."
    )
per_outlet = sources_long(quoted)
table_with_csv(
    per_outlet, name="sources_by_outlet", label="Download sources by outlet (CSV)",
    column_config={
        "role": st.column_config.TextColumn(help="the speaker's most frequent role in this outlet's quotes"),
        "articles": st.column_config.NumberColumn("articles quoting"),
        "outlets_quoting": st.column_config.NumberColumn("outlets quoting them"),
        "only_this_outlet": st.column_config.CheckboxColumn("only this outlet"),
    },
)  # fmt: skip

# -- entity attention by outlet ------------------------------------------------------------------
st.subheader("Entity attention by outlet")
top = url_value(ATTENTION_TOP, str(TOP_DEFAULT))
top = min(max(int(top), 3), TOP_MAX) if top.isdigit() else TOP_DEFAULT
st.slider(
    "Entities", 3, TOP_MAX, help="the most mentioned entities in these articles",
    **url_widget(ATTENTION_TOP, top, encode=lambda n: "" if n == TOP_DEFAULT else str(n)),
)  # fmt: skip
shares = attention_shares(load("attention_by_outlet", scope=scope, top=top, linked=True))
st.plotly_chart(attention_share_heatmap(shares, top_n=top), width="stretch", key="attention")
table_with_csv(
    shares, name="attention_by_outlet", label="Download attention by outlet (CSV)",
    column_config={
        "share": st.column_config.NumberColumn("share of the outlet's mentions", format="percent"),
        "outlet_mentions": st.column_config.NumberColumn("outlet's entity mentions"),
        "outlet_articles": st.column_config.NumberColumn("outlet's articles"),
    },
)  # fmt: skip
if url_value(ENTITIES) and not set(requested) & set(names):
    st.warning(f"{md(url_value(ENTITIES))} is not named in these articles; showing the most named.")
share_link()
