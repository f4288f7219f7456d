"""Figure builders: the right traces and data for the store's frames, explained empty states,
binned long series, escaped article text, and entity colours that follow ENTITY_COLORS."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from analysis import figures
from analysis.figures import (
    ENTITY_COLORS,
    MEASURES,
    QUOTE_KIND_COLORS,
    TONE_SCALE,
    cooccurrence_heatmap,
    empty_figure,
    entity_bar_chart,
    entity_positions_chart,
    entity_tone_chart,
    headline_variants_chart,
    paragraph_heatmap,
    quotes_per_speaker_chart,
    similarity_heatmap,
    speaker_tone_chart,
    tone_arc_chart,
    tone_distribution_chart,
    voice_chart,
)

EVIL = "<img src=x onerror=alert(1)>"
TONES = ("polarity", "subjectivity", "vader", "tone")


def _tone(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "polarity": rng.uniform(-1, 1, n), "subjectivity": rng.uniform(0, 1, n),
        "vader": rng.uniform(-1, 1, n), "tone": rng.uniform(-1, 1, n),
    }  # fmt: skip


def headlines(article_ids=("a1",)) -> pd.DataFrame:
    rows = []
    for k, aid in enumerate(article_ids):
        for idx, (role, text) in enumerate(
            [
                ("title", "Storm kills 12 as floods sweep the coast"),
                ("dek", EVIL),
                ("alternate", "Floods"),
            ]
        ):
            rows.append({
                "article_id": aid, "article_title": f"Article {k}", "source": f"Wire {k}", "idx": idx,
                "role": role, "text": text, "words": len(text.split()), "chars": len(text),
                "polarity": -0.2 * idx, "subjectivity": 0.1, "vader": -0.5 + 0.1 * idx,
                "tone": -0.6 + 0.2 * idx, "entities": [], "framing_verbs": [],
                "body_similarity": 0.5, "novel_words": [],
            })  # fmt: skip
    return pd.DataFrame(rows)


def entities() -> pd.DataFrame:
    return pd.DataFrame({
        "entity": ["United States", "Joe Biden", "NATO", "Gaza", "Reuters"],
        "label": ["GPE", "PERSON", "ORG", "GPE", "ORG"],
        "count": [9, 7, 4, 3, 1],
        "articles": [1, 1, 1, 1, 1],
        "demonym_count": [2, 0, 0, 1, 0],
        "aliases": [["United States", "U.S.", "US"], ["Joe Biden", "Biden"], ["NATO"], ["Gaza"], [EVIL]],
        "target_tone": [0.3, -0.4, None, -0.8, 0.1],
        "polarity": [0.1, -0.1, 0.0, -0.3, 0.2],
    })  # fmt: skip


def mentions() -> pd.DataFrame:
    return pd.DataFrame({
        "entity": ["United States", "Joe Biden", "United States", "Gaza", "United States"],
        "label": ["GPE", "PERSON", "GPE", "GPE", "GPE"],
        "text": ["U.S.", "Biden", "American", "Gaza", "US"],
        "sentence": [0, 1, 2, 2, 5],
        "start": [0, 30, 60, 70, 200], "end": [4, 35, 68, 74, 202],
        "demonym": [False, False, True, False, False],
        "target_tone": [0.2, -0.4, None, -0.8, 0.1],
        "target_label": ["positive", "negative", None, "negative", "neutral"],
    })  # fmt: skip


def sentences(n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "idx": range(n), "paragraph": [i // 3 for i in range(n)], "start": range(0, 10 * n, 10),
        "end": range(9, 10 * n, 10), "text": [f"Sentence number {i}." for i in range(n)], **_tone(n),
        "voice": ["narrator"] * n,
    })  # fmt: skip


def paragraphs(n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "idx": range(n), "start": range(0, 100 * n, 100), "end": range(90, 100 * n, 100),
        "text": [f"Paragraph {i} opens here.\nSecond line" for i in range(n)], **_tone(n, 1),
    })  # fmt: skip


def quotes() -> pd.DataFrame:
    rows = [
        ("Ana Ruiz", "direct", 0.5),
        ("Ana Ruiz", "partial", 0.3),
        ("Ana Ruiz", "indirect", -0.1),
        ("Tom Lee", "direct", -0.6),
        (None, "indirect", 0.0),
        (EVIL, "direct", 0.2),
    ]
    return pd.DataFrame([
        {"article_id": "a1", "article_title": "Article", "idx": i, "text": f"quote {i}",
         "speaker": s, "speaker_text": s, "speaker_label": "PERSON", "kind": k, "cue": "said",
         "start": i, "end": i + 1, "paragraph": 0, "sentence": i, "polarity": t,
         "subjectivity": 0.5, "vader": t, "tone": t}
        for i, (s, k, t) in enumerate(rows)
    ])  # fmt: skip


def voice(quoted: int = 3) -> pd.DataFrame:
    return pd.DataFrame({
        "voice": ["narrator", "quoted"], "n": [10, quoted],
        "polarity": [0.1, 0.3 if quoted else None], "subjectivity": [0.2, 0.6 if quoted else None],
        "vader": [-0.1, 0.4 if quoted else None], "tone": [-0.2, 0.5 if quoted else None],
    })  # fmt: skip


def _is_empty_state(fig: go.Figure) -> bool:
    return (
        len(fig.data) == 0
        and len(fig.layout.annotations) == 1
        and fig.layout.xaxis.visible is False
        and bool(fig.layout.annotations[0].text)
    )


def _all_text(fig: go.Figure) -> str:
    """Every string Plotly may render as HTML: hover data, labels, ticks, titles, annotations."""
    parts = [str(fig.layout.title.text)] + [str(a.text) for a in fig.layout.annotations]
    for trace in fig.data:
        for key in ("customdata", "hovertext", "text", "x", "y", "name", "hovertemplate"):
            value = getattr(trace, key, None)
            if value is not None:
                parts.append(str(np.asarray(value, dtype=object).tolist()))
    for axis in ("xaxis", "yaxis"):
        ticks = fig.layout[axis].ticktext
        if ticks:
            parts.extend(ticks)
    return " ".join(parts)


# -- the empty state -----------------------------------------------------------------------------


def test_empty_figure_centres_the_message_without_axes():
    fig = empty_figure("No quotes were found.")
    assert _is_empty_state(fig)
    note = fig.layout.annotations[0]
    assert (note.x, note.y, note.xref, note.yref) == (0.5, 0.5, "paper", "paper")
    assert note.text == "No quotes were found."


@pytest.mark.parametrize(
    "build",
    [
        lambda: headline_variants_chart(headlines().iloc[0:0], {}),
        lambda: similarity_heatmap(pd.DataFrame(), title="t"),
        lambda: entity_bar_chart(entities().iloc[0:0]),
        lambda: cooccurrence_heatmap(pd.DataFrame(columns=["a", "b", "count"])),
        lambda: entity_positions_chart(mentions().iloc[0:0], 0),
        lambda: tone_arc_chart(sentences(0)),
        lambda: paragraph_heatmap(paragraphs(0)),
        lambda: entity_tone_chart(entities().iloc[0:0]),
        lambda: speaker_tone_chart(quotes().iloc[0:0]),
        lambda: quotes_per_speaker_chart(quotes().iloc[0:0]),
        lambda: voice_chart(voice().iloc[0:0]),
        lambda: tone_distribution_chart(sentences(0), "tone"),
    ],
)
def test_every_builder_explains_an_empty_frame(build):
    assert _is_empty_state(build())


def test_frames_with_nothing_scored_are_explained_too():
    assert _is_empty_state(voice_chart(voice().assign(n=[0, 0])))
    assert _is_empty_state(entity_tone_chart(entities().assign(target_tone=None)))
    assert _is_empty_state(speaker_tone_chart(quotes().assign(speaker=None)))


# -- headlines -----------------------------------------------------------------------------------


def test_headline_variants_are_grouped_bars_with_body_reference_lines():
    fig = headline_variants_chart(headlines(), {"polarity": 0.1, "vader": -0.2, "tone": -0.3})
    assert [t.type for t in fig.data] == ["bar"] * 3
    assert [t.name for t in fig.data] == [MEASURES[m].label for m in ("polarity", "vader", "tone")]
    assert list(fig.data[2].y) == pytest.approx([-0.6, -0.4, -0.2])
    assert fig.layout.barmode == "group"
    lines = [s for s in fig.layout.shapes if s.line.dash == "dash"]
    assert sorted(s.y0 for s in lines) == pytest.approx([-0.3, -0.2, 0.1])
    assert fig.data[0].x[0].startswith("title: Storm kills")


def test_headline_variants_of_several_articles_are_labelled_by_source():
    fig = headline_variants_chart(headlines(("a1", "a2")), None)
    ticks = list(fig.data[0].x)
    assert len(ticks) == len(set(ticks)) == 6
    assert ticks[0].startswith("Wire 0") and ticks[3].startswith("Wire 1")
    assert not fig.layout.shapes  # no body to compare with
    assert fig.data[0].customdata[3].startswith("Article 1<br><b>title</b>")


def test_a_malicious_headline_is_escaped_everywhere():
    fig = headline_variants_chart(headlines(), {"tone": 0.0})
    text = _all_text(fig)
    assert "&lt;img src=x onerror=alert(1)&gt;" in str(fig.data[0].customdata[1])
    assert "<img" not in text
    sim = pd.DataFrame(
        [[1.0, 0.2], [0.2, 1.0]], index=["0. title", EVIL], columns=["0. title", EVIL]
    )
    assert "<img" not in _all_text(similarity_heatmap(sim, title=EVIL))
    assert "<img" not in _all_text(entity_bar_chart(entities()))
    assert "<img" not in _all_text(speaker_tone_chart(quotes()))
    assert "<img" not in _all_text(quotes_per_speaker_chart(quotes()))


def test_hover_text_is_escaped_wrapped_and_truncated():
    raw = 'He said "no" & left.\n<b>bold</b> ' + "word " * 200
    hover = figures._hover(raw)
    assert hover.startswith('He said "no" &amp; left. &lt;b&gt;bold&lt;/b&gt;')
    assert "\n" not in hover and "<b>" not in hover
    assert hover.endswith("…")
    assert all(len(line) <= figures.HOVER_WIDTH + 20 for line in hover.split("<br>"))


def test_similarity_heatmap_is_square_annotated_and_truncates_labels():
    long = "0. title: " + "a very long headline that goes on " * 3
    labels = [long, "1. dek", "2. alternate"]
    matrix = pd.DataFrame(
        np.array([[1, 0.4, 0.1], [0.4, 1, 0.3], [0.1, 0.3, 1]]), index=labels, columns=labels
    )
    fig = similarity_heatmap(matrix, title="Headline similarity")
    (heat,) = fig.data
    assert heat.type == "heatmap" and (heat.zmin, heat.zmax) == (0, 1)
    assert np.asarray(heat.z).shape == (3, 3) and heat.texttemplate
    assert fig.layout.yaxis.scaleanchor == "x"
    assert fig.layout.xaxis.ticktext[0].endswith("…") and len(fig.layout.xaxis.ticktext[0]) <= 32
    assert "goes on a very long" in heat.customdata[0][1]  # the full label is in the hover


def test_similarity_heatmap_rejects_a_matrix_that_is_not_square():
    with pytest.raises(ValueError, match="square"):
        similarity_heatmap(pd.DataFrame(np.ones((2, 3))), title="t")


# -- entities ------------------------------------------------------------------------------------


def test_entity_bars_follow_entity_colors_with_largest_at_top():
    fig = entity_bar_chart(entities(), top_n=4)
    assert {t.name for t in fig.data} == {"GPE", "PERSON", "ORG"}
    for trace in fig.data:
        assert trace.type == "bar" and trace.orientation == "h"
        assert trace.marker.color == ENTITY_COLORS[trace.name]
    order = list(fig.layout.yaxis.categoryarray)
    assert order[-1] == "United States" and order[0] == "Gaza"  # the top of the axis is last
    assert "Reuters" not in order and "top 4 of 5" in fig.layout.title.text
    gpe = next(t for t in fig.data if t.name == "GPE")
    assert "U.S., US" in gpe.customdata[0]


def test_entity_bars_keep_two_entities_of_the_same_name_apart():
    frame = pd.concat([entities(), entities().iloc[[2]].assign(label="PERSON", count=2)])
    fig = entity_bar_chart(frame)
    assert {"NATO (ORG)", "NATO (PERSON)"} <= set(fig.layout.yaxis.categoryarray)


def test_unknown_entity_labels_are_grey():
    fig = entity_bar_chart(entities().assign(label="MONEY"))
    assert fig.data[0].marker.color == ENTITY_COLORS["OTHER"]


def test_cooccurrence_heatmap_is_symmetric_with_an_empty_diagonal():
    pairs = pd.DataFrame(
        {"a": ["Biden", "Biden", "Gaza"], "b": ["Gaza", "NATO", "NATO"], "count": [3, 1, 2]}
    )
    (heat,) = cooccurrence_heatmap(pairs).data
    z = np.asarray(heat.z, dtype=float)
    assert z.shape == (3, 3)
    assert np.allclose(np.nan_to_num(z), np.nan_to_num(z.T))
    assert np.isnan(np.diag(z)).all()
    assert np.nansum(z) == 2 * (3 + 1 + 2)


def test_entity_positions_mark_each_mention_and_hollow_demonyms():
    fig = entity_positions_chart(mentions(), 8)
    assert all(t.type == "scatter" for t in fig.data)
    named = [t for t in fig.data if t.marker.symbol == "circle"]
    (hollow,) = [t for t in fig.data if t.marker.symbol == "circle-open"]
    assert sum(len(t.x) for t in named) == 4 and list(hollow.x) == [2]
    assert list(fig.layout.xaxis.range) == [-0.5, 7.5]
    assert list(fig.layout.yaxis.categoryarray)[-1] == "United States"


def test_entity_positions_accept_demonym_flags_stored_as_integers():
    fig = entity_positions_chart(mentions().assign(demonym=[0, 0, 1, 0, 0]), 8)
    assert sum(len(t.x) for t in fig.data if t.marker.symbol == "circle-open") == 1


def test_entity_positions_show_only_the_top_entities():
    fig = entity_positions_chart(mentions(), 8, top_n=1)
    assert {y for t in fig.data for y in t.y} == {"United States"}
    assert "top 1 of 3" in fig.layout.title.text


def test_entity_tone_is_a_diverging_bar_coloured_by_the_tone_scale():
    fig = entity_tone_chart(entities(), top_n=3)
    (bar,) = fig.data
    assert list(bar.y) == ["United States", "Joe Biden", "Gaza"]  # NATO has no score
    assert list(bar.x) == pytest.approx([0.3, -0.4, -0.8])
    assert (bar.marker.cmin, bar.marker.cmax) == (-1, 1)
    assert [list(s) for s in bar.marker.colorscale] == [list(s) for s in TONE_SCALE]
    assert any(s.x0 == 0 and s.x1 == 0 for s in fig.layout.shapes)  # the zero line
    assert "9 mentions" in bar.customdata[0]


def test_entity_tone_accepts_polarity_and_rejects_unknown_measures():
    assert len(entity_tone_chart(entities(), measure="polarity").data[0].x) == 5
    with pytest.raises(ValueError, match="unknown measure"):
        entity_tone_chart(entities(), measure="happiness")


# -- tone ----------------------------------------------------------------------------------------


def test_tone_arc_draws_one_line_per_measure_with_sentences_on_hover():
    fig = tone_arc_chart(sentences(20))
    assert [t.type for t in fig.data] == ["scatter"] * 3
    assert [list(t.x) for t in fig.data] == [list(range(20))] * 3
    assert list(fig.data[0].y) == pytest.approx(sentences(20)["tone"].tolist())
    assert fig.data[0].customdata[4] == "Sentence number 4."
    assert fig.layout.xaxis.unifiedhovertitle.text == "Sentence %{x}"
    with pytest.raises(ValueError, match="unknown measure"):
        tone_arc_chart(sentences(3), measures=("target_tone",))
    assert "averaged" not in fig.layout.title.text


def test_tone_arc_bins_long_articles_and_says_so():
    frame = sentences(1000)
    fig = tone_arc_chart(frame, measures=("tone",), max_points=400)
    (line,) = fig.data
    assert len(line.x) == 334  # 3-sentence bins
    assert line.y[0] == pytest.approx(frame["tone"][:3].mean())
    assert "averaged over 3-sentence bins" in fig.layout.title.text
    assert len(line.x) <= 400


def test_paragraph_heatmap_rows_are_measures_with_their_own_scales():
    fig = paragraph_heatmap(paragraphs(6))
    assert [t.type for t in fig.data] == ["heatmap"] * 4
    by_row = {t.name: t for t in fig.data}
    subjectivity = by_row[MEASURES["subjectivity"].label]
    tone = by_row[MEASURES["tone"].label]
    assert (subjectivity.zmin, subjectivity.zmax) == (0, 1)
    assert subjectivity.colorscale != tone.colorscale
    assert [list(s) for s in tone.colorscale] == [list(s) for s in TONE_SCALE]
    assert list(tone.z[0]) == pytest.approx(paragraphs(6)["tone"].tolist())
    assert sum(bool(t.showscale) for t in fig.data) == 2  # one tone bar, one subjectivity bar
    assert [t.y[0] for t in fig.data] == [
        0,
        1,
        2,
        3,
    ]  # Plotly.js draws nothing for categorical rows
    assert "Paragraph 2 opens here. Second line" in tone.customdata[0][2]


def test_paragraph_heatmap_bins_very_long_articles():
    fig = paragraph_heatmap(paragraphs(300), measures=("tone",), max_columns=100)
    assert len(fig.data[0].z[0]) == 100
    assert "averaged over 3-paragraph bins" in fig.layout.title.text


def test_tone_distribution_is_a_histogram_over_the_measure_range():
    fig = tone_distribution_chart(sentences(50), "subjectivity")
    (hist,) = fig.data
    assert hist.type == "histogram" and len(hist.x) == 50
    assert list(fig.layout.xaxis.range) == [0, 1]
    assert "50 scored" in fig.layout.title.text
    assert len(fig.layout.shapes) == 1  # the mean


def test_tone_distribution_can_mark_one_article():
    fig = tone_distribution_chart(sentences(50), "tone", mark=-0.4, mark_label=EVIL)
    assert sorted(s.x0 for s in fig.layout.shapes)[0] == pytest.approx(-0.4)
    assert "<img" not in _all_text(fig)


def test_measures_explain_their_scale_in_one_line():
    assert set(MEASURES) == set(TONES)
    for measure in MEASURES.values():
        assert measure.help and "\n" not in measure.help
        assert measure.range in ((-1.0, 1.0), (0.0, 1.0))
    assert "death toll" in MEASURES["polarity"].help
    assert "README" in MEASURES["tone"].help


# -- quotes and voice ----------------------------------------------------------------------------


def test_speaker_tone_averages_each_speakers_quotes():
    (bar,) = speaker_tone_chart(quotes()).data
    means = dict(zip(bar.y, bar.x, strict=True))
    assert means["Ana Ruiz"] == pytest.approx((0.5 + 0.3 - 0.1) / 3)
    assert means["Tom Lee"] == pytest.approx(-0.6)
    assert len(means) == 3  # the unattributed quote is left out
    assert "3 quotes" in bar.customdata[list(bar.y).index("Ana Ruiz")]


def test_speaker_tone_marks_the_targeted_tone_toward_speakers_who_are_entities():
    toward = pd.DataFrame({"entity": ["Ana Ruiz", "Tom Lee", "Gaza"], "target_tone": [-0.9, None, 0.4]})
    bars, diamonds = speaker_tone_chart(quotes(), toward=toward).data
    assert diamonds.type == "scatter" and diamonds.marker.symbol == "diamond"
    assert list(diamonds.y) == ["Ana Ruiz"] and list(diamonds.x) == [-0.9]  # Tom Lee has no score; Gaza says nothing
    fig = speaker_tone_chart(quotes(), toward=toward)
    assert fig.layout.xaxis.range[0] <= -0.9  # the axis reaches the markers, not only the bars
    assert "toward each of them" in fig.layout.title.text
    assert len(speaker_tone_chart(quotes(), toward=toward.iloc[0:0]).data) == 1  # no entity: bars alone


def test_quotes_per_speaker_stack_by_kind_in_consistent_colours():
    fig = quotes_per_speaker_chart(quotes(), top_n=2)
    assert [t.name for t in fig.data] == ["direct", "partial", "indirect"]
    assert fig.layout.barmode == "stack"
    for trace in fig.data:
        assert trace.marker.color == QUOTE_KIND_COLORS[trace.name]
    ana = {t.name: dict(zip(t.y, t.x, strict=True))["Ana Ruiz"] for t in fig.data}
    assert ana == {"direct": 1, "partial": 1, "indirect": 1}
    assert "top 2 of 4" in fig.layout.title.text
    assert fig.layout.xaxis.dtick == 1 and fig.layout.xaxis.tickformat == "d"  # counts, never 0.2 of a quote


def test_voice_chart_compares_narrator_and_quotes():
    fig = voice_chart(voice())
    assert [t.type for t in fig.data] == ["bar", "bar"]
    assert list(fig.data[1].y) == pytest.approx([0.3, 0.6, 0.4, 0.5])
    assert fig.data[0].name.startswith("narrator (10")
    assert len(voice_chart(voice(quoted=0)).data) == 1  # no quotes: only the narrator


def test_figures_never_import_streamlit():
    source = open(figures.__file__, encoding="utf-8").read()
    assert "import streamlit" not in source
