"""Stories page: the empty state loads the sample; a story's outlets side by side; URL state."""

import pytest

from analysis.stories import story_id
from tests import app_support as app
from tests.app_support import database, seed

__all__ = ["database", "seed"]  # pytest fixtures used by name

PAGE = "pages/stories.py"
OUTLETS = {"The Harbour Courier", "Valley Ledger", "Northern Wire"}


@pytest.mark.slow
def test_the_sample_button_fills_the_page_and_the_url_picks_a_story(seed):
    at = app.open_page(PAGE)
    app.no_exception(at)
    assert any("No story has articles" in i for i in at.info.values)
    at.button[0].click().run()  # loads and analyses the sample corpus
    app.no_exception(at)
    headlines = at.dataframe[0].value
    assert set(headlines["outlet"]) == OUTLETS
    assert len(at.get("plotly_chart")) == 3
    story = at.selectbox[0].value

    from analysis.store import Store

    stories = Store(app_database()).stories_frame(min_articles=2)
    assert len(stories) == 3 and story in set(stories["story_id"])
    other = next(s for s in stories["story_id"] if s != story)
    at = app.open_page(PAGE, story=other, entity="Kestrel Motors")
    app.no_exception(at)
    assert at.selectbox[0].value == other
    assert other.startswith("story-") and other == story_id(other.removeprefix("story-"))
    speakers = at.dataframe[-1].value
    assert len(speakers) >= 2 and set(speakers["outlets"]) <= {1, 2, 3}
    member = stories["article_ids"].iloc[0].split(",")[0]
    at = app.open_page("pages/overview.py", article=member)  # an article of a story links to it
    app.no_exception(at)
    assert any("compare the outlets" in str(link.proto) for link in at.get("page_link"))
    at = app.open_page(PAGE, story="story-nope")
    app.no_exception(at)
    assert any("nope" in i and "showing the largest" in i for i in at.info.values)


def app_database() -> str:
    import os

    return os.environ["NEWSLENS_DB"]


def test_the_coverage_page_reads_entities_and_outlets_from_the_url(seed):
    at = app.open_page("pages/coverage.py", entity=["Israel", "Hamas"], show="tone", **{"from": "2100-01-01"})
    app.no_exception(at)  # no stored article (the seed, the sample if an earlier test loaded it) is dated after 2100
    assert any("No entities are stored for these outlets and dates" in i for i in at.info.values)
    at = app.open_page("pages/coverage.py", entity=["Israel", "Hamas"], show="tone")
    app.no_exception(at)
    assert at.multiselect(key="url_entity").value == ["Israel", "Hamas"]
    assert len(at.get("plotly_chart")) == 4  # over time, tone by outlet, sources and attention by outlet
    assert set(at.dataframe[0].value["entity"]) <= {"Israel", "Hamas"}
    at = app.open_page("pages/coverage.py", entity="Atlantis", to="soon")
    app.no_exception(at)
    assert at.multiselect(key="url_entity").value  # an unknown entity falls back to the most named
    assert any("soon" in w for w in at.warning.values)
