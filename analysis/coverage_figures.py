"""Figures of one story across outlets (frames from ``analysis.coverage`` in, Plotly out).

Same look and the same escaping of article text as ``analysis.figures``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.figures import (
    SIMILARITY_SCALE,
    _bar_height,
    _capped,
    _escape,
    _layout,
    _short,
    empty_figure,
)

__all__ = [
    "OUTLET_COLORS", "outlet_colors", "entity_attention_heatmap", "shared_tone_chart", "speakers_by_outlet_chart",
    "timeline_chart", "outlet_tone_bars", "attention_share_heatmap",
]  # fmt: skip

# Okabe–Ito, in order, for the outlets of a story (a story rarely has more than eight)
OUTLET_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000")
MAX_ENTITIES = 20


def outlet_colors(outlets) -> dict[str, str]:
    """A stable colour per outlet (sorted by name, so every chart of a story agrees)."""
    names = sorted(dict.fromkeys(outlets))
    return {name: OUTLET_COLORS[i % len(OUTLET_COLORS)] for i, name in enumerate(names)}


def entity_attention_heatmap(attention: pd.DataFrame, *, top_n: int = MAX_ENTITIES) -> go.Figure:
    """Mentions of each entity (rows) by each outlet (columns), from ``entity_attention``."""
    if attention.empty:
        return empty_figure("No outlet names an entity in this story.")
    totals = attention.groupby("entity", sort=False)["count"].sum()
    names = list(totals.index[:top_n])
    outlets = sorted(attention["outlet"].unique())
    matrix = attention.pivot_table(index="entity", columns="outlet", values="count", aggfunc="sum")
    matrix = matrix.reindex(index=names, columns=outlets)
    z = matrix.to_numpy(dtype=float)
    fig = go.Figure(
        go.Heatmap(
            z=z, x=[_short(o, 28) for o in outlets], y=[_short(n, 30) for n in names],
            colorscale=SIMILARITY_SCALE, zmin=0, texttemplate="%{z:.0f}", hoverongaps=False,
            hovertemplate="<b>%{y}</b> in %{x}: %{z:.0f} mention(s)<extra></extra>",
            colorbar={"title": {"text": "mentions"}, "thickness": 12},
        )
    )  # fmt: skip
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(side="top", showgrid=False)
    title = _capped("Who each outlet names (mentions; blank: not named)", len(names), len(totals), "entities")
    return _layout(fig, title, height=_bar_height(len(names)) + 40)


def shared_tone_chart(tone: pd.DataFrame) -> go.Figure:
    """Targeted tone toward each shared entity (rows), one dot per outlet, from
    ``shared_entity_tone``; the number of scored mentions on hover."""
    if tone.empty:
        return empty_figure("No entity is named by two outlets with a tone score.")
    names = list(dict.fromkeys(tone["entity"]))[:MAX_ENTITIES]
    tone = tone[tone["entity"].isin(names)]
    colors = outlet_colors(tone["outlet"])
    fig = go.Figure()
    for outlet, group in tone.groupby("outlet", sort=True):
        fig.add_trace(
            go.Scatter(
                x=group["tone"], y=[_short(e, 30) for e in group["entity"]], mode="markers",
                name=_short(outlet, 28), marker={"size": 13, "color": colors[outlet], "line": {"width": 1, "color": "white"}},
                customdata=group["mentions"],
                hovertemplate=f"<b>%{{y}}</b><br>{_escape(outlet)}: %{{x:+.2f}} over %{{customdata}} mention(s)<extra></extra>",
            )
        )  # fmt: skip
    fig.add_vline(x=0, line={"color": "#bbbbbb", "width": 1})
    fig.update_xaxes(range=[-1.05, 1.05], title_text="tone toward the entity (−1 negative … +1 positive)", zeroline=False)
    fig.update_yaxes(categoryorder="array", categoryarray=[_short(n, 30) for n in reversed(names)])
    return _layout(fig, "Tone toward the entities several outlets name, by outlet", height=_bar_height(len(names)) + 40)


def speakers_by_outlet_chart(speakers: pd.DataFrame, *, top_n: int = MAX_ENTITIES) -> go.Figure:
    """Quotes per speaker, stacked by outlet, from ``speaker_table``."""
    if speakers.empty:
        return empty_figure("No quote in this story has a speaker.")
    shown = speakers.head(top_n)
    rows = [(s.speaker, outlet, n) for s in shown.itertuples(index=False) for outlet, n in s.by_outlet.items()]
    frame = pd.DataFrame(rows, columns=["speaker", "outlet", "quotes"])
    colors = outlet_colors(frame["outlet"])
    order = [_short(s, 30) for s in shown["speaker"]]
    fig = go.Figure()
    for outlet, group in frame.groupby("outlet", sort=True):
        fig.add_trace(
            go.Bar(
                x=group["quotes"], y=[_short(s, 30) for s in group["speaker"]], orientation="h",
                name=_short(outlet, 28), marker_color=colors[outlet],
                hovertemplate=f"<b>%{{y}}</b><br>{_escape(outlet)}: %{{x}} quote(s)<extra></extra>",
            )
        )  # fmt: skip
    fig.update_layout(barmode="stack")
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(order)))
    fig.update_xaxes(title_text="quotes", dtick=1)
    title = _capped("Who each outlet quotes", len(shown), len(speakers), "speakers")
    return _layout(fig, title, height=_bar_height(len(shown)) + 40)


def timeline_chart(timeline, *, measure: str = "mentions") -> go.Figure:
    """Mentions of (or tone toward) each chosen entity per period, one line per entity and
    outlet, from ``entity_coverage.entity_timeline``; the counts behind each point on hover."""
    frame = timeline.frame
    if frame.empty:
        return empty_figure("No dated article names these entities" + (f" ({timeline.undated} undated)." if timeline.undated else "."))
    if measure == "tone":
        frame = frame[frame["scored"] > 0]
    colors = outlet_colors(frame["outlet"])
    dashes = ("solid", "dot", "dash", "longdash", "dashdot")
    entities = list(dict.fromkeys(frame.sort_values("mentions", ascending=False)["entity"]))
    fig = go.Figure()
    for (entity, outlet), group in frame.groupby(["entity", "outlet"], sort=True):
        group = group.sort_values("period")
        custom = group[["articles", "mentions", "scored"]].to_numpy()
        fig.add_trace(
            go.Scatter(
                x=group["period"], y=group["tone" if measure == "tone" else "mentions"],
                mode="lines+markers", name=_short(f"{entity} · {outlet}", 40),
                line={"color": colors[outlet], "dash": dashes[entities.index(entity) % len(dashes)]},
                customdata=custom,
                hovertemplate=(
                    f"<b>{_escape(entity)}</b> in {_escape(outlet)}<br>%{{x|%Y-%m-%d}}: "
                    + ("tone %{y:+.2f} over %{customdata[2]} scored mention(s)" if measure == "tone" else "%{y} mention(s)")
                    + "<br>in %{customdata[0]} article(s)<extra></extra>"
                ),
            )
        )  # fmt: skip
    every = {"day": "day", "week": "week (from Monday)", "month": "month"}[timeline.bucket]
    what = "Tone toward the entity" if measure == "tone" else "Mentions"
    title = f"{what} per {every}, by outlet"
    if timeline.undated:
        title += f" <sup>({timeline.undated} undated article rows not drawn)</sup>"
    fig.update_xaxes(type="date", title_text=None, tickformat="%b %Y" if timeline.bucket == "month" else "%b %d, %Y")
    if timeline.bucket == "day" and frame["period"].nunique() <= 14:
        fig.update_xaxes(dtick=86_400_000)  # one tick a day, not Plotly's hours between few days
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0.0})
    if measure == "tone":
        fig.update_yaxes(range=[-1.05, 1.05], title_text="tone (−1 … +1)", zeroline=True)
    else:
        fig.update_yaxes(rangemode="tozero", title_text="mentions")
    return _layout(fig, title, height=440)


def outlet_tone_bars(summary: pd.DataFrame) -> go.Figure:
    """Tone toward each chosen entity by outlet (grouped bars), from ``outlet_summary``."""
    scored = summary[summary["scored"] > 0] if not summary.empty else summary
    if scored.empty:
        return empty_figure("No scored mention of these entities.")
    colors = outlet_colors(scored["outlet"])
    fig = go.Figure()
    for outlet, group in scored.groupby("outlet", sort=True):
        fig.add_trace(
            go.Bar(
                x=group["tone"], y=[_short(e, 30) for e in group["entity"]], orientation="h",
                name=_short(outlet, 28), marker_color=colors[outlet],
                customdata=group[["scored", "articles"]].to_numpy(),
                hovertemplate=f"<b>%{{y}}</b><br>{_escape(outlet)}: %{{x:+.2f}} over %{{customdata[0]}} mention(s) in %{{customdata[1]}} article(s)<extra></extra>",
            )
        )  # fmt: skip
    fig.update_layout(barmode="group")
    fig.update_xaxes(range=[-1.05, 1.05], title_text="tone toward the entity (−1 … +1)")
    n = scored["entity"].nunique() * max(1, scored["outlet"].nunique())
    fig = _layout(fig, "Tone toward each entity, by outlet", height=_bar_height(min(n, 24)))
    if scored["outlet"].nunique() > 4:  # many outlets: a column on the right, not rows over the title
        fig.update_layout(
            legend={"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1.0, "yanchor": "top"},
            margin={"r": 190},
        )
    return fig


def attention_share_heatmap(shares: pd.DataFrame, *, top_n: int = MAX_ENTITIES) -> go.Figure:
    """Share of each outlet's entity mentions (columns) going to each entity (rows), from
    ``outlet_coverage.attention_shares``; the counts behind each share on hover."""
    if shares.empty:
        return empty_figure("No outlet names an entity in these articles.")
    order = shares.groupby("entity")["mentions"].sum().sort_values(ascending=False, kind="stable")
    names = list(order.index[:top_n])
    outlets = sorted(shares["outlet"].unique())
    pivot = shares.pivot_table(index="entity", columns="outlet", values=["share", "mentions", "articles"], aggfunc="sum")
    z = pivot["share"].reindex(index=names, columns=outlets).to_numpy(dtype=float) * 100
    mentions = pivot["mentions"].reindex(index=names, columns=outlets).fillna(0).to_numpy(dtype=int)
    articles = pivot["articles"].reindex(index=names, columns=outlets).fillna(0).to_numpy(dtype=int)
    totals = shares.drop_duplicates("outlet").set_index("outlet").reindex(outlets)
    custom = np.dstack([
        mentions, np.broadcast_to(totals["outlet_mentions"].to_numpy(dtype=int), mentions.shape),
        articles, np.broadcast_to(totals["outlet_articles"].to_numpy(dtype=int), mentions.shape),
    ])  # fmt: skip
    fig = go.Figure(
        go.Heatmap(
            z=z, x=[_short(o, 28) for o in outlets], y=[_short(n, 30) for n in names], customdata=custom,
            text=[["" if np.isnan(v) else f"{v:.1f}%" for v in row] for row in z], texttemplate="%{text}",
            colorscale=SIMILARITY_SCALE, zmin=0, hoverongaps=False,
            hovertemplate=(
                "<b>%{y}</b> in %{x}: %{z:.1f}% of its entity mentions<br>"
                "%{customdata[0]} of %{customdata[1]} mentions, in %{customdata[2]} of %{customdata[3]} articles"
                "<extra></extra>"
            ),
            colorbar={"title": {"text": "% of mentions"}, "thickness": 12},
        )
    )  # fmt: skip
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(side="top", showgrid=False)
    title = _capped("Share of each outlet's entity mentions (blank: not named)", len(names), len(order), "entities")
    return _layout(fig, title, height=_bar_height(len(names)) + 60)
