"""Entities page: top entities for the article or corpus, type filter, keyword in context."""

from tests import app_support as app
from tests.app_support import database, seed, xss_id

__all__ = ["database", "seed", "xss_id"]  # pytest fixtures used by name

PAGE = "pages/entities.py"


def test_renders_the_seed_entities(seed):
    at = app.open_page(PAGE, article=seed)
    app.no_exception(at)
    entities = at.dataframe[0].value
    assert "Israel" in set(entities["entity"])
    assert len(at.get("plotly_chart")) >= 3


def test_label_and_scope_from_the_url(seed):
    at = app.open_page(PAGE, article=seed, label="PERSON", scope="corpus")
    app.no_exception(at)
    entities = at.dataframe[0].value
    assert set(entities["label"]) == {"PERSON"}
    assert "articles" in entities.columns  # corpus view


def test_entity_in_context_is_highlighted(seed):
    at = app.open_page(PAGE, article=seed, entity="Eliav Benjamin")
    app.no_exception(at)
    kwic = [h for h in at.html.values if "<mark" in h and "Eliav Benjamin" in h]
    assert kwic


def test_stale_entity_and_label_are_friendly_messages(seed):
    at = app.open_page(PAGE, article=seed, entity="Atlantis", label="NOPE")
    app.no_exception(at)
    infos = " ".join(at.info.values)
    assert "Atlantis" in infos and "NOPE" in infos


def test_unknown_article_is_a_friendly_message(seed):
    app.assert_unknown_article_is_friendly(PAGE)


def test_article_text_is_escaped(seed, xss_id):
    app.assert_page_escapes(PAGE, xss_id)


def test_corpus_tone_says_when_it_mixes_models(tmp_path, monkeypatch):
    """A store filled partly with ``--tone fast`` says so where the corpus tone averages both."""
    from analysis.ingest import seed_store
    from analysis.pipeline import ArticleInput, analyze
    from analysis.store import Store

    store = Store(str(tmp_path / "mixed.sqlite"))
    seed_store(store)
    monkeypatch.setenv("NEWSLENS_TONE", "fast")
    store.save(analyze(ArticleInput(text="Council backs bridge\n\nMayor Ann Lee praised the council's vote on Monday.")))
    monkeypatch.delenv("NEWSLENS_TONE")
    monkeypatch.setenv("NEWSLENS_DB", str(store.path))
    seed_id = store.articles_frame(app.SEED_TITLE)["id"].iloc[0]

    at = app.open_page(PAGE, article=seed_id, scope="corpus")
    app.no_exception(at)
    captions = " ".join(at.caption.values)
    assert "different targeted-tone models" in captions
    assert "1 by the accurate model (targeted_tone_v3)" in captions and "1 by the fast model (targeted_tone_v2)" in captions
    at = app.open_page(PAGE, article=seed_id)
    assert "different targeted-tone models" not in " ".join(at.caption.values)  # one article, one model


def test_corpus_view_counts_linked_names_as_one_and_says_why(tmp_path, monkeypatch):
    """Across articles "Okonjo" is counted with "Delia Okonjo"; the expander says which rule."""
    from analysis.pipeline import ArticleInput, analyze
    from analysis.store import Store
    from tests.test_linking import ARTICLES

    store = Store(str(tmp_path / "linked.sqlite"))
    ids = [store.save(analyze(ArticleInput(text=f"{t}\n\n{b}", source=s))).id for t, b, s in ARTICLES]
    monkeypatch.setenv("NEWSLENS_DB", str(store.path))
    at = app.open_page(PAGE, article=ids[1], scope="corpus")
    app.no_exception(at)
    entities = at.dataframe[0].value.set_index("entity")
    assert "Okonjo" not in entities.index and "Okonjo" in entities.loc["Delia Okonjo", "merged"]
    why = at.dataframe[1].value.set_index("variant")
    assert why.loc["Okonjo", "rule"] == "surname" and why.loc["FMC", "rule"] == "acronym"
    assert any("Why merged" in e.label for e in at.expander)
