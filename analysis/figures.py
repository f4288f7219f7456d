"""Plotly figure builders: the store's DataFrames in, a ``plotly.graph_objects.Figure`` out.

Every builder takes a frame with the column names of the matching ``Store`` method, returns
``empty_figure(reason)`` instead of raising when there is nothing to draw, caps or bins what it
shows so a 1366×768 screen stays readable (and says so in the title), and shares one look
(``_layout``). Pages only call these and render; no figure is built inline.

Article text reaches Plotly only through ``_escape``/``_hover``: Plotly renders a subset of HTML
(``<b>``, ``<a href>``, …) in hover text, tick labels and titles, so a headline such as
``<img src=x onerror=alert(1)>`` must arrive as ``&lt;img …&gt;`` to be shown literally.
"""

from __future__ import annotations

import html
import math
import re
import textwrap
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from analysis.model import QUOTE_KINDS

__all__ = [
    "ENTITY_COLORS",
    "TONE_SCALE",
    "SUBJECTIVITY_SCALE",
    "SIMILARITY_SCALE",
    "MEASURE_COLORS",
    "QUOTE_KIND_COLORS",
    "Measure",
    "MEASURES",
    "TARGET_TONE",
    "empty_figure",
    "headline_variants_chart",
    "similarity_heatmap",
    "entity_bar_chart",
    "cooccurrence_heatmap",
    "entity_positions_chart",
    "tone_arc_chart",
    "paragraph_heatmap",
    "entity_tone_chart",
    "speaker_tone_chart",
    "quotes_per_speaker_chart",
    "voice_chart",
    "tone_distribution_chart",
]

# -- palettes ------------------------------------------------------------------------------------
# Okabe–Ito first (safe for the common colour-vision deficiencies), then Paul Tol's muted colours
# for the rarer labels; grey for anything else.
ENTITY_COLORS: dict[str, str] = {
    "PERSON": "#0072B2",  # blue
    "ORG": "#E69F00",  # orange
    "GPE": "#009E73",  # bluish green
    "LOC": "#56B4E9",  # sky blue
    "NORP": "#CC79A7",  # reddish purple
    "FAC": "#D55E00",  # vermillion
    "EVENT": "#DDCC77",  # sand
    "PRODUCT": "#882255",  # wine
    "LAW": "#332288",  # indigo
    "WORK_OF_ART": "#999933",  # olive
    "OTHER": "#999999",  # grey
}

# Diverging red → grey → blue (ColorBrewer RdBu with a neutral grey centre), for values in [-1, 1].
TONE_SCALE: list[list] = [
    [0.0, "#b2182b"],
    [0.25, "#ef8a62"],
    [0.5, "#e0e0e0"],
    [0.75, "#67a9cf"],
    [1.0, "#2166ac"],
]
# Sequential light → dark purple, for subjectivity in [0, 1] (no "good/bad" direction).
SUBJECTIVITY_SCALE: list[list] = [[0.0, "#f7f4f9"], [0.5, "#9e9ac8"], [1.0, "#3f007d"]]
# Sequential light → dark teal, for similarities and counts.
SIMILARITY_SCALE: list[list] = [[0.0, "#f7fcfd"], [0.5, "#66c2a4"], [1.0, "#00441b"]]

MEASURE_COLORS: dict[str, str] = {
    "tone": "#0072B2",
    "polarity": "#E69F00",
    "vader": "#009E73",
    "subjectivity": "#CC79A7",
}
QUOTE_KIND_COLORS: dict[str, str] = {
    "direct": "#0072B2",
    "partial": "#56B4E9",
    "indirect": "#E69F00",
}


class Measure(NamedTuple):
    """A tone measure: its axis label, value range and a one-line explanation of its scale."""

    label: str
    range: tuple[float, float]
    help: str


MEASURES: dict[str, Measure] = {
    "polarity": Measure(
        "TextBlob polarity",
        (-1.0, 1.0),
        "TextBlob polarity: −1 very negative … +1 very positive; a word-lexicon average that "
        'misses negative events ("death toll")',
    ),
    "subjectivity": Measure(
        "TextBlob subjectivity",
        (0.0, 1.0),
        "TextBlob subjectivity: 0 factual … 1 opinionated; counts evaluative words, not who "
        "holds the opinion",
    ),
    "vader": Measure(
        "VADER compound",
        (-1.0, 1.0),
        "VADER compound: −1 very negative … +1 very positive; a social-media lexicon with "
        "negation and emphasis rules, tuned for short informal text",
    ),
    "tone": Measure(
        "Newslens tone",
        (-1.0, 1.0),
        "Newslens tone: −1 … +1, our best estimate combining the lexicons with news-specific "
        "cues (see README › Accuracy)",
    ),
}
TARGET_TONE = Measure(
    "Tone toward the entity",
    (-1.0, 1.0),
    "Targeted tone: −1 … +1, how the sentences mentioning an entity speak about it, averaged over "
    "its mentions (see README › Accuracy)",
)

# -- limits: what one laptop screen can show -----------------------------------------------------
MAX_HEADLINES = 24  # headline variants in one chart
MAX_MATRIX = 30  # rows/columns of a similarity or co-occurrence heatmap
MAX_POSITION_ENTITIES = 15  # entities in the positions chart
MAX_PARAGRAPHS = 150  # heatmap columns before paragraphs are binned
MAX_ANNOTATED_COLUMNS = 12  # paragraphs whose values are printed in the cells
HOVER_WIDTH = 70  # characters per hover line
HOVER_CHARS = 400  # characters of article text in one hover
TICK_CHARS = 32  # characters of a label on an axis

FONT = "Source Sans Pro, Segoe UI, Helvetica Neue, Arial, sans-serif"
UNATTRIBUTED = "(no speaker found)"
_SPACE = re.compile(r"\s+")


# -- text for Plotly -----------------------------------------------------------------------------


def _escape(text: object) -> str:
    """``text`` safe for Plotly's pseudo-HTML: ``<``, ``>``, ``&`` escaped, whitespace collapsed.

    Quotes stay as they are: Plotly decodes ``&lt;`` but not ``&quot;``, and without ``<`` no tag
    (hence no attribute) can form.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return html.escape(_SPACE.sub(" ", str(text)).strip(), quote=False)


def _short(text: object, limit: int = TICK_CHARS) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, then escaped (for labels)."""
    flat = _SPACE.sub(" ", "" if text is None else str(text)).strip()
    return _escape(flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…")


def _hover(text: object, *, width: int = HOVER_WIDTH, limit: int = HOVER_CHARS) -> str:
    """Article text for a hover box: truncated, wrapped at ``width``, escaped, ``<br>``-joined."""
    flat = _SPACE.sub(" ", "" if text is None else str(text)).strip()
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return "<br>".join(_escape(line) for line in textwrap.wrap(flat, width)) or "&nbsp;"


def _wrap_label(text: str, width: int = 22, lines: int = 2) -> str:
    """A short tick label on at most ``lines`` lines (escaped)."""
    parts = textwrap.wrap(_SPACE.sub(" ", text).strip(), width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "<br>".join(_escape(p) for p in parts)


def _unique(labels: Sequence[str]) -> list[str]:
    """Labels made distinct (Plotly merges equal category labels into one)."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def _measure(name: str) -> Measure:
    if name == "target_tone":
        return TARGET_TONE
    if name not in MEASURES:
        raise ValueError(
            f"unknown measure {name!r}; choose one of: {', '.join(MEASURES)}, target_tone"
        )
    return MEASURES[name]


def _check_text_measures(measures: Sequence[str]) -> None:
    """Sentences and paragraphs carry the four MEASURES (not the per-entity ``target_tone``)."""
    unknown = [m for m in measures if m not in MEASURES]
    if unknown:
        raise ValueError(f"unknown measure {unknown[0]!r}; choose from: {', '.join(MEASURES)}")


def _signed(value: float | None) -> str:
    return "n/a" if value is None or pd.isna(value) else f"{value:+.2f}"


# -- the shared look -----------------------------------------------------------------------------


def _template() -> go.layout.Template:
    """The one look of every chart: plotly_white with our font, hover labels, legend and margins.

    Built once and registered as Plotly's default: applying a template is the most expensive
    step of building a figure, and a registered default is applied from a cached object."""
    template = go.layout.Template(pio.templates["plotly_white"])
    template.layout.update(
        title={"x": 0.0, "xanchor": "left", "font": {"size": 16}},
        font={"family": FONT, "size": 13, "color": "#262730"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel={"bgcolor": "white", "font": {"family": FONT, "size": 12}, "align": "left"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
        xaxis={"automargin": True},
        yaxis={"automargin": True},
    )
    return template


pio.templates["newslens"] = _template()
pio.templates.default = "newslens"


def _layout(fig: go.Figure, title: str, *, height: int = 420) -> go.Figure:
    """Title, height and margins; everything else comes from the ``newslens`` template."""
    fig.update_layout(
        title_text=title,
        height=height,
        margin={"l": 10, "r": 10, "t": 90 if "<br>" in title else 60, "b": 40},
    )
    return fig


def _bar_height(n: int) -> int:
    """Height for ``n`` horizontal bars: about 26 px each, within what a laptop screen shows."""
    return int(min(720, max(280, 110 + 26 * n)))


def _capped(title: str, shown: int, total: int, noun: str) -> str:
    return title if shown >= total else f"{title} <sup>(top {shown} of {total} {noun})</sup>"


def empty_figure(message: str) -> go.Figure:
    """An explained empty state: no axes, ``message`` centred (so a page never shows a blank)."""
    fig = go.Figure()
    fig.add_annotation(
        text=_escape(message), x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
        font={"size": 15, "color": "#555555"},
    )  # fmt: skip
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    _layout(fig, "", height=240)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 20, "b": 20})
    return fig


# -- headlines -----------------------------------------------------------------------------------


def headline_variants_chart(
    headlines: pd.DataFrame, body_tone: dict[str, float | None] | None
) -> go.Figure:
    """Polarity, VADER and tone of each headline variant, with the body's values as dashed lines.

    ``headlines`` is ``Store.headlines_frame``; when it spans several articles each label starts
    with the article's source (or title). ``body_tone`` maps measure → the body's score (None or
    empty when comparing articles).
    """
    if headlines.empty:
        return empty_figure("No headline variants were found for this article.")
    total = len(headlines)
    heads = headlines.head(MAX_HEADLINES)
    several = "article_id" in heads and heads["article_id"].nunique() > 1
    labels = []
    for row in heads.itertuples(index=False):
        label = f"{row.role}: {_SPACE.sub(' ', str(row.text)).strip()[:40]}"
        if several:
            label = f"{(getattr(row, 'source', '') or getattr(row, 'article_title', ''))[:20]} · {label}"
        labels.append(label)
    ticks = _unique([_wrap_label(label) for label in labels])
    hover = [
        f"<b>{_escape(r)}</b><br>{_hover(t)}"
        for r, t in zip(heads["role"], heads["text"], strict=True)
    ]
    if several:
        hover = [
            f"{_short(a, 80)}<br>{h}" for a, h in zip(heads["article_title"], hover, strict=True)
        ]

    fig = go.Figure()
    for name in ("polarity", "vader", "tone"):
        fig.add_bar(
            x=ticks, y=heads[name], name=MEASURES[name].label, marker_color=MEASURE_COLORS[name],
            customdata=hover,
            hovertemplate=f"{MEASURES[name].label}: %{{y:+.2f}}<br>%{{customdata}}<extra></extra>",
        )  # fmt: skip
    body = []
    for name in ("polarity", "vader", "tone"):
        value = (body_tone or {}).get(name)
        if value is None or pd.isna(value):
            continue
        fig.add_hline(y=value, line_dash="dash", line_color=MEASURE_COLORS[name], line_width=1.5)
        body.append(f"{MEASURES[name].label} {value:+.2f}")
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_yaxes(
        range=[-1.05, 1.05], zeroline=True, zerolinecolor="#888888",
        title="Score (−1 negative … +1 positive)",
    )  # fmt: skip
    title = _capped("Tone of each headline variant", len(heads), total, "variants")
    if body:
        title += f"<br><sup>dashed lines: the article body ({' · '.join(body)})</sup>"
    return _layout(fig, title, height=440)


def similarity_heatmap(matrix: pd.DataFrame, *, title: str) -> go.Figure:
    """A square 0..1 similarity matrix (e.g. ``Store.headline_similarity``), values annotated."""
    if matrix.empty:
        return empty_figure("Nothing to compare: at least two headline variants are needed.")
    if matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"a similarity matrix must be square, got {matrix.shape}")
    total = len(matrix)
    m = matrix.iloc[:MAX_MATRIX, :MAX_MATRIX]
    names = [str(v) for v in m.index]
    hover = [[f"{_hover(a)}<br>vs<br>{_hover(b)}" for b in names] for a in names]
    fig = go.Figure(
        go.Heatmap(
            z=m.to_numpy(dtype=float), x=list(range(len(names))), y=list(range(len(names))),
            zmin=0, zmax=1, colorscale=SIMILARITY_SCALE, customdata=hover,
            texttemplate="%{z:.2f}" if len(names) <= 12 else None,
            hovertemplate="%{customdata}<br>similarity %{z:.2f}<extra></extra>",
            colorbar={"title": {"text": "similarity"}, "thickness": 12},
        )
    )  # fmt: skip
    ticks = {"tickvals": list(range(len(names))), "ticktext": [_short(n) for n in names]}
    fig.update_xaxes(**ticks, tickangle=-30, showgrid=False, zeroline=False)
    fig.update_yaxes(**ticks, autorange="reversed", scaleanchor="x", showgrid=False, zeroline=False)
    height = int(min(700, max(360, 160 + 44 * len(names))))
    return _layout(fig, _capped(_escape(title), len(names), total, "items"), height=height)


# -- entities ------------------------------------------------------------------------------------


def _aliases(aliases: object, limit: int = 8) -> str:
    values = list(aliases) if isinstance(aliases, list | tuple | np.ndarray) else []
    shown = ", ".join(_escape(a) for a in values[:limit])
    return shown + (f" … +{len(values) - limit} more" if len(values) > limit else "")


def entity_bar_chart(entities: pd.DataFrame, *, top_n: int = 20) -> go.Figure:
    """The most-mentioned entities as horizontal bars, coloured by label, largest at the top."""
    if entities.empty:
        return empty_figure("No named entities were found.")
    total = len(entities)
    top = entities.sort_values(["count", "entity"], ascending=[False, True]).head(top_n).copy()
    for column in ("demonym_count", "articles"):
        top[column] = top[column] if column in top else 0
    shown = [_escape(n) for n in top["entity"]]
    clash = pd.Series(shown).duplicated(keep=False).to_numpy()
    top["shown"] = [
        f"{n} ({lab})" if c else n for n, lab, c in zip(shown, top["label"], clash, strict=True)
    ]
    fig = go.Figure()
    for label, group in top.groupby("label", sort=False):
        hover = [
            f"<b>{name}</b> · {_escape(label)}<br>{count} mentions"
            + (f" (+{dem} as a demonym)" if dem else "")
            + (f" in {arts} articles" if arts and arts > 1 else "")
            + (f"<br>also written: {_aliases(al)}" if len(al) > 1 else "")
            for name, count, dem, arts, al in zip(
                group["shown"], group["count"], group["demonym_count"], group["articles"],
                group["aliases"], strict=True,
            )
        ]  # fmt: skip
        fig.add_bar(
            y=group["shown"], x=group["count"], orientation="h", name=_escape(label),
            marker_color=ENTITY_COLORS.get(str(label), ENTITY_COLORS["OTHER"]),
            customdata=hover, hovertemplate="%{customdata}<extra></extra>",
        )  # fmt: skip
    fig.update_yaxes(categoryorder="array", categoryarray=list(top["shown"])[::-1])
    fig.update_xaxes(title="Mentions (demonyms such as “Israeli” not counted)")
    title = _capped("Most-mentioned entities", len(top), total, "entities")
    return _layout(fig, title, height=_bar_height(len(top)))


def cooccurrence_heatmap(pairs: pd.DataFrame) -> go.Figure:
    """How often two entities are named in the same sentence (columns a, b, count), symmetric."""
    if pairs.empty:
        return empty_figure("No two entities are named in the same sentence.")
    counts = pairs.groupby(["a", "b"], as_index=False)["count"].sum()
    both = pd.concat([counts, counts.rename(columns={"a": "b", "b": "a"})])
    totals = both.groupby("a")["count"].sum().sort_values(ascending=False, kind="stable")
    names = list(totals.index[:MAX_MATRIX])
    matrix = both.pivot_table(index="a", columns="b", values="count", aggfunc="sum").reindex(
        index=names, columns=names
    )
    z = matrix.to_numpy(dtype=float, copy=True)
    np.fill_diagonal(z, np.nan)
    escaped = [_escape(n) for n in names]
    hover = [[f"<b>{a}</b> and <b>{b}</b>" for b in escaped] for a in escaped]
    fig = go.Figure(
        go.Heatmap(
            z=z, x=list(range(len(names))), y=list(range(len(names))), colorscale=SIMILARITY_SCALE,
            zmin=0, zmax=max(1.0, float(np.nanmax(z))) if np.isfinite(z).any() else 1.0,
            customdata=hover, texttemplate="%{z:.0f}" if len(names) <= 15 else None,
            hovertemplate="%{customdata}<br>named together in %{z:.0f} sentences<extra></extra>",
            hoverongaps=False, colorbar={"title": {"text": "sentences"}, "thickness": 12},
        )
    )  # fmt: skip
    ticks = {"tickvals": list(range(len(names))), "ticktext": [_short(n, 24) for n in names]}
    fig.update_xaxes(**ticks, tickangle=-40, showgrid=False, zeroline=False)
    fig.update_yaxes(**ticks, autorange="reversed", scaleanchor="x", showgrid=False, zeroline=False)
    title = _capped("Entities named in the same sentence", len(names), len(totals), "entities")
    return _layout(fig, title, height=int(min(720, max(380, 180 + 30 * len(names)))))


def entity_positions_chart(
    mentions: pd.DataFrame, n_sentences: int, *, top_n: int = MAX_POSITION_ENTITIES
) -> go.Figure:
    """Where each of the most-mentioned entities appears along the article (by sentence).

    One marker per mention, coloured by label; demonym mentions ("Israeli") are hollow.
    """
    if mentions.empty:
        return empty_figure("No entity mentions were found in this article.")
    order = mentions["entity"].value_counts(sort=False)
    order = order.sort_values(ascending=False, kind="stable")  # ties keep first-mention order
    names = list(order.index[:top_n])
    shown = mentions[mentions["entity"].isin(names)].copy()
    shown["demonym"] = shown["demonym"].fillna(False).astype(bool)
    shown["y"] = [_escape(n) for n in shown["entity"]]
    shown["hover"] = [
        f"<b>{_escape(e)}</b> · {_escape(lab)}<br>“{_escape(t)}” in sentence {s}"
        + (" (demonym)" if d else "")
        + (f"<br>tone toward it: {_signed(tt)}" if tt is not None and not pd.isna(tt) else "")
        for e, lab, t, s, d, tt in zip(
            shown["entity"], shown["label"], shown["text"], shown["sentence"], shown["demonym"],
            shown["target_tone"], strict=True,
        )
    ]  # fmt: skip
    fig = go.Figure()
    named = shown[~shown["demonym"]]
    for label, group in named.groupby("label", sort=False):
        fig.add_scatter(
            x=group["sentence"], y=group["y"], mode="markers", name=_escape(label),
            marker={"color": ENTITY_COLORS.get(str(label), ENTITY_COLORS["OTHER"]), "size": 9,
                    "symbol": "circle", "line": {"width": 0}},
            customdata=group["hover"], hovertemplate="%{customdata}<extra></extra>",
        )  # fmt: skip
    demonyms = shown[shown["demonym"]]
    if not demonyms.empty:
        fig.add_scatter(
            x=demonyms["sentence"], y=demonyms["y"], mode="markers", name="demonym (hollow)",
            marker={"color": [ENTITY_COLORS.get(str(lab), ENTITY_COLORS["OTHER"]) for lab in demonyms["label"]],
                    "size": 9, "symbol": "circle-open", "line": {"width": 2}},
            customdata=demonyms["hover"], hovertemplate="%{customdata}<extra></extra>",
        )  # fmt: skip
    fig.update_yaxes(categoryorder="array", categoryarray=[_escape(n) for n in names][::-1])
    fig.update_xaxes(
        range=[-0.5, max(n_sentences, int(shown["sentence"].max()) + 1) - 0.5],
        title="Sentence (0 = the first; left = top of the article)", zeroline=False,
    )  # fmt: skip
    title = _capped("Where each entity is mentioned", len(names), len(order), "entities")
    return _layout(fig, title, height=_bar_height(len(names)))


def _reach(values: Sequence[float]) -> float:
    """Half-width of a symmetric tone axis that shows ``values`` with a margin, within [0.25, 1]."""
    return max(0.25, min(1.0, 1.15 * max(abs(v) for v in values)))


def _diverging_bars(
    names: Sequence[str], values: Sequence[float], hover: Sequence[str], *, title: str, axis: str
) -> go.Figure:
    """Horizontal bars around zero coloured by TONE_SCALE on the fixed [-1, 1] range."""
    fig = go.Figure(
        go.Bar(
            y=list(names), x=list(values), orientation="h", customdata=list(hover),
            marker={"color": list(values), "colorscale": TONE_SCALE, "cmin": -1, "cmax": 1,
                    "line": {"color": "#888888", "width": 0.5}},
            hovertemplate="%{customdata}<extra></extra>",
        )
    )  # fmt: skip
    reach = _reach(values)
    fig.add_vline(x=0, line_color="#555555", line_width=1)
    fig.update_xaxes(range=[-reach, reach], title=axis, zeroline=False)
    fig.update_yaxes(categoryorder="array", categoryarray=list(names)[::-1])
    return _layout(fig, title, height=_bar_height(len(names)))


def entity_tone_chart(
    entities: pd.DataFrame, *, measure: str = "target_tone", top_n: int = 20
) -> go.Figure:
    """Tone toward (or around) the most-mentioned entities, as diverging bars sorted by tone."""
    info = _measure(measure)
    if entities.empty:
        return empty_figure("No named entities were found.")
    scored = entities.dropna(subset=[measure])
    if scored.empty:
        return empty_figure(f"No entity has a {info.label.lower()} score.")
    top = scored.sort_values(["count", "entity"], ascending=[False, True]).head(top_n)
    top = top.sort_values(measure, ascending=False, kind="stable")
    names = _unique([_escape(n) for n in top["entity"]])
    hover = [
        f"<b>{n}</b> · {_escape(lab)}<br>{info.label}: {v:+.2f}<br>{c} mentions"
        for n, lab, v, c in zip(names, top["label"], top[measure], top["count"], strict=True)
    ]
    title = _capped(f"{info.label}, most-mentioned entities", len(top), len(scored), "with a score")
    axis = f"{info.label} (−1 negative … +1 positive)"
    return _diverging_bars(names, list(top[measure]), hover, title=title, axis=axis)


# -- tone along the article ----------------------------------------------------------------------


def tone_arc_chart(
    sentences: pd.DataFrame,
    *,
    measures: Sequence[str] = ("tone", "polarity", "vader"),
    max_points: int = 400,
) -> go.Figure:
    """Tone sentence by sentence (``Store.sentences_frame``); long articles are averaged in bins."""
    _check_text_measures(measures)
    if sentences.empty:
        return empty_figure("This article has no sentences to score.")
    frame = sentences.sort_values("idx").reset_index(drop=True)
    n = len(frame)
    size = math.ceil(n / max_points) if n > max_points else 1
    if size > 1:
        group = frame.index // size
        binned = frame.groupby(group)[list(measures)].mean()
        first = frame.groupby(group)["idx"].min()
        last = frame.groupby(group)["idx"].max()
        x = ((first + last) / 2).to_numpy()
        text = [
            f"Sentences {a}–{b} (mean of {b - a + 1})" for a, b in zip(first, last, strict=True)
        ]
        values = binned
    else:
        x = frame["idx"].to_numpy()
        text = [_hover(t) for t in frame["text"]]
        values = frame[list(measures)]
    fig = go.Figure()
    for i, name in enumerate(measures):
        main = i == 0
        fig.add_scatter(
            x=x, y=values[name], name=MEASURES[name].label, mode="lines+markers" if n <= 60 else "lines",
            line={"color": MEASURE_COLORS[name], "width": 2.5 if main else 1.2,
                  "dash": "solid" if main else "dot"},
            marker={"size": 5}, customdata=text if main else None,
            hovertemplate=(f"%{{customdata}}<br>{MEASURES[name].label}: %{{y:+.2f}}<extra></extra>" if main
                           else f"{MEASURES[name].label}: %{{y:+.2f}}<extra></extra>"),
        )  # fmt: skip
    fig.add_hline(y=0, line_color="#888888", line_width=1)
    fig.update_yaxes(range=[-1.05, 1.05], title="Score (−1 negative … +1 positive)", zeroline=False)
    header = "Around sentence %{x:.0f}" if size > 1 else "Sentence %{x}"
    fig.update_xaxes(
        title="Sentence (0 = the first)", zeroline=False, unifiedhovertitle={"text": header}
    )
    fig.update_layout(hovermode="x unified")
    title = "Tone along the article"
    if size > 1:
        title += f" <sup>(averaged over {size}-sentence bins: {n} sentences)</sup>"
    return _layout(fig, title, height=400)


def _bin_paragraphs(frame: pd.DataFrame, measures: Sequence[str], size: int) -> pd.DataFrame:
    group = frame.index // size
    out = frame.groupby(group)[list(measures)].mean()
    out["idx"] = frame.groupby(group)["idx"].min()
    out["last"] = frame.groupby(group)["idx"].max()
    out["text"] = frame.groupby(group)["text"].first()
    return out


def paragraph_heatmap(
    paragraphs: pd.DataFrame,
    *,
    measures: Sequence[str] = ("polarity", "subjectivity", "vader", "tone"),
    max_columns: int = MAX_PARAGRAPHS,
) -> go.Figure:
    """One row per measure, one column per paragraph (``Store.paragraphs_frame``).

    Signed measures share TONE_SCALE on [-1, 1]; subjectivity has its own 0..1 purple scale.
    """
    _check_text_measures(measures)
    if paragraphs.empty:
        return empty_figure("This article has no paragraphs to score.")
    frame = paragraphs.sort_values("idx").reset_index(drop=True)
    n = len(frame)
    size = math.ceil(n / max_columns) if n > max_columns else 1
    if size > 1:
        frame = _bin_paragraphs(frame, measures, size)
        where = [
            f"Paragraphs {a}–{b}, from:" for a, b in zip(frame["idx"], frame["last"], strict=True)
        ]
    else:
        where = [f"Paragraph {i}:" for i in frame["idx"]]
    starts = [f"{w}<br>{_hover(t, limit=160)}" for w, t in zip(where, frame["text"], strict=True)]
    fig = go.Figure()
    tone_bar_shown = False
    # One trace per row, on numeric rows: Plotly.js cannot draw several heatmaps that share a
    # categorical y axis.
    for row, name in enumerate(measures):
        info = MEASURES[name]
        signed = info.range[0] < 0
        number = "+.2f" if signed else ".2f"
        fig.add_heatmap(
            z=[frame[name].to_numpy(dtype=float)], x=frame["idx"], y=[row], name=info.label,
            zmin=info.range[0], zmax=info.range[1],
            colorscale=TONE_SCALE if signed else SUBJECTIVITY_SCALE,
            showscale=not signed or not tone_bar_shown, customdata=[starts], xgap=1, ygap=3,
            texttemplate=f"%{{z:{number}}}" if len(frame) <= MAX_ANNOTATED_COLUMNS else None,
            hovertemplate=f"{info.label}: %{{z:{number}}}<br>%{{customdata}}<extra></extra>",
            colorbar=(
                {"title": {"text": "tone"}, "thickness": 12, "len": 0.55, "y": 1.0,
                 "yanchor": "top", "x": 1.01}
                if signed
                else {"title": {"text": "subjectivity"}, "thickness": 12, "len": 0.4, "y": 0.0,
                      "yanchor": "bottom", "x": 1.01}
            ),
        )  # fmt: skip
        tone_bar_shown = tone_bar_shown or signed
    fig.update_yaxes(
        tickvals=list(range(len(measures))), ticktext=[MEASURES[m].label for m in measures],
        autorange="reversed", showgrid=False, zeroline=False,
    )  # fmt: skip
    fig.update_xaxes(title="Paragraph (0 = the first)", showgrid=False, zeroline=False)
    title = "Tone paragraph by paragraph"
    if size > 1:
        title += f" <sup>(averaged over {size}-paragraph bins: {n} paragraphs)</sup>"
    return _layout(fig, title, height=int(150 + 48 * len(measures)))


# -- quotes and voice ----------------------------------------------------------------------------


def speaker_tone_chart(
    quotes: pd.DataFrame, *, toward: pd.DataFrame | None = None, top_n: int = 15
) -> go.Figure:
    """Mean tone of each speaker's quotes (``Store.quotes_frame``), the most-quoted speakers; with
    ``toward`` (``Store.entities_frame``), a marker for the targeted tone toward each speaker who
    is also a named entity there: what they say beside how the text speaks of them."""
    if quotes.empty:
        return empty_figure("No quotes were found.")
    named = quotes[quotes["speaker"].fillna("").str.strip() != ""].dropna(subset=["tone"])
    if named.empty:
        return empty_figure("No quote has an identified speaker.")
    stats = named.groupby("speaker")["tone"].agg(["mean", "size", "min", "max"]).reset_index()
    total = len(stats)
    top = stats.sort_values(["size", "speaker"], ascending=[False, True]).head(top_n)
    top = top.sort_values("mean", ascending=False, kind="stable")
    names = [_escape(s) for s in top["speaker"]]
    hover = [
        f"<b>{n}</b><br>mean tone {m:+.2f} over {k} quote{'s' if k != 1 else ''}"
        + (f"<br>range {lo:+.2f} … {hi:+.2f}" if k > 1 else "")
        for n, m, k, lo, hi in zip(
            names, top["mean"], top["size"], top["min"], top["max"], strict=True
        )
    ]
    targeted = {} if toward is None or toward.empty else dict(
        toward.dropna(subset=["target_tone"]).set_index("entity")["target_tone"])  # fmt: skip
    shown = [(n, float(targeted[s])) for n, s in zip(names, top["speaker"], strict=True) if s in targeted]
    heading = "Mean tone of each speaker's quotes" + (" and toward each of them" if shown else "")
    fig = _diverging_bars(names, list(top["mean"]), hover, title=_capped(heading, len(top), total, "speakers"),
                          axis="Mean Newslens tone of their quotes (−1 … +1)")  # fmt: skip
    if shown:
        fig.data[0].name = "their quotes (Newslens tone)"
        fig.add_scatter(
            y=[n for n, _ in shown], x=[t for _, t in shown], mode="markers",
            name="toward them in the text (targeted tone)",
            marker={"symbol": "diamond", "size": 11, "color": "#222222", "line": {"color": "white", "width": 1}},
            hovertemplate="<b>%{y}</b><br>tone toward them in the text %{x:+.2f}<extra></extra>",
        )  # fmt: skip
        reach = _reach([*top["mean"], *(t for _, t in shown)])
        fig.update_xaxes(range=[-reach, reach], title="Tone (−1 … +1): bars, their quotes; diamonds, the text toward them")
        fig.update_layout(showlegend=True, legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0})
    return fig


def quotes_per_speaker_chart(quotes: pd.DataFrame, *, top_n: int = 15) -> go.Figure:
    """Quotes per speaker, stacked by kind (direct / partial / indirect)."""
    if quotes.empty:
        return empty_figure("No quotes were found.")
    speaker = quotes["speaker"].fillna("").str.strip().replace("", UNATTRIBUTED)
    counts = pd.crosstab(speaker, quotes["kind"])
    totals = counts.sum(axis=1).sort_index().sort_values(ascending=False, kind="stable")
    top = list(totals.index[:top_n])
    names = [_escape(s) for s in top]
    fig = go.Figure()
    kinds = [k for k in QUOTE_KINDS if k in counts.columns]
    kinds += [k for k in counts.columns if k not in QUOTE_KINDS]
    for kind in kinds:
        values = counts.loc[top, kind]
        fig.add_bar(
            y=names, x=values, orientation="h", name=_escape(kind),
            marker_color=QUOTE_KIND_COLORS.get(kind, ENTITY_COLORS["OTHER"]),
            hovertemplate=f"%{{y}}: %{{x}} {_escape(kind)} quote(s)<extra></extra>",
        )  # fmt: skip
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    fig.update_yaxes(categoryorder="array", categoryarray=names[::-1])
    fig.update_xaxes(title="Quotes (direct = full quotation, partial = a quoted phrase)", tickformat="d")
    if totals.iloc[0] <= 10:
        fig.update_xaxes(dtick=1)  # counts: whole numbers only, never ticks at 0.2
    title = _capped("Quotes per speaker", len(top), len(totals), "speakers")
    return _layout(fig, title, height=_bar_height(len(top)))


def voice_chart(voice: pd.DataFrame) -> go.Figure:
    """The narrator's own sentences against quoted speech (``Store.voice_frame``)."""
    rows = voice[voice["n"] > 0] if not voice.empty else voice
    if rows.empty:
        return empty_figure("No sentences or quotes to compare.")
    names = ("polarity", "subjectivity", "vader", "tone")
    labels = [MEASURES[m].label for m in names]
    fig = go.Figure()
    colors = {"narrator": "#555555", "quoted": "#0072B2"}
    for row in rows.itertuples(index=False):
        what = "sentences" if row.voice == "narrator" else "quotes"
        fig.add_bar(
            x=labels, y=[getattr(row, m) for m in names], name=f"{row.voice} ({row.n} {what})",
            marker_color=colors.get(row.voice, ENTITY_COLORS["OTHER"]),
            hovertemplate=f"{row.voice}: %{{x}} %{{y:+.2f}} (mean of {row.n} {what})<extra></extra>",
        )  # fmt: skip
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[-1.05, 1.05], title="Mean score (subjectivity: 0 … 1)", zeroline=True,
                     zerolinecolor="#888888")  # fmt: skip
    return _layout(fig, "The narrator's voice against quoted speech", height=380)


def tone_distribution_chart(
    frame: pd.DataFrame,
    measure: str,
    *,
    mark: float | None = None,
    mark_label: str = "this article",
) -> go.Figure:
    """A histogram of one measure over many rows (articles, sentences, quotes), mean marked;
    ``mark`` adds a solid line for one value (e.g. the article being read)."""
    info = _measure(measure)
    values = frame[measure].dropna() if measure in frame else pd.Series(dtype=float)
    if values.empty:
        return empty_figure(f"No {info.label.lower()} scores to show.")
    low, high = info.range
    fig = go.Figure(
        go.Histogram(
            x=values, xbins={"start": low, "end": high + 1e-9, "size": (high - low) / 20},
            marker={"color": MEASURE_COLORS.get(measure, "#0072B2"), "line": {"color": "white", "width": 1}},
            hovertemplate=f"{info.label} %{{x}}: %{{y}}<extra></extra>",
        )
    )  # fmt: skip
    fig.add_vline(
        x=float(values.mean()), line_dash="dash", line_color="#333333",
        annotation_text=f"mean {values.mean():+.2f}", annotation_position="top right",
    )  # fmt: skip
    if mark is not None and not pd.isna(mark):
        fig.add_vline(
            x=float(mark), line_color="#b2182b", line_width=2,
            annotation_text=f"{_escape(mark_label)} {mark:+.2f}", annotation_position="top left",
        )  # fmt: skip
    fig.update_xaxes(range=[low, high], title=f"{info.label} ({low:g} … {high:+g})")
    fig.update_yaxes(title="Count")
    title = f"Distribution of {info.label} <sup>({len(values)} scored)</sup>"
    return _layout(fig, title, height=360)
