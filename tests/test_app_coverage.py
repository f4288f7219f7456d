"""The Coverage page in AppTest on entities linked across articles: two made-up articles of two
outlets, one writing "Joe Biden" and "Department of Homeland Security (DHS)", the other "Biden" and
"DHS"; every section counts each pair as one entity, and a link naming a variant opens its entity."""

from __future__ import annotations

import pytest

from tests import app_support as app
from tests.app_support import database, seed
from tests.test_entity_coverage import BORDER

__all__ = ["database", "seed"]  # pytest fixtures used by name

COVERAGE = "pages/coverage.py"


@pytest.fixture(scope="module")
def border(database, seed):
    from analysis.pipeline import ArticleInput, analyze
    from analysis.store import Store

    store = Store(database)
    for title, body, source, day in BORDER:
        store.save(analyze(ArticleInput(text=f"{title}\n\n{body}", source=source, published=day)))
    yield store
    store.close()


def test_coverage_counts_linked_names_as_one_entity_in_every_section(border):
    at = app.open_page(COVERAGE, entity=["Biden", "DHS"], top="40")  # variants, as an old link wrote them
    app.no_exception(at)
    assert at.multiselect(key="url_entity").value == ["Joe Biden", "Department of Homeland Security"]
    assert not at.warning
    summary = at.dataframe[0].value  # tone and mentions by outlet
    for entity in ("Joe Biden", "Department of Homeland Security"):
        assert {"Tribune", "Courier"} <= set(summary[summary["entity"] == entity]["outlet"])
    assert not {"Biden", "DHS"} & set(summary["entity"])
    attention = at.dataframe[2].value
    assert not {"Biden", "DHS"} & set(attention["entity"])
    biden = attention[attention["entity"] == "Joe Biden"]
    assert {"Tribune", "Courier"} <= set(biden["outlet"])
    assert "Biden" not in at.multiselect(key="url_entity").options  # the list offers the entity only
