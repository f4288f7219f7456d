"""Corpus reads of the store on SQLite and PostgreSQL: the full-text index behind the article
search (kept in step with saves, deletes and re-analyses, built for older stores), the outlet
and date filters every corpus view shares (``CorpusScope``), and the by-outlet views."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.outlet_coverage import attention_shares, sources_by_outlet, sources_long
from analysis.pipeline import ArticleInput, analyze
from analysis.quotes.classifier import shown_confidences
from analysis.store import CorpusScope, Store
from analysis.store.queries import text_query

RECALL = (
    "Regulator opens inquiry into van recall\n\n"
    "The transport regulator opened an inquiry into Kestrel Motors on Monday. "
    "Marta Kowalczyk, a spokeswoman for the regulator, said the review would take months.\n\n"
    "\"We take every report seriously,\" Kowalczyk said. Kestrel Motors said it was cooperating."
)
RECALL_2 = (
    "Kestrel Motors shares fall after recall\n\n"
    "Shares in Kestrel Motors fell on Tuesday after the carmaker recalled 40,000 vans. "
    "\"The recall is a setback,\" said Omar Haddad, an analyst at Brightwater Capital. "
    "Marta Kowalczyk said the regulator would publish its findings in June."
)
FLOODS = (
    "Minister promises flood walls for river towns\n\n"
    "Helen Strand, the environment minister, promised new flood walls on Friday. "
    "\"Millbrook will not be left to flood again,\" Strand said. Residents welcomed the plan."
)


@pytest.fixture(scope="module")
def corpus():
    """Four articles: three outlets, four dates, one with no outlet or date (the seed-like one)."""
    return [
        analyze(ArticleInput(text=RECALL, source="Northern Wire", published="2026-03-04")),
        analyze(ArticleInput(text=RECALL_2, source="Valley Ledger", published="2026-03-05T09:30:00Z")),
        analyze(ArticleInput(text=FLOODS, source="Northern Wire", published="2026-03-10")),
        analyze(ArticleInput(text=FLOODS.replace("Friday", "Saturday"))),
    ]


@pytest.fixture()
def store(store_url, corpus):
    store = Store(store_url)
    store.save_many(corpus)
    yield store
    store.close()
    store.db.dispose()


def test_text_query_keeps_only_words():
    assert text_query('Cuomo" OR x:*', postgres=False) == '"cuomo"* "or"* "x"*'
    assert text_query("Cuomo's  (aide)", postgres=True) == "cuomo:* & s:* & aide:*"
    assert text_query(" -- !! ", postgres=True) == ""


def test_search_finds_any_word_of_the_text_through_the_index(store, corpus):
    recall, recall_2, floods, _ = (a.id for a in corpus)
    assert store.search_ids("spokeswoman") == [recall]  # a word of the body only
    assert set(store.search_ids("Kowalczyk")) == {recall, recall_2}
    assert store.search_ids("kowalczyk analyst") == [recall_2]  # every word must occur
    assert set(store.search_ids("Kowal")) == {recall, recall_2}  # the start of a word
    assert recall in store.search_ids("inquiries")  # stemmed: inquiry / inquiries
    assert store.search_ids("Valley Ledger") == [recall_2]  # the outlet is searched too
    assert store.search_ids("?!") == [] and store.search_ids("zeppelin") == []
    assert store.articles_frame("millbrook")["id"].tolist()[0] in {floods, corpus[3].id}
    if store.postgres:  # the query is the indexed expression: the planner can use the GIN index
        with store.db.engine.connect() as con:
            con.exec_driver_sql("SET enable_seqscan = off")
            from analysis.store.schema import SEARCH_DOCUMENT_PG

            plan = " ".join(r[0] for r in con.exec_driver_sql(
                f"EXPLAIN SELECT id FROM articles WHERE {SEARCH_DOCUMENT_PG} @@ to_tsquery('english', 'kowalczyk:*')"))  # fmt: skip
        assert "articles_search" in plan, plan


def test_search_follows_deletes_and_reanalyses(store, corpus):
    recall, recall_2 = corpus[0].id, corpus[1].id
    store.delete([recall])
    assert store.search_ids("spokeswoman") == [] and store.search_ids("Kowalczyk") == [recall_2]
    changed = analyze(ArticleInput(text=RECALL_2.replace("Omar Haddad", "Ines Lindqvist"), source="Valley Ledger"))
    store.replace(recall_2, changed)
    assert store.search_ids("Haddad") == []
    assert store.search_ids("Lindqvist") == [changed.id]
    store.save(corpus[0])  # stored again: found again
    assert store.search_ids("spokeswoman") == [corpus[0].id]


def test_the_scope_filters_every_corpus_query_in_sql(store, corpus):
    wire = CorpusScope(("Northern Wire",))
    march_5_to_10 = CorpusScope((), "2026-03-05", "2026-03-10")
    assert set(store.articles_frame(scope=wire)["id"]) == {corpus[0].id, corpus[2].id}
    assert set(store.articles_frame(scope=march_5_to_10)["id"]) == {corpus[1].id, corpus[2].id}  # undated: out
    assert set(store.articles_frame(scope=CorpusScope((), "", "2026-03-04"))["id"]) == {corpus[0].id}

    quotes = store.quotes_frame(None, scope=march_5_to_10)
    assert set(quotes["article_id"]) <= {corpus[1].id, corpus[2].id} and not quotes.empty
    assert set(quotes["outlet"]) == {"Valley Ledger", "Northern Wire"}
    assert {"published", "url", "outlet", "article_title"} <= set(quotes.columns)
    assert list(quotes["published"]) == sorted(quotes["published"], reverse=True)  # newest first
    everyone = store.quotes_frame(None)
    assert set(store.speakers(scope=wire)) == set(everyone[everyone["outlet"] == "Northern Wire"]["speaker"]) - {""}

    # entities of a scope: the per-article rows of its articles, summed
    scoped = store.entities_frame(None, scope=wire, limit=500).set_index("entity")
    per_article = pd.concat([store.entities_frame(a.id, limit=500) for a in (corpus[0], corpus[2])])
    expected = per_article.groupby("entity")["count"].sum()
    assert scoped["count"].sort_index().to_dict() == expected.sort_index().to_dict()
    assert scoped.loc["Kestrel Motors", "articles"] == 1
    whole = store.entities_frame(None, limit=500).set_index("entity")
    assert whole.loc["Helen Strand", "count"] > scoped.loc["Helen Strand", "count"]  # the undated copy counts there
    assert store.entities_frame(None, scope=CorpusScope(("Nowhere",))).empty

    # a scope holding most articles is the corpus aggregate minus the rest: the same numbers
    dated = CorpusScope((), "2026-01-01")  # 3 of the 4 articles
    wide = store.entities_frame(None, scope=dated, limit=500).set_index("entity")
    rows = pd.concat([store.entities_frame(a.id, limit=500).assign(tone_n=1) for a in corpus[:3]])
    assert wide["count"].sort_index().to_dict() == rows.groupby("entity")["count"].sum().sort_index().to_dict()
    assert wide["articles"].sort_index().to_dict() == rows.groupby("entity").size().sort_index().to_dict()
    strand = rows[rows["entity"] == "Helen Strand"]
    assert wide.loc["Helen Strand", "count"] == strand["count"].sum() < whole.loc["Helen Strand", "count"]
    assert store.entities_frame(None, scope=dated, label="PERSON", limit=500)["label"].eq("PERSON").all()
    pairs = store.cooccurrence_frame(None, scope=CorpusScope(("Valley Ledger",)))
    assert set(pairs["a"]) | set(pairs["b"]) <= set(store.entities_frame(corpus[1].id, limit=500)["entity"])

    rows = store.entity_coverage(["Kestrel Motors"], scope=march_5_to_10)
    assert rows["article_id"].tolist() == [corpus[1].id]


def test_sources_and_attention_by_outlet_agree_with_the_quotes_and_entities(store, corpus):
    quoted = store.quoted_by_outlet()
    quotes = store.quotes_frame(None, statements_only=True)
    quotes = quotes[quotes["speaker"] != ""]
    assert quoted["quotes"].sum() == len(quotes)
    sources = sources_by_outlet(quoted).set_index("speaker")
    kowalczyk = sources.loc["Marta Kowalczyk"]
    assert kowalczyk["outlets"] == 1 and kowalczyk["only_outlet"] in {"Northern Wire", "Valley Ledger"} or (
        kowalczyk["outlets"] == 2 and set(kowalczyk["by_outlet"]) == {"Northern Wire", "Valley Ledger"}
    )
    strand = sources.loc["Helen Strand"]
    assert set(strand["by_outlet"]) == {"Northern Wire", "unknown outlet"} and strand["only_outlet"] == ""
    long = sources_long(quoted)
    assert long.groupby("speaker")["quotes"].sum().to_dict() == sources["quotes"].to_dict()
    assert set(long[long["only_this_outlet"]]["speaker"]) == set(sources[sources["outlets"] == 1].index)
    only_ledger = sources_long(store.quoted_by_outlet(scope=CorpusScope(("Valley Ledger",))))
    assert set(only_ledger["outlet"]) == {"Valley Ledger"}

    shares = attention_shares(store.attention_by_outlet(top=50))
    for outlet, group in shares.groupby("outlet"):
        assert group["share"].sum() == pytest.approx(1.0)  # every entity is within the top 50 here
        ids = [a.id for a in corpus if (store.article(a.id)["outlet"] or "unknown outlet") == outlet]
        mentions = sum(store.entities_frame(i, limit=500)["count"].sum() for i in ids)
        assert group["outlet_mentions"].iloc[0] == mentions
    top2 = attention_shares(store.attention_by_outlet(top=2, scope=CorpusScope(("Northern Wire",))))
    assert top2["entity"].nunique() <= 2 and set(top2["outlet"]) == {"Northern Wire"}


def test_a_store_without_the_index_gains_it_on_opening(store_url, corpus):
    """A store at migration 0005 (before the full-text index): opening it builds the index from
    the stored articles, and the triggers (SQLite) keep it from then on."""
    store = Store(store_url)
    store.save_many(corpus[:2])
    with store.db.engine.begin() as con:
        if store.postgres:
            con.exec_driver_sql("DROP INDEX articles_search")
        else:
            for suffix in ("insert", "delete", "update"):
                con.exec_driver_sql(f"DROP TRIGGER articles_fts_{suffix}")
            con.exec_driver_sql("DROP TABLE articles_fts")
        con.exec_driver_sql("UPDATE alembic_version SET version_num = '0005'")
    store.close()
    store.db.dispose()
    reopened = Store(store_url)
    assert reopened.search_ids("spokeswoman") == [corpus[0].id]
    reopened.save(corpus[2])
    assert reopened.search_ids("millbrook") == [corpus[2].id]
    reopened.close()
    reopened.db.dispose()


def _views(store, scope):
    """The corpus views that read aggregates for the whole corpus, through ``scope``."""
    floors = shown_confidences()
    quoted = store.quoted_by_outlet(scope=scope, min_confidence=floors)
    attention = store.attention_by_outlet(scope=scope, top=50)
    return (
        quoted.sort_values(["outlet", "speaker", "role"]).reset_index(drop=True),
        attention.reset_index(drop=True),
        sorted(store.speakers(scope=scope)),
    )


def test_the_whole_corpus_aggregates_match_a_scan_through_saves_and_deletes(store, corpus):
    """Who each outlet quotes, entity attention by outlet and the speaker list of the whole
    corpus come from aggregates the single refresher keeps; a scope naming every outlet scans
    the rows instead. Both agree after saves, a delete and a save again."""

    def check():
        every_outlet = CorpusScope(tuple(store.outlets()))
        for aggregate, scanned in zip(_views(store, CorpusScope()), _views(store, every_outlet), strict=True):
            if isinstance(aggregate, pd.DataFrame):
                pd.testing.assert_frame_equal(aggregate, scanned, check_dtype=False)
            else:
                assert aggregate == scanned

    check()
    quoted = store.quoted_by_outlet(min_confidence=shown_confidences())
    assert not quoted.empty and {"Northern Wire", "Valley Ledger"} <= set(quoted["outlet"])
    store.delete([corpus[1].id])
    check()
    assert "Omar Haddad" not in store.speakers()
    store.save(corpus[1])
    check()
    assert "Omar Haddad" in store.speakers()


def test_new_classifier_floors_recount_who_each_outlet_quotes(store, monkeypatch):
    """A new quote classifier brings new floors: the first whole-corpus read counts the
    aggregate again at them (once), and it agrees with a scan at the same floors."""
    import analysis.store.aggregates as aggregates
    import analysis.store.queries as queries

    new = {kind: 0.0 for kind in shown_confidences()}  # every quote counts
    monkeypatch.setattr(aggregates, "quote_floors", lambda: new)
    monkeypatch.setattr(queries, "quote_floors", lambda: new)
    assert aggregates.counted_floors(store.con) != new
    aggregate = store.quoted_by_outlet(min_confidence=new)
    assert aggregates.counted_floors(store.con) == new
    scanned = store.quoted_by_outlet(min_confidence=new, scope=CorpusScope(tuple(store.outlets())))
    columns = ["outlet", "speaker", "role"]
    pd.testing.assert_frame_equal(
        aggregate.sort_values(columns).reset_index(drop=True),
        scanned.sort_values(columns).reset_index(drop=True),
        check_dtype=False,
    )
