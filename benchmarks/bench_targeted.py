"""Targeted-tone speed on real articles, one core: targets per CPU-second of each model.

    python benchmarks/bench_targeted.py              # 100 PolNeAR train texts
    python benchmarks/bench_targeted.py --n 3        # a smoke run

The articles are parsed and their mentions found as ingest does (``analysis.pipeline``); then
each model scores every article's mentions with ``predict_spans``, as ingest calls it, with one
BLAS thread (``threadpoolctl``), timed in CPU seconds. The parse is timed apart, so that the
table shows what the tone model adds to it. The goal (issue 4): at least 200 targets per second
on one core.
"""

from __future__ import annotations

import argparse
import time

from _common import machine, polnear_files, print_table

GOAL = 200  # targets per second on one core


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="PolNeAR train texts, the first N by name")
    args = parser.parse_args(argv)

    from threadpoolctl import threadpool_limits

    from analysis.clean import clean_article
    from analysis.decode import decode_bytes
    from analysis.entities import extract_entities
    from analysis.nlp import load_nlp
    from analysis.targeted import TONE_MODELS, load_targeted_model, tone_model_name

    texts = [clean_article(decode_bytes(p.read_bytes(), name=p.name), name=p.name).body for p in polnear_files(args.n)]
    nlp = load_nlp()
    with threadpool_limits(1):
        began = time.process_time()
        docs = list(nlp.pipe(texts, batch_size=32))
        parse_seconds = time.process_time() - began
        articles = []
        for doc in docs:
            sents = list(doc.sents)
            _, mentions = extract_entities(doc)
            articles.append([(sents[m.sentence], m.start, m.end) for m in mentions])
        targets = sum(len(items) for items in articles)
        sentences = sum(len({(s.start, s.end) for s, _, _ in items}) for items in articles)
        rows = []
        for kind in dict.fromkeys(tone_model_name(k) for k in TONE_MODELS):
            model = load_targeted_model(kind)
            model.predict_spans(articles[0][:1])  # load outside the timing
            began = time.process_time()
            for items in articles:
                model.predict_spans(items)
            seconds = time.process_time() - began
            rows.append(
                [kind, targets, sentences, round(seconds, 2), round(targets / seconds), round(seconds / parse_seconds, 2),
                 "met" if targets / seconds >= GOAL else "missed"]
            )
    print(", ".join(f"{k}: {v}" for k, v in machine().items()))
    print(f"{len(texts)} articles, parse {parse_seconds:.1f} CPU s on one core")
    print_table(["model", "targets", "sentences", "CPU s", "targets/s", "× parse", f"goal {GOAL}/s"], rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
