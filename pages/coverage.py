"""Coverage: chosen entities across the corpus, by outlet and over time."""

import streamlit as st

from analysis.coverage_figures import outlet_tone_bars, timeline_chart
from analysis.entity_coverage import entity_timeline, outlet_summary
from pages._shared import init_state, load, md, share_link, url_list, url_value, url_widget

ENTITIES, OUTLETS, SINCE, UNTIL, EVERY, SHOW = "entity", "outlet", "from", "to", "every", "show"
PICK_LIMIT = 200  # most named entities offered
EVERY_CHOICES = ("auto", "day", "week", "month")

init_state()
st.title("Coverage")
st.caption("How much each outlet names chosen entities, and the tone toward them, over time.")

names = load("entities_frame", None, limit=PICK_LIMIT)["entity"].tolist()
outlets = [o for o in load("outlets") if o]
if not names:
    st.info("No entities are stored yet.")
    st.stop()
chosen = [e for e in url_list(ENTITIES) if e in names] or names[:2]
picked_outlets = [o for o in url_list(OUTLETS) if o in outlets]
every = url_value(EVERY, "auto")
every = every if every in EVERY_CHOICES else "auto"
since, until = url_value(SINCE), url_value(UNTIL)
show = url_value(SHOW, "mentions")
show = show if show in ("mentions", "tone") else "mentions"

left, right = st.columns(2)
left.multiselect("Entities", names, max_selections=6, **url_widget(ENTITIES, chosen, encode=list))
right.multiselect("Outlets (all when empty)", outlets, **url_widget(OUTLETS, picked_outlets, encode=list))
a, b, c, d = st.columns(4)
a.text_input("From (YYYY-MM-DD)", **url_widget(SINCE, since))
b.text_input("To (YYYY-MM-DD)", **url_widget(UNTIL, until))
c.selectbox("Every", EVERY_CHOICES, **url_widget(EVERY, every, encode=lambda v: "" if v == "auto" else v))
d.segmented_control(
    "Show", ["mentions", "tone"], required=True,
    **url_widget(SHOW, show, encode=lambda v: "" if v == "mentions" else v),
)  # fmt: skip

for value, label in ((since, "From"), (until, "To")):
    if value and len(value) != 10:
        st.warning(f"{label} {md(value)} is not a date like 2026-03-02; it is ignored.")
since = since if len(since) == 10 else ""
until = until if len(until) == 10 else ""
rows = load("entity_coverage", chosen, outlets=picked_outlets)
try:
    timeline = entity_timeline(rows, bucket="" if every == "auto" else every, since=since, until=until)
    summary = outlet_summary(rows, since=since, until=until)
except ValueError:
    st.warning("A date could not be read; showing every date.")
    timeline, summary = entity_timeline(rows), outlet_summary(rows)

st.plotly_chart(timeline_chart(timeline, measure=show), width="stretch", key="timeline")
st.plotly_chart(outlet_tone_bars(summary), width="stretch", key="outlet_tone")
st.dataframe(
    summary,
    hide_index=True,
    width="stretch",
    column_config={
        "tone": st.column_config.NumberColumn("tone toward it", format="%+.2f"),
        "scored": st.column_config.NumberColumn("scored mentions"),
    },
)
st.download_button("Download (CSV)", summary.to_csv(index=False), "coverage.csv", "text/csv")
share_link()
