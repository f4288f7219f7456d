"""Quotes page: filters in the URL narrow the table; a chosen quote shows in its paragraph."""

from tests import app_support as app
from tests.app_support import database, seed, xss_id

__all__ = ["database", "seed", "xss_id"]  # pytest fixtures used by name

PAGE = "pages/quotes.py"


def table(at):
    return at.dataframe[0].value


def test_renders_every_quote_of_the_seed(seed):
    at = app.open_page(PAGE, article=seed)
    app.no_exception(at)
    quotes = table(at)
    assert len(quotes) >= 3
    assert "Eliav Benjamin" in set(quotes["speaker"])


def test_kind_in_the_url_narrows_the_table(seed):
    everything = table(app.open_page(PAGE, article=seed))
    at = app.open_page(PAGE, article=seed, kind="direct")
    app.no_exception(at)
    direct = table(at)
    assert set(direct["kind"]) == {"direct"}
    assert 0 < len(direct) < len(everything)


def test_speaker_in_the_url_narrows_the_table(seed):
    at = app.open_page(PAGE, article=seed, speaker="Eliav Benjamin")
    app.no_exception(at)
    assert set(table(at)["speaker"]) == {"Eliav Benjamin"}
    assert at.multiselect(key="url_speaker").value == ["Eliav Benjamin"]


def test_text_search_and_tone_range_from_the_url(seed):
    at = app.open_page(PAGE, article=seed, q="hostages", tone="-1,1")
    app.no_exception(at)
    assert all(
        "hostages" in t.lower() or "hostages" in s.lower()
        for t, s in table(at)[["text", "speaker"]].values
    )


def test_a_stale_speaker_is_a_friendly_message(seed):
    at = app.open_page(PAGE, article=seed, speaker="Nobody Here")
    app.no_exception(at)
    assert any("Not quoted in this article: Nobody Here" in w for w in at.warning.values)
    assert len(table(at)) >= 3  # the filter is ignored


def test_changing_a_filter_writes_the_url(seed):
    at = app.open_page(PAGE, article=seed)
    at.selectbox(key="url_kind").select("indirect").run()
    app.no_exception(at)
    assert at.query_params.get("kind") == "indirect"
    assert set(table(at)["kind"]) <= {"indirect"}


def test_a_chosen_quote_is_highlighted_in_its_paragraph(seed):
    first = table(app.open_page(PAGE, article=seed))["idx"].iloc[0]
    at = app.open_page(PAGE, article=seed, quote=str(first))
    app.no_exception(at)
    assert any("<mark" in h for h in at.html.values)


def test_unknown_article_is_a_friendly_message(seed):
    app.assert_unknown_article_is_friendly(PAGE)


def test_article_text_is_escaped(seed, xss_id):
    app.assert_page_escapes(PAGE, xss_id)


def test_url_text_in_messages_is_not_markdown(seed):
    at = app.open_page(PAGE, article=seed, speaker="[x](javascript:alert(1))")
    app.no_exception(at)
    warning = " ".join(at.warning.values)
    assert r"\[x\]\(javascript\:alert\(1\)\)" in warning


def test_low_confidence_quotes_are_hidden_unless_the_url_asks(seed):
    default = table(app.open_page(PAGE, article=seed))
    at = app.open_page(PAGE, article=seed, confidence="all")
    app.no_exception(at)
    everything = table(at)
    assert at.toggle(key="url_confidence").value is True
    assert len(everything) > len(default)  # the seed has low-confidence candidates ("its ally")
    assert set(default["idx"]) < set(everything["idx"])
    assert "its ally" not in set(default["text"])


def test_role_in_the_url_narrows_the_table(seed):
    roles = set(table(app.open_page(PAGE, article=seed))["role"]) - {""}
    assert roles  # the seed's speakers have roles
    role = sorted(roles)[0]
    at = app.open_page(PAGE, article=seed, role=role)
    app.no_exception(at)
    assert set(table(at)["role"]) == {role}
    assert at.multiselect(key="url_role").value == [role]
    unknown = app.open_page(PAGE, article=seed, role="astronaut")
    assert any("Unknown speaker role" in w for w in unknown.warning.values)


def test_the_chosen_quote_says_confidence_rule_and_role(seed):
    quotes = table(app.open_page(PAGE, article=seed))
    first = quotes["idx"].iloc[0]
    at = app.open_page(PAGE, article=seed, quote=str(first))
    app.no_exception(at)
    said = " ".join(at.html.values)
    assert "Confidence 0." in said and "found by rule" in said and "role:" in said
