"""Coverage of entities by outlet and over time: aggregation, buckets, date range, undated rows."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.coverage_figures import outlet_tone_bars, timeline_chart
from analysis.entity_coverage import bucket_for, entity_timeline, outlet_summary

ROWS = pd.DataFrame(
    [
        ("a1", "Wire", "2026-03-02", "Ann Lee", 2, -1.0, 2),
        ("a2", "Wire", "2026-03-02T18:00:00+00:00", "Ann Lee", 1, 0.5, 1),
        ("a3", "Herald", "March 9, 2026", "Ann Lee", 3, 0.9, 3),
        ("a4", "", "", "Ann Lee", 1, 0.0, 0),
        ("a3", "Herald", "March 9, 2026", "Port Authority", 1, 0.0, 0),
    ],
    columns=["article_id", "outlet", "published", "entity", "mentions", "tone_sum", "tone_n"],
)


def test_outlet_summary_sums_mentions_and_averages_scored_tone():
    summary = outlet_summary(ROWS).set_index(["entity", "outlet"])
    assert summary.loc[("Ann Lee", "Wire"), "mentions"] == 3
    assert summary.loc[("Ann Lee", "Wire"), "tone"] == pytest.approx(-0.5 / 3)
    assert summary.loc[("Ann Lee", "unknown outlet"), "articles"] == 1  # kept, named as unknown
    assert pd.isna(summary.loc[("Port Authority", "Herald"), "tone"])  # nothing scored: no tone


def test_timeline_buckets_by_day_and_week_and_counts_undated_rows():
    daily = entity_timeline(ROWS)
    assert daily.bucket == "day" and daily.undated == 1
    wire = daily.frame[(daily.frame["entity"] == "Ann Lee") & (daily.frame["outlet"] == "Wire")]
    assert wire["period"].tolist() == [pd.Timestamp("2026-03-02")] and wire["articles"].tolist() == [2]
    weekly = entity_timeline(ROWS, bucket="week")
    assert set(weekly.frame["period"].dt.dayofweek) == {0}  # weeks start on Monday
    ranged = entity_timeline(ROWS, since="2026-03-05")
    assert set(ranged.frame["outlet"]) == {"Herald"}
    assert entity_timeline(ROWS, until="2026-03-02").frame["mentions"].sum() == 3  # the whole last day


@pytest.mark.parametrize(("days", "bucket"), [(0, "day"), (120, "day"), (400, "week"), (4000, "month")])
def test_the_bucket_follows_the_span(days, bucket):
    first = pd.Timestamp("2020-01-01")
    assert bucket_for(first, first + pd.Timedelta(days=days)) == bucket


def test_figures_draw_lines_per_entity_and_outlet_and_explain_empty_views():
    fig = timeline_chart(entity_timeline(ROWS))
    assert len(fig.data) == 3 and "mention(s)" in fig.data[0].hovertemplate
    assert "undated" in fig.layout.title.text
    assert len(timeline_chart(entity_timeline(ROWS), measure="tone").data) == 2  # Port Authority unscored
    assert len(outlet_tone_bars(outlet_summary(ROWS)).data) == 2
    empty = entity_timeline(ROWS.iloc[0:0])
    assert timeline_chart(empty).layout.annotations  # the empty state says why
    many = pd.concat([ROWS.assign(published=str(d.date()), article_id=f"x{i}")
                      for i, d in enumerate(pd.date_range("2020-01-01", periods=60, freq="30D"))])  # fmt: skip
    assert entity_timeline(many).bucket == "month"


# -- linked entities in the store: "Biden" and "Joe Biden" are one entity across outlets ----------

BORDER = [
    ("Biden tours the border",
     "President Joe Biden toured the border in Arizona on Monday with officials of the Department of Homeland "
     "Security (DHS). Biden said the department would hire more agents this spring.", "Tribune", "2026-03-02"),
    ("Border tour draws critics",
     "Critics said on Tuesday that Biden had waited too long to visit the border. A DHS spokesman said the new "
     "agents would start in May, and Biden promised another visit.", "Courier", "2026-03-03"),
]  # fmt: skip


def test_coverage_views_count_linked_names_as_one_entity(store_url):
    """On SQLite and PostgreSQL (with NEWSLENS_TEST_PG): the tone-by-outlet, over-time and
    attention views read the names of one entity ("Biden", "Joe Biden"; "DHS", "Department of
    Homeland Security") as that entity in both outlets."""
    from analysis.outlet_coverage import attention_shares
    from analysis.pipeline import ArticleInput, analyze
    from analysis.store import CorpusScope, Store

    store = Store(store_url)
    try:
        for title, body, source, day in BORDER:
            store.save(analyze(ArticleInput(text=f"{title}\n\n{body}", source=source, published=day)))
        plain = store.entities_frame(limit=500)
        assert {"Biden", "Joe Biden", "DHS", "Department of Homeland Security"} <= set(plain["entity"])
        linked = store.entities_frame(limit=500, linked=True)
        people = ["Joe Biden", "Department of Homeland Security"]
        assert set(people) <= set(linked["entity"]) and not {"Biden", "DHS"} & set(linked["entity"])

        rows = store.entity_coverage(people, linked=True)
        summary = outlet_summary(rows).set_index(["entity", "outlet"])
        for entity, names in (("Joe Biden", {"Biden", "Joe Biden"}), ("Department of Homeland Security", {"DHS", "Department of Homeland Security"})):
            assert {o for e, o in summary.index if e == entity} == {"Tribune", "Courier"}
            written = plain[plain["entity"].isin(names)]["count"].sum()
            assert summary.loc[entity, "mentions"].sum() == written  # every name's mentions, none twice
        assert (summary["articles"] == 1).all()  # one article per outlet, however many names it writes
        timeline = entity_timeline(rows).frame
        biden = timeline[timeline["entity"] == "Joe Biden"]
        assert set(zip(biden["period"].dt.strftime("%Y-%m-%d"), biden["outlet"], strict=True)) == {
            ("2026-03-02", "Tribune"), ("2026-03-03", "Courier"),
        }  # fmt: skip
        assert set(store.entity_coverage(["Joe Biden"])["outlet"]) == {"Tribune"}  # unlinked: as written

        shares = attention_shares(store.attention_by_outlet(top=50, linked=True))
        assert not {"Biden", "DHS"} & set(shares["entity"])
        both = shares[shares["entity"].isin(people)]
        assert set(zip(both["entity"], both["outlet"], strict=True)) == {(e, o) for e in people for o in ("Tribune", "Courier")}
        courier = store.attention_by_outlet(top=50, linked=True, scope=CorpusScope(("Courier",)))
        assert set(people) <= set(courier["entity"])  # the Courier writes only "Biden" and "DHS"
        assert set(store.entity_coverage(people, linked=True, outlets=["Courier"])["entity"]) == set(people)
    finally:
        store.close()
        store.db.dispose()


def test_linked_attention_by_outlet_is_the_sum_of_the_articles_rows(store_url):
    """The per-outlet sums (the whole corpus from the per-outlet aggregate, corrected for the
    surnames linked from a story; a scope in SQL) equal the same count made from every article's
    rows; ``articles`` sums the entity's names' articles, as the linked Entities frame does."""
    from analysis.pipeline import ArticleInput, analyze
    from analysis.store import CorpusScope, Store
    from analysis.stories import update_stories
    from tests.test_linking import SMITHS

    store = Store(store_url)
    try:
        for title, body, source, day in [*BORDER, *SMITHS]:
            store.save(analyze(ArticleInput(text=f"{title}\n\n{body}", source=source, published=day)))
        update_stories(store)
        links = store.entity_links()
        assert (links["rule"] == "neighbourhood").any()  # "Smith" linked per article from its story
        for scope in (CorpusScope(), CorpusScope(("Tribune", "Courier"))):
            got = store.attention_by_outlet(top=500, linked=True, scope=scope)
            local = {} if scope else {
                (r.article_id, r.variant, r.variant_label): (r.entity, r.label) for r in links.itertuples() if r.article_id
            }  # fmt: skip
            corpus = {(r.variant, r.variant_label): (r.entity, r.label) for r in links.itertuples() if not r.article_id}
            rows = []
            for a in store.articles_frame(scope=scope, limit=100).itertuples():
                for e in store.entities_frame(a.id, limit=500).itertuples():
                    key = local.get((a.id, e.entity, e.label)) or corpus.get((e.entity, e.label)) or (e.entity, e.label)
                    rows.append((a.outlet, *key, e.count, a.id))
            every = pd.DataFrame(rows, columns=["outlet", "entity", "label", "mentions", "article_id"])
            expected = every.groupby(["outlet", "entity", "label"]).agg(
                mentions=("mentions", "sum"), articles=("article_id", "size")
            )
            got = got.set_index(["outlet", "entity", "label"])[["mentions", "articles"]].sort_index()
            assert len(got) and got.astype(int).equals(expected.loc[got.index].astype(int))
            assert set(got.index) == set(expected.index)  # top=500: every entity
        whole = store.attention_by_outlet(top=500, linked=True)
        assert {"John Smith", "Anna Smith"} <= set(whole["entity"]) and "Smith" not in set(whole["entity"])
    finally:
        store.close()
        store.db.dispose()
