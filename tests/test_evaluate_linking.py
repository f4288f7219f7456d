"""`evaluate linking`: pairwise "same entity" over the annotated cross-article corpus."""

from __future__ import annotations

import json
import shutil

from analysis.cli import main
from analysis.evaluate.linking import DEFAULT_CORPUS, evaluate_linking


def test_annotated_corpus_links_across_articles_without_wrong_merges():
    report = evaluate_linking()
    assert report.articles >= 18 and report.mentions >= 90
    assert report.wrong_merges == []
    assert report.cross_article.precision == 1.0
    # linking adds what the corpus aggregate (one row per name as written) misses
    assert report.cross_article.recall > report.baseline_cross_article.recall + 0.3


def test_a_wrong_gold_shows_as_a_wrong_merge(tmp_path):
    """The scorer can fail: relabel one Cuomo as a third person and the link becomes a wrong merge."""
    corpus = tmp_path / "corpus"
    shutil.copytree(DEFAULT_CORPUS, corpus)
    path = corpus / "cuomo-2.json"
    article = json.loads(path.read_text(encoding="utf-8"))
    article["entities"]["Andrew Cuomo"] = "SOMEONE_ELSE"
    path.write_text(json.dumps(article), encoding="utf-8")
    report = evaluate_linking(corpus)
    assert any("SOMEONE_ELSE" in line for line in report.wrong_merges)
    assert report.all_pairs.precision < 1.0


def test_the_command_prints_the_pairs(capsys):
    assert main(["evaluate", "linking", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"all_pairs", "cross_article", "baseline_cross_article", "wrong_merges"} <= set(out)
