"""Outlet names: known domains and names, tidy names for unknown ones, nothing invented."""

from __future__ import annotations

import pytest

from analysis.outlets import UNKNOWN, domain_of, known_outlets, outlet_name


@pytest.mark.parametrize(
    ("source", "url", "metadata", "expected"),
    [
        ("", "https://edition.cnn.com/2024/01/01/politics/x.html", None, "CNN"),
        ("CNN (Online News)", "", None, "CNN"),
        ("New York Times (Opinion)", "", None, "The New York Times"),
        ("nytimes.com", "", None, "The New York Times"),
        ("https://www.bbc.co.uk/news/world-1", "", None, "BBC News"),
        ("", "https://abcnews.go.com/US/story", None, "ABC News"),
        ("Guest Writer", "https://thehill.com/opinion/123", None, "The Hill"),  # the URL wins
        ("The Valley Courier", "", None, "The Valley Courier"),  # unknown name kept as written
        ("", "https://www.the-valley-courier.co.uk/a/b", None, "The Valley Courier"),
        ("ValleyCourier.net", "", None, "ValleyCourier"),
        ("", "", {"site_name": "Harbour Times"}, "Harbour Times"),
        ("", "", {"url": "https://www.reuters.com/world/x"}, "Reuters"),
        ("", "", None, UNKNOWN),
        ("   ", "not a url", {}, UNKNOWN),
    ],
)
def test_outlet_name(source, url, metadata, expected):
    assert outlet_name(source, url, metadata) == expected


def test_registrable_domains():
    assert domain_of("https://m.foxnews.com/politics") == "foxnews.com"
    assert domain_of("news.example.com.au") == "example.com.au"
    assert domain_of("http://localhost:8501") == ""
    assert domain_of("") == ""


def test_every_known_domain_maps_to_itself():
    by_domain, by_name = known_outlets()
    for domain, name in by_domain.items():
        assert outlet_name(url=f"https://www.{domain}/x") == name
        assert by_name[name.lower()] == name
