"""PolNeAR quote evaluation on a tiny hand-made split in PolNeAR's format (not the eval data)."""

from __future__ import annotations

from pathlib import Path

from analysis.evaluate.quotes import (
    ARCHIVE_MARKS,
    Article,
    GoldAttribution,
    Prediction,
    Scores,
    cli,
    evaluate,
    load_articles,
    match,
    paragraph_starts,
    score,
    speaker_matches,
)

TEXT = (
    "Voters lined up early in Dayton.\n\n"
    "“We have never seen a turnout like this,” said Karen Holt, the county clerk.\n\n"
    "Holt said that the machines worked well all day.\n"
)


def _offsets(text: str, piece: str, after: str = "") -> str:
    start = text.index(piece, text.index(after) if after else 0)
    return f"{start} {start + len(piece)}"


def _write_split(root: Path) -> Path:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "a_story.txt").write_text(TEXT, encoding="utf-8")
    quote = "“We have never seen a turnout like this,”"
    reported = "that the machines worked well all day"
    ann = "\n".join(
        [
            f"T1\tSource {_offsets(TEXT, 'Karen Holt, the county clerk')}\tKaren Holt, the county clerk",
            f"T2\tCue {_offsets(TEXT, 'said')}\tsaid",
            f"T3\tContent {_offsets(TEXT, quote)}\t{quote}",
            "E1\tAttribution:T4 Cue:T2 Source:T1 Content:T3",
            f"T5\tSource {_offsets(TEXT, 'Holt', after='Holt said')}\tHolt",
            f"T6\tContent {_offsets(TEXT, reported)}\t{reported}",
            "E2\tAttribution:T7 Source:T5 Content:T6",
            f"T8\tDiscuss {_offsets(TEXT, 'Voters')}\tVoters",
        ]
    )
    (root / "attributions" / "a_story_b111.ann").write_text(ann + "\n", encoding="utf-8")
    (root / "attributions" / "a_story_c222.ann").write_text("", encoding="utf-8")
    return root


def test_load_articles_takes_the_first_annotator_and_skips_discuss(tmp_path):
    [article] = load_articles(_write_split(tmp_path / "train"))
    assert article.name == "a_story"
    assert [(g.direct, g.pure) for g in article.gold] == [(True, True), (False, False)]
    assert article.gold[0].source == "Karen Holt, the county clerk"


def test_discontinuous_content_is_joined(tmp_path):
    root = tmp_path / "train"
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    text = '"One thing," he said, "and another."'
    (root / "text" / "x.txt").write_text(text, encoding="utf-8")
    (root / "attributions" / "x_a.ann").write_text(
        "T1\tContent 0 12;22 36\t...\nE1\tAttribution:T2 Content:T1\n", encoding="utf-8"
    )
    [article] = load_articles(root)
    assert article.gold[0].content == '"One thing," "and another."'
    assert article.gold[0].pure


def test_match_is_one_to_one_with_the_overlap_rule():
    gold = ["we will win this race", "taxes are too high for families"]
    pairs = match(["we will win this race", "we will win"], gold, [False, False])
    assert pairs == [(0, 0)]
    assert match(["taxes too high"], gold, [False, False]) == [(0, 1)]  # 3 of 6 words: 0.5
    assert match(["taxes high"], gold, [False, False]) == []


def test_mixed_gold_matches_a_contained_partial_quote():
    gold = ['that the plan was "a total disaster for working people" and must go']
    assert match(["a total disaster for working people"], gold, [True]) == [(0, 0)]
    assert match(["a total disaster for working people"], gold, [False]) == []


def test_speaker_match_ignores_titles_and_articles():
    assert speaker_matches("Karen Holt", "Ms. Holt")
    assert not speaker_matches("the clerk", "the mayor")
    assert not speaker_matches("Mr. Smith", "Mr. Jones said")


def test_score_counts_speakers_only_for_named_sources():
    article = Article(
        "x",
        "",
        [
            GoldAttribution('"We will win"', "she", "said", True, True),
            GoldAttribution('"Taxes are too high"', "Tom Ruiz", "says", True, True),
        ],
    )
    scores = Scores()
    predictions = [Prediction("We will win", "Ann Lee", "direct"), Prediction("Taxes are too high", "Ruiz", "partial")]
    score(article, predictions, scores)
    assert (scores.matched, scores.speaker_pairs, scores.speaker_correct) == (2, 1, 1)
    assert scores.f1 == 1.0


def test_paragraph_starts_are_line_offsets():
    assert paragraph_starts("a\n\nb c\nd") == [0, 3, 7]


def test_evaluate_and_cli_on_a_tiny_split(nlp, tmp_path, capsys):  # nlp: load the model once
    root = _write_split(tmp_path / "train")
    results = evaluate(root)
    ours = results["ours"]
    assert ours is not None
    assert (ours.recall, ours.precision, ours.speaker_accuracy, ours.indirect_recall) == (1.0, 1.0, 1.0, 1.0)
    assert cli([str(root), "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "ours" in out and "textacy" in out
    assert cli([str(tmp_path / "missing")]) == 2


def test_archive_marks_make_double_apostrophe_quotes_direct(tmp_path):
    root = tmp_path / "train"
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    text = "''We will win,'' Mr. Lee said."
    (root / "text" / "x.txt").write_text(text, encoding="utf-8")
    (root / "attributions" / "x_a.ann").write_text(
        "T1\tContent 0 16\t...\nT2\tSource 17 24\tMr. Lee\nE1\tAttribution:T3 Content:T1 Source:T2\n",
        encoding="utf-8",
    )
    [literal] = load_articles(root)
    [archive] = load_articles(root, marks=ARCHIVE_MARKS)
    assert not literal.gold[0].direct
    assert (archive.gold[0].direct, archive.gold[0].pure) == (True, True)


def test_speaker_as_written_also_counts():
    article = Article("x", "", [GoldAttribution('"We will win"', "the Florida senator", "said", True, True)])
    scores = Scores()
    score(article, [Prediction("We will win", "Marco Rubio", "direct", "the Florida senator")], scores)
    assert (scores.speaker_pairs, scores.speaker_correct) == (1, 1)
    assert scores.speaker_canonical_correct == 0  # Marco Rubio shares no word with the source


def test_reported_speech_precision_counts_any_gold_and_speakers_on_reported_pairs():
    article = Article(
        "x",
        "",
        [
            GoldAttribution("the machines worked well all day", "Karen Holt", "said", False, False),
            GoldAttribution('that turnout was "the best ever" this year', "the clerk", "said", True, False),
        ],
    )
    scores = Scores()
    predictions = [
        Prediction("the machines worked well all day", "Tom Ruiz", "indirect"),  # right text, wrong speaker
        Prediction("the best ever", "the clerk", "indirect"),  # inside the mixed gold quote
        Prediction("the weather was cold", "Ann Lee", "indirect"),  # no gold at all
    ]
    score(article, predictions, scores)
    assert (scores.predicted_indirect, scores.precise_indirect) == (3, 2)
    assert scores.indirect_precision == 2 / 3
    assert (scores.matched_indirect, scores.indirect_speaker_pairs, scores.indirect_speaker_correct) == (1, 1, 0)
    assert scores.indirect_speaker_accuracy == 0.0


def test_cli_prints_reported_speech_precision(nlp, tmp_path, capsys):
    root = _write_split(tmp_path / "train")
    assert cli([str(root), "--cache", str(tmp_path / "cache")]) == 0
    first = capsys.readouterr().out
    assert "indirect P" in first and list((tmp_path / "cache").glob("*.spacy"))
    assert cli([str(root), "--cache", str(tmp_path / "cache")]) == 0  # read back from the cache
    assert capsys.readouterr().out == first
