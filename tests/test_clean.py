"""Cleaning: headline roles, body paragraphs, boilerplate with reasons, metadata, all formats."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.clean import (
    choices_from_kept,
    clean_article,
    clean_with_lines,
    headline_score,
    input_lines,
    split_breadcrumb,
)
from analysis.decode import detect_format
from analysis.errors import InputError
from analysis.model import CleanedArticle, CleaningChoices, Headline, RemovedLine

ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"


def fixture(name: str) -> CleanedArticle:
    text = (ARTICLES / name).read_text(encoding="utf-8")
    return clean_article(text, format=detect_format(text, name))


def roles(article: CleanedArticle) -> list[tuple[str, str]]:
    return [(h.role, h.text) for h in article.headlines]


def reasons(article: CleanedArticle) -> dict[str, str]:
    return {r.text: r.reason for r in article.removed}


def test_seed_structure(seed_text: str) -> None:
    article = clean_article(seed_text)
    title = (
        "United States urges Israel to delay Gaza invasion, maintains contact with mediator "
        "Qatar – sources."
    )
    assert article.format == "text"
    assert article.title == title
    assert roles(article) == [
        ("truncated", "United States urges Israel to delay Gaza invasion, maintains contact with mediator..."),
        ("title", title),
        ("alternate", "US Urges Israel to Exercise Caution in Gaza Invasion"),
        ("dek", "US advises Israel to hold off on Gaza invasion, prioritizing hostage negotiations"),
        ("section", "US emphasizes Israel’s right to self-defense amid growing concerns"),
        ("section", "Prioritizing hostage negotiations and humanitarian aid"),
        ("section", "Preparing for potential spillover and escalating tensions"),
        ("section", "Israel’s considerations and US support"),
    ]
    assert article.metadata == {"section": "Politics", "breadcrumb": "Home › Politics"}
    assert article.removed == [
        RemovedLine("HomePolitics", "breadcrumb"),
        RemovedLine("- Advertisement -", "advertisement"),
        RemovedLine("- Advertisement -", "advertisement"),
        RemovedLine("Must Read", "promo"),
    ]
    assert len(article.paragraphs) == 9
    assert article.paragraphs[0].startswith("The United States has advised Israel")
    assert article.paragraphs[-1].startswith("By exercising caution and prioritizing negotiations")
    headline_texts = {h.text for h in article.headlines}
    assert not headline_texts & set(article.paragraphs)


def test_wire_copy() -> None:
    article = fixture("wire_reuters.txt")
    assert roles(article) == [
        ("title", "Harbour authority delays vote on port expansion after fishermen protest")
    ]
    assert article.metadata == {
        "byline": "Maria Lopez, Reuters",
        "dateline": "LISBON (Reuters)",
        "credits": "Reporting by Maria Lopez; Editing by Tom Hughes",
    }
    assert reasons(article) == {
        "By Maria Lopez, Reuters": "byline",
        "5 min read": "reading-time",
        "Related: Portugal's ports race to catch up with Spanish rivals": "promo",
        "Reporting by Maria Lopez; Editing by Tom Hughes": "credits",
        "Our Standards: The Thomson Reuters Trust Principles.": "standards",
    }
    # the dateline goes to metadata; the paragraph keeps its prose
    assert article.paragraphs[0].startswith("Portugal's harbour authority postponed a vote")
    # "read more" inside a body sentence is not boilerplate
    assert any("would read more of the environmental" in p for p in article.paragraphs)
    assert len(article.paragraphs) == 4


def test_local_news_page() -> None:
    article = fixture("local_news.txt")
    assert roles(article) == [
        ("title", "Night buses to return to the valley after two-year gap"),
        ("dek", "Residents say the new timetable still ignores shift workers"),
        ("section", "Why the service stopped"),
    ]
    assert article.metadata == {
        "breadcrumb": "Home › Local › Transport",
        "section": "Transport",
        "updated": "14:32, 12 May",
    }
    assert list(reasons(article).values()) == [
        "breadcrumb", "timestamp", "reading-time", "photo-credit", "newsletter", "share", "comments",
    ]
    assert len(article.paragraphs) == 4
    assert article.paragraphs[-1].startswith('"People have been walking home')


def test_html_page() -> None:
    article = fixture("page.html")
    assert article.format == "html"
    assert roles(article) == [
        ("title", "City approves new flood barrier"),
        ("alternate", "Flood barrier gets green light after decade of delays"),
        ("dek", "The council voted 9-2 to fund a barrier that engineers say will protect 4,000 homes."),
        ("section", "Who pays for the barrier"),
        ("section", "When construction starts"),
    ]
    assert article.metadata == {
        "published": "2024-05-12T09:30:00Z",
        "byline": "Priya Natarajan",
        "breadcrumb": "Home › News › Environment",
        "section": "Environment",
    }
    assert len(article.paragraphs) == 5
    assert reasons(article)["Share this article"] == "share"
    everything = " ".join([*article.paragraphs, *(h.text for h in article.headlines),
                           *article.metadata.values()])
    for leak in ("alert", "script", "<", "font-family", "onerror", "cookies", "Sport"):
        assert leak not in everything


def test_html_fallback_when_trafilatura_finds_nothing(monkeypatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)
    article = fixture("page.html")
    assert article.title == "City approves new flood barrier"
    assert ("section", "Who pays for the barrier") in roles(article)
    assert len(article.paragraphs) == 5
    everything = " ".join(article.paragraphs)
    for leak in ("alert", "font-family", "cookies", "Sport", "©"):
        assert leak not in everything


def test_html_fallback_drops_page_furniture_by_class(monkeypatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)
    html = (
        '<html><body><!-- note --><div class="commentary-body"><h1>Opinion title</h1>'
        "<p>The first paragraph of the commentary is long enough to count as a body paragraph.</p>"
        '</div><div class="comments"><p>Great article!</p></div>'
        '<div id="ad_slot"><p>Buy now</p></div></body></html>'
    )
    article = clean_article(html, format="html")
    assert article.title == "Opinion title"
    assert article.paragraphs == [
        "The first paragraph of the commentary is long enough to count as a body paragraph."
    ]


def test_markdown_article() -> None:
    article = fixture("article.md")
    assert article.format == "markdown"
    assert roles(article) == [
        ("title", "Library opens late on weekdays to serve students"),
        ("dek", "Exam season brings record demand for quiet study space"),
        ("section", "What changes for readers"),
    ]
    assert article.metadata == {"byline": "Jonah Berg"}
    assert reasons(article) == {
        "By Jonah Berg": "byline",
        "Read more: Reading rooms across the region report record visits": "promo",
        "---": "markup",
    }
    body = article.body
    assert "city's culture department said" in body  # emphasis stripped
    assert "according to the department's announcement." in body  # link text kept
    for leak in ("http", "](", "**", "![", "Students in the reading room"):
        assert leak not in body
    assert "The quiet floor is reserved for students with a library card." in article.paragraphs
    assert any(p.startswith('"We saw people studying') for p in article.paragraphs)


def test_explicit_title_wins_and_is_not_repeated() -> None:
    text = "Old headline here\n\nThe mayor resigned on Friday after a week of protests in the city."
    article = clean_article(text, title="Mayor resigns")
    assert roles(article) == [("title", "Mayor resigns"), ("dek", "Old headline here")]
    same = clean_article(text, title="Old headline here")
    assert roles(same) == [("title", "Old headline here")]
    # with the title given, a short first sentence is body, not a second headline
    short = clean_article("The mayor resigned.\n\nShe gave no reason for leaving office.", title="X")
    assert short.paragraphs == ["The mayor resigned.", "She gave no reason for leaving office."]


def test_markdown_setext_headings_and_quotes() -> None:
    text = ("Storm hits the coast\n====================\n\nWinds of 120 km/h tore roofs off homes "
            "in three towns overnight, officials said.\n\nClean-up begins\n---------------\n\n"
            "> Crews will work through the weekend,\n> the mayor said.\n\n1. Schools are closed.")
    article = clean_article(text)
    assert article.format == "markdown"
    assert roles(article) == [("title", "Storm hits the coast"), ("section", "Clean-up begins")]
    assert article.paragraphs[1:] == [
        "Crews will work through the weekend, the mayor said.", "Schools are closed."
    ]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("ADVERTISEMENT", "advertisement"),
        ("Sponsored", "advertisement"),
        ("READ MORE: Storm warnings issued", "promo"),
        ("Share on Facebook", "share"),
        ("Published 09:00, 3 June 2024", "timestamp"),
        ("Last updated: 12 May 2024", "timestamp"),
        ("We use cookies to personalise content and ads.", "legal"),
        ("Privacy Policy | Terms of Use | Contact Us", "legal"),
        ("© 2024 Example Media Ltd", "legal"),
        ("All rights reserved.", "legal"),
        ("Subscribe to our daily briefing", "newsletter"),
        ("(Reuters/Jane Smith)", "photo-credit"),
        ("A man walks past the closed shop. Getty Images", "photo-credit"),
        ("File photo", "photo-credit"),
        ("Click here to read the full report", "click-here"),
        ("Follow us on Instagram", "follow"),
        ("Leave a comment", "comments"),
        ("Home > World > Europe", "breadcrumb"),
        ("Home / News", "breadcrumb"),
        ("Police stand guard in London, May 1, 2024. REUTERS/Hannah McKay/File Photo", "photo-credit"),
        ("People queue at a bank in Lagos. (AP Photo/Sunday Alamba)", "photo-credit"),
    ],
)
def test_boilerplate_lines(line: str, reason: str) -> None:
    text = f"A headline for the test\n\n{line}\n\nThe body paragraph is long enough to be the body, and it says so plainly."
    article = clean_article(text)
    assert article.removed == [RemovedLine(line, reason)]
    assert article.paragraphs == ["The body paragraph is long enough to be the body, and it says so plainly."]


def test_timestamp_and_breadcrumb_metadata() -> None:
    text = ("Home > World > Europe\n\nTitle of the story\n\nPublished 09:00, 3 June 2024\n\n"
            "LONDON, May 12 (AP) — Officials said on Sunday that the talks would resume next week.")
    article = clean_article(text)
    assert article.metadata == {
        "breadcrumb": "Home › World › Europe",
        "section": "Europe",
        "published": "09:00, 3 June 2024",
        "dateline": "LONDON, May 12 (AP)",
    }
    assert article.paragraphs == ["Officials said on Sunday that the talks would resume next week."]


def test_body_sentences_that_mention_boilerplate_words_stay() -> None:
    body = [
        "Voters who read more than one newspaper were less likely to believe the claim, the study found.",
        "Published figures show that 40% of households rely on the bus.",
        "By the end of the day, 200 people had signed the petition.",
        "A Reuters/Ipsos poll found 40% support for the plan among likely voters.",
        "Getty Images said it would cut 200 jobs this year.",
        "Register of deeds officials said the office would close early on Friday.",
    ]
    article = clean_article("Survey of readers\n\n" + "\n\n".join(body))
    assert article.paragraphs == body
    assert article.removed == []


def test_headline_score_prefers_short_unpunctuated_lines() -> None:
    def score(text: str) -> int:
        return headline_score(text, first=False, top_zone=False, next_text="The " + "word " * 40)

    assert score("Preparing for potential spillover and escalating tensions") >= 2
    assert score("He declined to comment.") < 2
    assert score("“We will fight,” she said") < 2
    assert score("word " * 35) < 2
    assert score("What Happens Next?") >= 2
    assert score("So where should policy makers go from here?") < 2
    assert score("• Buses run hourly") < 2
    assert headline_score("Obama, who has denounced the attack", first=False, top_zone=False,
                          next_text="as an act of terror, said on Sunday that the city would heal.") < 2


def test_split_breadcrumb() -> None:
    assert split_breadcrumb("HomeWorldEuropeFrance votes today") == (
        ["Home", "World", "Europe"], "France votes today")
    assert split_breadcrumb("HomeLocal") == (["Home", "Local"], "")
    assert split_breadcrumb("Homeland security budget rises") is None
    assert split_breadcrumb("Prices rose 3% > forecast") is None


def test_hard_wrapped_paragraph_is_joined() -> None:
    text = ("Short title\n\nThe first line of a wrapped paragraph goes on for a while and\n"
            "then continues on the next line until the sentence ends.")
    assert clean_article(text).paragraphs == [
        "The first line of a wrapped paragraph goes on for a while and then continues on the "
        "next line until the sentence ends."
    ]


def test_boilerplate_line_inside_a_wrapped_block_is_set_aside() -> None:
    text = ("Short title\n\nThe first line of a wrapped paragraph goes on for a while and\n"
            "then continues on the next line until the sentence ends.\nREAD MORE: Other story")
    article = clean_article(text)
    assert article.removed == [RemovedLine("READ MORE: Other story", "promo")]
    assert len(article.paragraphs) == 1 and article.paragraphs[0].endswith("sentence ends.")


@pytest.mark.parametrize(
    "text",
    ["", "   ", "<html><script>alert(1)</script></html>",
     "<?xml version='1.0' encoding='utf-8'?><html><body><script>alert(1)</script></body></html>"],
)
def test_no_body_raises(text: str) -> None:
    with pytest.raises(InputError, match="no article text is left"):
        clean_article(text)


def test_text_with_letters_but_no_body_is_kept_with_a_notice() -> None:
    article = clean_article("- Advertisement -\n\nMust Read")
    assert article.paragraphs == ["- Advertisement -", "Must Read"]
    assert "notice" in article.metadata and article.removed == []


def test_awkward_inputs_do_not_crash() -> None:
    long_paragraph = " ".join(["word"] * 50_000) + "."
    article = clean_article("A title\n\n" + long_paragraph)
    assert article.paragraphs == [long_paragraph]
    assert clean_article("“Unbalanced quote opens here and never closes, which is fine for us " * 20)
    assert clean_article("Титул статьи\n\nЭто первый абзац статьи, в нём достаточно слов для тела.")
    assert clean_article("**" * 5000 + " text" * 40 + "[" * 5000 + "](", format="markdown")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400), st.sampled_from([None, "text", "markdown", "html"]))
def test_arbitrary_text_cleans_or_raises_input_error(text: str, fmt: str | None) -> None:
    try:
        article = clean_article(text, format=fmt)
    except InputError:
        return
    assert isinstance(article, CleanedArticle)
    assert article.paragraphs
    for p in article.paragraphs:
        assert p.strip() and "\n\n" not in p
    assert all(isinstance(h, Headline) and h.text for h in article.headlines)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    "Title Line Here", "- Advertisement -", "By Jane Doe", "Must Read", "", "\n",
    "A body sentence that is long enough to be a paragraph of the article, it says.",
    "“A quote,” she said.", "Home › News", "Short heading", "...", "# Heading", "> quoted",
]), max_size=20))
def test_article_like_text_keeps_paragraphs_clean(lines: list[str]) -> None:
    try:
        article = clean_article("\n\n".join(lines))
    except InputError:
        return
    for p in article.paragraphs:
        assert p.strip() and "\n\n" not in p


def test_a_one_sentence_text_is_a_short_article_not_a_title():
    article = clean_article("Police said the fire killed three people on Tuesday night in Leeds.")
    assert article.paragraphs == ["Police said the fire killed three people on Tuesday night in Leeds."]
    assert article.headlines == []
    assert article.title == article.paragraphs[0]  # titled by its first line, for the sidebar


def test_a_headline_over_one_sentence_keeps_its_title():
    article = clean_article("Fire in Leeds kills three\n\nPolice said the fire killed three people.")
    assert article.title == "Fire in Leeds kills three"
    assert article.paragraphs == ["Police said the fire killed three people."]


# --- regressions (docs/robustness.md defects) ----------------------------------------------------


def test_control_characters_in_text_given_directly_are_removed_before_parsing() -> None:
    """Text that never went through ``decode_bytes`` reaches lxml without control characters."""
    article = clean_article("<p>The council voted\x08 on Tuesday to close the\x0c bridge.</p>", format="html")
    assert article.paragraphs == ["The council voted on Tuesday to close the bridge."]
    with pytest.raises(InputError, match="no article text is left"):
        clean_article("0<SCRIPT></SCRIPT>\x08", format="html")


@pytest.mark.parametrize("text", ["0", "12 345\n\n— 2024 —", "<p>1.</p><p>***</p>"])
def test_a_body_without_letters_is_no_article(text: str) -> None:
    with pytest.raises(InputError, match="no article text is left"):
        clean_article(text)


@pytest.mark.parametrize(
    ("link", "kept"),
    [("[bridge](javascript:alert(1))", "bridge"), ("[page](https://en.wikipedia.org/wiki/Bridge_(structure))", "page"),
     ("[two](a(b)c(d)e)", "two"), ("![map](img(1).png)", "")],
)
def test_markdown_link_targets_with_parentheses_keep_only_the_text(link: str, kept: str) -> None:
    text = f"# Council votes\n\nThe council voted to close the {link} for repairs, officials said."
    article = clean_article(text, format="markdown")
    expected = " ".join(f"The council voted to close the {kept} for repairs, officials said.".split())
    assert article.paragraphs == [expected]


def test_markdown_unbalanced_link_target_is_left_alone() -> None:
    article = clean_article("# Title\n\nSee [x](a(b for the rest of the story, they said.", format="markdown")
    assert article.paragraphs == ["See [x](a(b for the rest of the story, they said."]


def test_markdown_raw_hidden_html_is_dropped_and_recorded() -> None:
    text = ("# Council votes\n\nThe council voted on Tuesday to close the bridge.\n\n"
            "<script>alert('md')</script>\n\n<STYLE media=all>\np { color: red }\n</style >\n\n"
            "Mayor <b>Smith</b> <!-- note --> resigned, <iframe src=x>frame</iframe>officials said.\n\n"
            "<noscript>Enable JS</noscript><template><p>t</p></template>")  # fmt: skip
    article = clean_article(text, format="markdown")
    assert article.paragraphs == ["The council voted on Tuesday to close the bridge.",
                                  "Mayor Smith resigned, officials said."]  # fmt: skip
    markup = [r.text for r in article.removed if r.reason == "markup"]
    assert markup == ["<script>alert('md')</script>", "<STYLE media=all> p { color: red } </style >",
                      "<!-- note -->", "<iframe src=x>frame</iframe>", "<noscript>Enable JS</noscript>",
                      "<template><p>t</p></template>"]  # fmt: skip


def test_markdown_unclosed_script_keeps_the_text_without_the_tag() -> None:
    article = clean_article("# Title\n\nThe <script> tag is what the council voted about.", format="markdown")
    assert article.paragraphs == ["The tag is what the council voted about."]


def test_a_long_line_without_spaces_stays_body() -> None:
    blob = "aB3+/x" * 40_000
    article = clean_article(f"Bridge closes for repairs\n\nThe council voted on Tuesday to close it.\n\n{blob}")
    assert article.paragraphs == ["The council voted on Tuesday to close it.", blob]
    assert [h.text for h in article.headlines] == ["Bridge closes for repairs"]
    assert headline_score("x" * 301, first=True, top_zone=True, next_text=None) < 0


# --- pasted web pages (made up): the line model, choices, notices --------------------------------

MENU = ["Skip to content", "World", "Politics", "Business", "Science", "Sport", "Culture",
        "Opinion", "Video", "Podcasts", "Newsletters", "Sign in", "Search"]
BODY = [
    "The river authority opened its new flood gates on Tuesday after six years of building work, "
    "and engineers said the gates would protect about four thousand homes along the lower valley.",
    "The gates close automatically when the water rises above a set mark, which happened twice "
    "during the storms of last winter, when volunteers had to fill sandbags through the night.",
    "“We have waited a long time for this, and it shows what the valley can do together,” said "
    "Mira Holm, who chairs the residents' association and has lived by the river for forty years.",
    "Critics say the project cost twice its first estimate. The authority says rising prices for "
    "steel and concrete explain most of the difference, and that the gates will pay for themselves.",
    "Work on a second set of gates further upstream is due to begin next spring, if the regional "
    "council approves the budget at its meeting in March, officials said on Tuesday evening.",
]
TEASERS = ["More from World", "Town hall votes to keep its library open on Sundays",
           "Ferry strike ends after two weeks of talks", "Weather: a dry week ahead for the coast",
           "About us", "Contact", "Careers", "Terms of use", "Privacy policy", "© 2024 Valley Post"]


def pasted_page(title: str = "New flood gates open on the lower river after six years") -> str:
    """A page as a browser copies it: a menu, the headline, byline and date, the article's
    paragraphs with blank lines around them, then teasers and a footer."""
    top = "\n".join(MENU) + "\n" + title + "\nBy Lena Park\n12 May 2024\n"
    body = "\n\n".join(BODY)
    bottom = "\n".join(TEASERS)
    return f"{top}\n{body}\n\n{bottom}\n"


def test_pasted_page_keeps_the_article_and_drops_the_page_around_it() -> None:
    article = clean_article(pasted_page())
    assert article.title == "New flood gates open on the lower river after six years"
    assert article.paragraphs == BODY
    assert article.metadata["byline"] == "Lena Park"
    dropped = {r.text for r in article.removed}
    assert {"Politics", "Sport", "Ferry strike ends after two weeks of talks", "Careers"} <= dropped
    # a menu is never a headline variant
    assert {h.text for h in article.headlines} == {article.title}


def test_input_lines_show_every_line_with_its_role_or_reason() -> None:
    text = pasted_page()
    views = input_lines(text)
    assert [v.number for v in views] == [i for i, line in enumerate(text.split("\n")) if line.strip()]
    by_text = {v.text: v for v in views}
    assert by_text[BODY[0]].kept and by_text[BODY[0]].label == "body"
    assert by_text["New flood gates open on the lower river after six years"].label == "title"
    assert not by_text["Politics"].kept
    assert by_text["By Lena Park"].label == "byline" and not by_text["By Lena Park"].kept


def test_the_analysts_choices_restore_and_drop_lines() -> None:
    text = pasted_page()
    views = input_lines(text)
    teaser = next(v for v in views if v.text == "Ferry strike ends after two weeks of talks")
    last = next(v for v in views if v.text == BODY[-1])
    kept = [v.kept for v in views]
    kept[views.index(teaser)] = True
    kept[views.index(last)] = False
    choices = choices_from_kept(views, kept)
    assert choices == CleaningChoices(keep=(teaser.number,), drop=(last.number,))
    article = clean_article(text, choices=choices)
    assert teaser.text in article.paragraphs and BODY[-1] not in article.paragraphs
    assert RemovedLine(BODY[-1], "dropped by you") in article.removed
    assert all(r.text != teaser.text for r in article.removed)
    # the same text and choices give the same article
    assert clean_article(text, choices=choices) == article
    chosen = {v.text: v for v in input_lines(text, choices=choices)}
    assert chosen[teaser.text].chosen and chosen[teaser.text].kept


def test_a_page_without_recognised_body_keeps_its_text_with_a_notice() -> None:
    menu_only = "\n".join(MENU + ["Latest", "Most read", "Home", "Local", "Traffic", "Schools", "Events"])
    article = clean_article(menu_only)
    assert article.metadata.get("notice")
    assert "Politics" in article.paragraphs


def test_an_article_without_headline_is_titled_by_its_first_line() -> None:
    long_line = "The harbour board met on Monday " + "and talked about ferries " * 10 + "for hours."
    article = clean_article(long_line + "\n\nA second paragraph follows here.")
    assert article.title.endswith("…") and long_line.startswith(article.title[:-1])
    assert len(article.title) <= 101 and article.headlines == []


def test_word_count_counts_cjk_characters() -> None:
    assert headline_score("宇航员在太空中喝酒会怎么样？后果很严重，专家们在最新的研究报告中给出了详细的解释和分析。",
                          first=False, top_zone=True, next_text=None) < 2


def test_html_source_comes_from_the_site_name() -> None:
    html = ('<html><head><meta property="og:site_name" content="Valley Post"></head><body><h1>Gates open</h1>'
            "<p>The river authority opened its new flood gates on Tuesday after six years of work.</p></body></html>")
    assert clean_article(html, format="html").metadata["source"] == "Valley Post"


def test_html_headings_of_the_text_are_sections_and_loose_text_is_kept(monkeypatch) -> None:
    import trafilatura

    xml = ('<doc><main><head rend="h1">Gates open</head><head rend="h2">A long wait ends</head>'
           "<p>The river authority opened its new flood gates on Tuesday after six years.</p>"
           "Engineers said the gates would protect four thousand homes.</main></doc>")
    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: xml)
    html = '<html><head><meta property="og:title" content="Gates open"></head><body><p>x</p></body></html>'
    article, views = clean_with_lines(html, format="html")
    assert roles(article) == [("title", "Gates open"), ("section", "A long wait ends")]
    assert article.paragraphs[-1] == "Engineers said the gates would protect four thousand homes."
    # choices work on the units of an HTML page too
    section = next(v for v in views if v.text == "A long wait ends")
    dropped = clean_article(html, format="html", choices=CleaningChoices(drop=(section.number,)))
    assert ("section", "A long wait ends") not in roles(dropped)
    assert RemovedLine("A long wait ends", "dropped by you") in dropped.removed


@pytest.mark.parametrize(
    "byline",
    ["By Lena Park Updated May 12, 2024, 10:15am EDT @lenapark", "Par Lena Park — 12 mai 2024 à 18:42", "Lena Park | 12.05.2024 10:15"],
)
def test_a_byline_with_its_date_is_never_the_title(byline: str) -> None:
    # Bylines read like headlines (short, capitalised, no full stop) and sit right above the body,
    # where titles sit too; the title ranker knows their names, times and handles.
    title = "New flood gates open on the lower river after six years"
    page = pasted_page(title).replace("By Lena Park\n12 May 2024\n", f"Share this story\n{byline}\n")
    article = clean_article(page)
    assert article.title == title
    assert byline not in {h.text for h in article.headlines}
