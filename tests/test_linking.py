"""Corpus entity linking: every rule family links what it should, ambiguity never merges, and the
store's corpus frame counts linked names as one entity with the reason shown."""

from __future__ import annotations

import pytest

from analysis.linking import (
    ArticleName,
    CorpusName,
    ambiguous_short_names,
    entity_of,
    link_articles,
    link_in_neighbourhood,
    link_names,
)
from analysis.pipeline import ArticleInput, analyze
from analysis.store import Store

N = CorpusName


def _entity(names, name, label):
    return entity_of(link_names(names), name, label)


# -- type --------------------------------------------------------------------------------------


def test_type_minority_label_joins_the_majority():
    names = [N("Marisol Quent", "ORG", 1), N("Marisol Quent", "PERSON", 10)]
    links = link_names(names)
    link = links[("Marisol Quent", "ORG")]
    assert (link.entity, link.entity_label, link.rule) == ("Marisol Quent", "PERSON", "type")
    assert "PERSON in 10 articles" in link.evidence and "ORG in 1 article" in link.evidence
    assert ("Marisol Quent", "PERSON") not in links


def test_type_split_votes_keep_two_entities():
    # a carmaker and a person both called Ford: neither label holds two thirds of the articles
    names = [N("Ford", "ORG", 5), N("Ford", "PERSON", 4)]
    assert link_names(names) == {}


# -- form: titles, "the", possessives, middle initials, Jr. -------------------------------------


@pytest.mark.parametrize(
    "variant, label",
    [("President Tolvar Benn", "PERSON"), ("Tolvar R. Benn", "PERSON"), ("Tolvar Benn Jr.", "PERSON"),
     ("Tolvar Benn's", "PERSON"), ("Mr. Tolvar Benn", "ORG")],
)  # fmt: skip
def test_form_variants_of_a_person_join_the_plain_name(variant, label):
    names = [N("Tolvar Benn", "PERSON", 6), N(variant, label, 2)]
    link = link_names(names)[(variant, label)]
    assert (link.entity, link.entity_label, link.rule) == ("Tolvar Benn", "PERSON", "form")


def test_form_the_and_possessive_on_an_organisation():
    names = [N("Harwick Institute", "ORG", 4), N("the Harwick Institute's", "ORG", 1)]
    assert _entity(names, "the Harwick Institute's", "ORG") == ("Harwick Institute", "ORG")


def test_form_different_middle_names_do_not_join_other_people():
    names = [
        N("Anna Lee Park", "PERSON", 2),
        N("Anna Park", "PERSON", 2),
        N("Anna Mae Park", "PERSON", 1),
    ]
    # middle initials are set aside, middle names are not
    assert link_names(names) == {}


# -- department -------------------------------------------------------------------------------


def test_department_forms_and_the_bare_topic_join_department_of_x():
    names = [N("Department of Fisheries", "ORG", 3), N("Fisheries Department", "ORG", 2),
             N("U.S. Fisheries Department", "ORG", 1), N("Fisheries", "ORG", 1)]  # fmt: skip
    links = link_names(names)
    for variant in ("Fisheries Department", "U.S. Fisheries Department", "Fisheries"):
        assert links[(variant, "ORG")].entity == "Department of Fisheries"
        assert links[(variant, "ORG")].rule == "department"


def test_department_bare_topic_with_two_institutions_stays_apart():
    names = [
        N("Department of Fisheries", "ORG", 3),
        N("Ministry of Fisheries", "ORG", 3),
        N("Fisheries", "ORG", 1),
    ]
    assert ("Fisheries", "ORG") not in link_names(names)


def test_department_a_place_of_the_same_word_is_not_the_department():
    names = [N("Department of Georgia", "ORG", 1), N("Georgia", "GPE", 9)]
    assert ("Georgia", "GPE") not in link_names(names)


# -- acronym ----------------------------------------------------------------------------------


def test_acronym_spelled_out_in_one_article_links_everywhere():
    names = [
        N("Coastal Water Safety Board", "ORG", 2, 4, ("Coastal Water Safety Board", "CWSB")),
        N("CWSB", "ORG", 7),
    ]
    link = link_names(names)[("CWSB", "ORG")]
    assert (link.entity, link.rule) == ("Coastal Water Safety Board", "acronym")
    assert "spelled out" in link.evidence


def test_acronym_by_unique_initials_is_left_to_the_story_and_not_when_two_names_share_them():
    one = [N("Northern Rail Authority", "ORG", 2), N("NRA", "ORG", 3)]
    assert link_names(one) == {}  # initials alone are no proof corpus-wide ("BBC" is no beach club)
    assert ambiguous_short_names(one) == {("NRA", "ORG"): ["Northern Rail Authority"]}
    two = [*one, N("National Rifle Association", "ORG", 4)]
    assert ("NRA", "ORG") not in ambiguous_short_names(two)
    rows = [ArticleName("a1", "Northern Rail Authority", "ORG"), ArticleName("a2", "NRA", "ORG"),
            ArticleName("b1", "NRA", "ORG")]  # fmt: skip
    linked = link_articles(rows, {"a1": "s-a", "a2": "s-a", "b1": "s-b"})
    assert linked[("a2", "NRA", "ORG")] == ("Northern Rail Authority", "ORG")  # its story names it
    assert linked[("b1", "NRA", "ORG")] == ("NRA", "ORG")


def test_acronym_two_letters_need_the_spelled_out_form():
    assert link_names([N("Harbour Police", "ORG", 2), N("HP", "ORG", 3)]) == {}
    spelled = [N("Harbour Police", "ORG", 2, 2, ("Harbour Police", "HP")), N("HP", "ORG", 3)]
    assert _entity(spelled, "HP", "ORG") == ("Harbour Police", "ORG")


def test_acronym_never_links_to_a_person():
    assert link_names([N("Jon Kell", "PERSON", 5), N("JK", "ORG", 2, 2, ())]) == {}


# -- surname ----------------------------------------------------------------------------------


def test_surname_joins_the_only_full_name_and_type_slips_follow():
    names = [
        N("Joe Biden", "PERSON", 12),
        N("Biden", "PERSON", 30),
        N("Biden", "ORG", 1),
        N("President Biden", "ORG", 2),
    ]
    links = link_names(names)
    assert {k: (v.entity, v.entity_label) for k, v in links.items()} == {
        ("Biden", "PERSON"): ("Joe Biden", "PERSON"),
        ("Biden", "ORG"): ("Joe Biden", "PERSON"),
        ("President Biden", "ORG"): ("Joe Biden", "PERSON"),
    }
    assert links[("Biden", "PERSON")].rule == "surname"


def test_surname_shared_by_two_people_is_not_linked_corpus_wide():
    names = [N("John Smith", "PERSON", 2), N("Anna Smith", "PERSON", 2), N("Smith", "PERSON", 3)]
    assert ("Smith", "PERSON") not in link_names(names)
    assert ambiguous_short_names(names) == {("Smith", "PERSON"): ["Anna Smith", "John Smith"]}


def test_surname_variants_of_one_person_are_one_candidate():
    names = [
        N("Andrew Cuomo", "PERSON", 5),
        N("Andrew M. Cuomo", "PERSON", 2),
        N("Cuomo", "PERSON", 4),
    ]
    links = link_names(names)
    assert (
        links[("Cuomo", "PERSON")].entity
        == links[("Andrew M. Cuomo", "PERSON")].entity
        == "Andrew Cuomo"
    )


def test_neighbourhood_links_an_ambiguous_surname_per_article():
    hoods = {
        "a1": {"John Smith", "Hull"},
        "a2": {"Anna Smith"},
        "a3": {"John Smith", "Anna Smith"},
        "a4": set(),
    }
    links = link_in_neighbourhood(("Smith", "PERSON"), ["Anna Smith", "John Smith"], hoods)
    assert {(link.article_id, link.entity) for link in links} == {
        ("a1", "John Smith"),
        ("a2", "Anna Smith"),
    }


# -- the store ----------------------------------------------------------------------------------

ARTICLES = [
    ("Harbour levy approved",
     "Mayor Delia Okonjo signed the harbour levy on Monday. Okonjo said the Department of Transportation "
     "would fund the dredging. The Federal Maritime Commission (FMC) must still approve the fees.", "Tribune"),
    ("Levy faces review",
     "\"It pays for itself,\" Okonjo told reporters on Tuesday. The Transportation Department said work starts in May, "
     "and the FMC opened a review of the fees.", "Courier"),
]  # fmt: skip


@pytest.fixture()
def linked_store(tmp_path):
    store = Store(str(tmp_path / "store.sqlite"))
    for title, body, source in ARTICLES:
        store.save(analyze(ArticleInput(text=f"{title}\n\n{body}", source=source)))
    yield store
    store.close()
    store.db.dispose()


def test_store_corpus_frame_counts_linked_names_as_one_entity(linked_store):
    plain = linked_store.entities_frame(limit=500)
    linked = linked_store.entities_frame(limit=500, linked=True).set_index("entity")
    links = linked_store.entity_links()
    assert {"Okonjo", "Delia Okonjo"} <= set(plain["entity"])  # stored apart
    okonjo = linked.loc["Delia Okonjo"]
    assert "Okonjo" in okonjo["merged"] and "Okonjo" not in linked.index
    assert okonjo["count"] == plain[plain["entity"].isin(["Okonjo", "Delia Okonjo"])]["count"].sum()
    assert "Transportation Department" not in linked.index
    assert "Transportation Department" in linked.loc["Department of Transportation", "merged"]
    assert "FMC" not in linked.index
    why = links.set_index("variant")
    assert why.loc["Okonjo", "rule"] == "surname" and why.loc["FMC", "rule"] == "acronym"
    assert int(linked["count"].sum()) == int(
        plain["count"].sum()
    )  # nothing lost, nothing counted twice


def test_a_one_word_name_typed_otherwise_once_is_resolved_in_its_story_only():
    names = [
        N("Miguel Cardona", "PERSON", 3),
        N("Cardona", "ORG", 1),
        N("Ford", "ORG", 2),
        N("Lena Ford", "PERSON", 1),
    ]
    short = ambiguous_short_names(names)
    assert short[("Cardona", "ORG")] == ["Miguel Cardona"]
    assert ("Ford", "ORG") not in short  # typed ORG in two articles: the carmaker, not a slip
    assert ("Cardona", "ORG") not in link_names(names)  # never corpus-wide


def test_link_articles_resolves_shared_surnames_by_story():
    rows = [ArticleName("a1", "John Smith", "PERSON"), ArticleName("a2", "Smith", "PERSON"),
            ArticleName("b1", "Anna Smith", "PERSON"), ArticleName("b2", "Smith", "PERSON"),
            ArticleName("c1", "Smith", "PERSON")]  # fmt: skip
    linked = link_articles(rows, {"a1": "s-a", "a2": "s-a", "b1": "s-b", "b2": "s-b"})
    assert linked[("a2", "Smith", "PERSON")] == ("John Smith", "PERSON")
    assert linked[("b2", "Smith", "PERSON")] == ("Anna Smith", "PERSON")
    assert linked[("c1", "Smith", "PERSON")] == (
        "Smith",
        "PERSON",
    )  # no story names a Smith: left alone


def test_form_other_letters_of_one_name_join_and_generations_stay_apart():
    links = link_names([N("China", "GPE", 30), N("china", "GPE", 2)])
    assert (links[("china", "GPE")].entity, links[("china", "GPE")].rule) == ("China", "form")
    generations = [
        N("Charles Elliott Jr.", "PERSON", 2),
        N("Charles Elliott III", "PERSON", 2),
        N("Charles Elliott", "PERSON", 1),
    ]
    assert (
        link_names(generations) == {}
    )  # which Charles Elliott is "Charles Elliott" alone? neither
    one = link_names(generations[:1] + generations[2:])
    assert (
        one[("Charles Elliott Jr.", "PERSON")].entity == "Charles Elliott"
    )  # one generation: the same man


SMITHS = [
    ("Senate passes rail safety bill",
     "The Senate passed a rail safety bill on Tuesday. Senator John Smith of Ohio, who wrote the rail safety bill, "
     "said freight railroads had waited too long.", "Tribune", "2026-03-03"),
    ("Rail safety bill clears Senate",
     "A rail safety bill cleared the Senate on Tuesday. \"Freight railroads had waited too long,\" Smith told "
     "reporters after the vote on the rail safety bill.", "Courier", "2026-03-03"),
    ("Anna Smith reaches Miami Open final",
     "Anna Smith beat Elena Rybakina in straight sets to reach the Miami Open final on Wednesday.", "Tribune", "2026-03-20"),
    ("Miami Open final for Smith",
     "\"I played my best tennis,\" Smith said after beating Rybakina to reach the Miami Open final on Wednesday.",
     "Ledger", "2026-03-20"),
]  # fmt: skip


def test_store_links_a_shared_surname_per_article_from_its_story(store_url):
    """On SQLite and PostgreSQL (with NEWSLENS_TEST_PG)."""
    from analysis.stories import update_stories

    store = Store(store_url)
    try:
        for title, body, source, day in SMITHS:
            store.save(analyze(ArticleInput(text=f"{title}\n\n{body}", source=source, published=day)))
        update_stories(store)
        plain = store.entities_frame(limit=500).set_index("entity")
        linked = store.entities_frame(limit=500, linked=True).set_index("entity")
        links = store.entity_links()
        assert plain.loc["Smith", "articles"] == 2  # the senator's and the player's, one row
        smith = links[(links["rule"] == "neighbourhood") & (links["variant"] == "Smith")]
        assert sorted(smith["entity"]) == ["Anna Smith", "John Smith"] and (smith["article_id"] != "").all()
        assert "Smith" not in linked.index
        assert linked.loc["John Smith", "articles"] == linked.loc["Anna Smith", "articles"] == 2
        assert int(linked["count"].sum()) == int(plain["count"].sum())
        # the Stories page: the senator is one entity named by both outlets of his story
        from analysis.coverage import entity_attention, story_view

        senate = store.story_of(store.articles_frame("Senate passes")["id"].iloc[0])
        attention = entity_attention(story_view(store, senate))
        senator = attention[attention["entity"] == "John Smith"]
        assert set(senator["outlet"]) == {"Tribune", "Courier"} and "Smith" not in set(attention["entity"])
    finally:
        store.close()
        store.db.dispose()


def test_store_links_names_within_an_outlet_or_date_scope(linked_store):
    from analysis.store import CorpusScope

    both = linked_store.entities_frame(limit=500, linked=True, scope=CorpusScope(("Tribune", "Courier"))).set_index("entity")
    assert "Okonjo" not in both.index and "Okonjo" in both.loc["Delia Okonjo", "merged"]
    assert "FMC" in both.loc["Federal Maritime Commission", "merged"]
    courier = linked_store.entities_frame(limit=500, linked=True, scope=CorpusScope(("Courier",))).set_index("entity")
    # the Courier alone writes "Okonjo" and "FMC": still counted under the full names
    assert courier.loc["Delia Okonjo", "count"] == 1 and courier.loc["Delia Okonjo", "articles"] == 1
    assert "Federal Maritime Commission" in courier.index and "FMC" not in courier.index


def test_form_different_middle_initials_are_different_people():
    names = [N("George H. W. Bush", "PERSON", 3), N("George W. Bush", "PERSON", 5)]
    assert link_names(names) == {}
    one = link_names([*names[1:], N("George Bush", "PERSON", 1)])  # one of them in the corpus: the same man
    assert one[("George W. Bush", "PERSON")].entity == "George Bush"


def test_acronym_by_initials_alone_never_links_corpus_wide():
    assert link_names([N("Bailey's Beach Club", "ORG", 2), N("BBC", "ORG", 9)]) == {}
    # spelled out in an article, the same expansion links everywhere
    spelled = [N("Bailey's Beach Club", "ORG", 1, 1, ("Bailey's Beach Club", "BBC")), N("BBC", "ORG", 9)]
    assert link_names(spelled)[("BBC", "ORG")].rule == "acronym"
