from analysis.headlines import TfidfSpace, content_terms, cosine, framing_verbs, novel_words


def test_identical_term_lists_are_fully_similar():
    space = TfidfSpace([["gaza", "invasion"], ["hostage", "talk"]])
    assert space.similarity(["gaza", "invasion"], ["gaza", "invasion"]) == 1.0
    assert space.similarity(["gaza"], ["hostage"]) == 0.0


def test_rarer_shared_terms_weigh_more():
    docs = [["israel", "gaza"], ["israel", "hostage"], ["israel", "qatar"]]
    space = TfidfSpace(docs)
    # "qatar" appears in one document, "israel" in all: sharing the rare term scores higher.
    assert space.similarity(["qatar", "x"], ["qatar", "y"]) > space.similarity(["israel", "x"], ["israel", "y"])


def test_cosine_of_empty_vectors_is_zero():
    assert cosine({}, {"a": 1.0}) == 0.0


def test_content_terms_are_lemmas_without_stop_words(nlp):
    assert content_terms(nlp("The officials urged the ministers to wait.")) == ["official", "urge", "minister", "wait"]


def test_framing_verbs_of_a_headline(nlp):
    assert "urge" in framing_verbs(nlp("US urges Israel to delay Gaza invasion"))


def test_novel_words_keep_headline_order_once():
    assert novel_words(["caution", "gaza", "caution", "exercise"], {"gaza"}) == ["caution", "exercise"]
