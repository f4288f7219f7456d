"""How outlets covered one story: the data behind each view of the Stories page.

``story_view(store, story_id)`` reads the story's articles once (headlines, entities, mentions,
sentences, quotes) and hands plain frames to one function per view, which pages and tests call
the same way:

- ``headline_table``: each outlet's headline, its framing verbs, and the words only it uses;
- ``entity_attention``: which entities each outlet names, and how often;
- ``shared_entity_tone``: targeted tone toward the entities several outlets name, per outlet,
  with ``tone_evidence`` (the sentences behind each value);
- ``speaker_table``: who each outlet quotes, and who only one outlet quotes.

Entity names are linked across the story's articles (``analysis/linking.py``): "Biden" in one
outlet and "Joe Biden" in another count as one entity. An article's outlet is its stored ``outlet`` (``analysis.outlets``); an article with none is
shown as "unknown outlet". Two articles of one outlet in a story count as that outlet once.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "UNKNOWN_OUTLET",
    "StoryView",
    "story_view",
    "headline_table",
    "entity_attention",
    "shared_entity_tone",
    "tone_evidence",
    "speaker_table",
]

UNKNOWN_OUTLET = "unknown outlet"
ONLY_HERE_WORDS = 8  # words shown per outlet in "only this outlet uses"
_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W\d_]|[^\W\d_]")


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story's articles and the frames its views are built from (one row per item)."""

    story_id: str
    articles: pd.DataFrame  # id, title, outlet, source, url, published, words, tone, body
    headlines: pd.DataFrame  # Store.headlines_frame of the articles
    entities: pd.DataFrame  # article_id, entity, label, count, target_tone
    mentions: pd.DataFrame  # article_id, entity, sentence, target_tone, text
    sentences: pd.DataFrame  # article_id, idx, text
    quotes: pd.DataFrame  # Store.quotes_frame of the articles


def _outlets(articles: pd.DataFrame) -> dict[str, str]:
    return {r.id: (r.outlet or UNKNOWN_OUTLET) for r in articles.itertuples(index=False)}


def story_view(store, story_id: str) -> StoryView | None:
    """Everything the Stories page shows of one story, read from ``store`` (None if unknown)."""
    articles = store.story_articles(story_id)
    if articles.empty:
        return None
    ids = articles["id"].tolist()
    rows = [store.article(i) for i in ids]
    articles = articles.assign(body=[(r or {}).get("body", "") for r in rows])
    entities, mentions, sentences = [], [], []
    for aid in ids:
        entities.append(store.entities_frame(aid, limit=10_000).assign(article_id=aid))
        mentions.append(store.mentions_frame(aid).assign(article_id=aid))
        sentences.append(store.sentences_frame(aid)[["idx", "text"]].assign(article_id=aid))
    link = _linker(store)
    return StoryView(
        story_id=story_id,
        articles=articles,
        headlines=store.headlines_frame(ids),
        entities=link(pd.concat(entities, ignore_index=True)),
        mentions=link(pd.concat(mentions, ignore_index=True)),
        sentences=pd.concat(sentences, ignore_index=True),
        quotes=store.quotes_frame(ids),
    )


def _linker(store):
    """A function renaming the ``entity`` and ``label`` of per-article rows to the entity they
    stand for across the corpus (``Store.entity_links``): "Biden" in one outlet's article and
    "Joe Biden" in another's are one entity of the story."""
    links = store.entity_links()
    corpus = {(r.variant, r.variant_label): (r.entity, r.label) for r in links.itertuples() if not r.article_id}
    local = {(r.article_id, r.variant, r.variant_label): (r.entity, r.label) for r in links.itertuples() if r.article_id}

    def link(frame: pd.DataFrame) -> pd.DataFrame:
        if frame.empty or not (corpus or local):
            return frame
        keys = zip(frame["article_id"], frame["entity"], frame["label"], strict=True)
        found = [local.get((a, n, lab)) or corpus.get((n, lab)) or (n, lab) for a, n, lab in keys]
        return frame.assign(entity=[f[0] for f in found], label=[f[1] for f in found])

    return link


def _words(text: str) -> list[str]:
    from spacy.lang.en.stop_words import STOP_WORDS  # here, not at import: it loads all of spaCy

    return [w for w in (m.group().lower() for m in _WORD.finditer(text or "")) if w not in STOP_WORDS and len(w) > 2]


def headline_table(view: StoryView) -> pd.DataFrame:
    """One row per article: outlet, published, headline, its framing verbs, and the content
    words of its headline and text that no other outlet's article in the story uses (most
    used first). Columns: article_id, outlet, published, headline, framing_verbs, only_here."""
    outlets = _outlets(view.articles)
    words_by_outlet: dict[str, Counter] = {}
    for r in view.articles.itertuples(index=False):
        words_by_outlet.setdefault(outlets[r.id], Counter()).update(_words(f"{r.title}\n{r.body}"))
    verbs = {}
    if not view.headlines.empty:
        titles = view.headlines[view.headlines["role"] == "title"]
        verbs = {r.article_id: list(r.framing_verbs) for r in titles.itertuples(index=False)}
    rows = []
    for r in view.articles.itertuples(index=False):
        outlet = outlets[r.id]
        others = set().union(*(set(c) for o, c in words_by_outlet.items() if o != outlet))
        own = Counter(_words(f"{r.title}\n{r.body}"))
        only = [w for w, _ in sorted(own.items(), key=lambda kv: (-kv[1], kv[0])) if w not in others]
        rows.append({
            "article_id": r.id, "outlet": outlet, "published": r.published, "headline": r.title,
            "framing_verbs": verbs.get(r.id, []),
            "only_here": only[:ONLY_HERE_WORDS] if len(words_by_outlet) > 1 else [],
        })  # fmt: skip
    return pd.DataFrame(rows, columns=["article_id", "outlet", "published", "headline", "framing_verbs", "only_here"])


def entity_attention(view: StoryView) -> pd.DataFrame:
    """Mentions of each entity per outlet. Columns: entity, label, outlet, count, outlets (how
    many outlets name it); most named first."""
    columns = ["entity", "label", "outlet", "count", "outlets"]
    if view.entities.empty:
        return pd.DataFrame(columns=columns)
    outlets = _outlets(view.articles)
    frame = view.entities.assign(outlet=view.entities["article_id"].map(outlets))
    counts = frame.groupby(["entity", "outlet"], as_index=False).agg(label=("label", "first"), count=("count", "sum"))
    counts["outlets"] = counts.groupby("entity")["outlet"].transform("nunique")
    total = counts.groupby("entity")["count"].transform("sum")
    counts = counts.assign(_total=total).sort_values(["_total", "entity", "outlet"], ascending=[False, True, True])
    return counts[columns].reset_index(drop=True)


def shared_entity_tone(view: StoryView, *, min_outlets: int = 2) -> pd.DataFrame:
    """Targeted tone toward the entities at least ``min_outlets`` outlets name, per outlet: the
    mean over that outlet's scored mentions. Columns: entity, outlet, tone, mentions."""
    columns = ["entity", "outlet", "tone", "mentions"]
    scored = _scored_mentions(view)
    if scored.empty:
        return pd.DataFrame(columns=columns)
    reach = scored.groupby("entity")["outlet"].nunique()
    shared = scored[scored["entity"].isin(reach[reach >= min_outlets].index)]
    out = shared.groupby(["entity", "outlet"], as_index=False).agg(
        tone=("target_tone", "mean"), mentions=("target_tone", "size")
    )
    order = shared.groupby("entity").size().sort_values(ascending=False, kind="stable").index
    out["entity"] = pd.Categorical(out["entity"], categories=list(order), ordered=True)
    return out.sort_values(["entity", "outlet"]).assign(entity=lambda f: f["entity"].astype(str))[columns].reset_index(drop=True)


def _scored_mentions(view: StoryView) -> pd.DataFrame:
    if view.mentions.empty:
        return pd.DataFrame(columns=["article_id", "entity", "sentence", "target_tone", "outlet"])
    scored = view.mentions[view.mentions["target_tone"].notna()]
    return scored.assign(outlet=scored["article_id"].map(_outlets(view.articles)))


def tone_evidence(view: StoryView, entity: str) -> pd.DataFrame:
    """The sentences behind ``shared_entity_tone`` for one entity: outlet, tone (toward the
    entity in that sentence), sentence; most negative first within an outlet."""
    columns = ["outlet", "tone", "sentence", "article_id"]
    scored = _scored_mentions(view)
    scored = scored[scored["entity"] == entity]
    if scored.empty:
        return pd.DataFrame(columns=columns)
    per_sentence = scored.groupby(["article_id", "outlet", "sentence"], as_index=False)["target_tone"].mean()
    texts = view.sentences.rename(columns={"idx": "sentence", "text": "sentence_text"})
    joined = per_sentence.merge(texts, on=["article_id", "sentence"], how="left")
    joined = joined.rename(columns={"target_tone": "tone"}).sort_values(["outlet", "tone", "sentence"])
    return joined.assign(sentence=joined["sentence_text"].fillna(""))[columns].reset_index(drop=True)


def speaker_table(view: StoryView) -> pd.DataFrame:
    """Who is quoted, by which outlets: speaker, label, role (the quotes' most common speaker
    role), quotes (count), per-outlet counts in ``by_outlet`` ({outlet: n}), outlets (how many),
    only_outlet (the one outlet quoting them, else ''). Most quoted first; quotes with no
    speaker found are left out."""
    columns = ["speaker", "label", "role", "quotes", "outlets", "only_outlet", "by_outlet"]
    quotes = view.quotes
    if quotes.empty:
        return pd.DataFrame(columns=columns)
    quotes = quotes[quotes["speaker"].fillna("").str.strip() != ""]
    quotes = quotes.assign(outlet=quotes["article_id"].map(_outlets(view.articles)))
    rows = []
    for speaker, group in quotes.groupby("speaker"):
        by_outlet = group["outlet"].value_counts().sort_index().to_dict()
        roles = group["role"].replace("", pd.NA).dropna() if "role" in group else pd.Series(dtype=str)
        rows.append({
            "speaker": speaker, "label": group["speaker_label"].mode().iat[0] if group["speaker_label"].notna().any() else "",
            "role": roles.mode().iat[0] if not roles.empty else "", "quotes": len(group),
            "outlets": len(by_outlet), "only_outlet": next(iter(by_outlet)) if len(by_outlet) == 1 else "",
            "by_outlet": {str(k): int(v) for k, v in by_outlet.items()},
        })  # fmt: skip
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["quotes", "speaker"], ascending=[False, True], kind="stable").reset_index(drop=True)
