"""Coverage of chosen entities across the corpus: by outlet, and over time split by outlet.

Both views read ``Store.entity_coverage`` (one row per article naming an entity: outlet,
published, mentions, and the targeted tone summed over its scored mentions) and aggregate it,
so they cost one indexed query whatever the corpus size.

The time axis picks its bucket from the span of the dates: days up to 120 days, weeks up to
three years, months beyond, so a chart stays readable from one article to 100,000. Articles with
no readable date are counted apart (``undated``), never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.coverage import UNKNOWN_OUTLET
from analysis.stories import article_day

__all__ = ["Timeline", "bucket_for", "outlet_summary", "entity_timeline", "as_linked"]

BUCKETS = {"day": "D", "week": "W-MON", "month": "MS"}


def as_linked(names: list[str], links: pd.DataFrame) -> list[str]:
    """``names`` (from a URL) as the linked entities they stand for across the corpus
    (``Store.entity_links``), so a link naming "Biden" still opens "Joe Biden". Order kept,
    duplicates dropped.

    >>> links = pd.DataFrame({"entity": ["Joe Biden"], "variant": ["Biden"], "article_id": [""]})
    >>> as_linked(["Biden", "DHS", "Joe Biden"], links)
    ['Joe Biden', 'DHS']
    """
    corpus = links[links["article_id"] == ""] if len(links) else links
    entity_of = dict(zip(corpus["variant"], corpus["entity"], strict=True)) if len(corpus) else {}
    return list(dict.fromkeys(entity_of.get(n, n) for n in names))


def bucket_for(first: pd.Timestamp, last: pd.Timestamp) -> str:
    """'day', 'week' or 'month': the finest bucket that keeps a chart under ~160 points."""
    span = (last - first).days
    return "day" if span <= 120 else "week" if span <= 3 * 365 else "month"


def _with_dates(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows with ``date`` (naive UTC; NaT when unreadable): ISO dates parsed at once, any other
    format one distinct string at a time (``stories.article_day``)."""
    published = rows["published"].fillna("").astype(str)
    date = pd.to_datetime(published, errors="coerce", utc=True, format="ISO8601").dt.tz_localize(None)
    odd = published[date.isna() & (published.str.strip() != "")].unique()
    if len(odd):
        days = {p: article_day(p) for p in odd}
        parsed = pd.to_datetime(published.map(days).astype(float), unit="D", errors="coerce")
        date = date.fillna(parsed)
    return rows.assign(date=date, outlet=rows["outlet"].replace("", UNKNOWN_OUTLET))


def outlet_summary(rows: pd.DataFrame, *, since: str = "", until: str = "") -> pd.DataFrame:
    """Per entity and outlet: articles, mentions, tone (mean targeted tone over scored mentions)
    and scored (how many mentions the tone averages). Most mentions first."""
    columns = ["entity", "outlet", "articles", "mentions", "tone", "scored"]
    rows = _in_range(_with_dates(rows), since, until) if len(rows) else rows
    if rows.empty:
        return pd.DataFrame(columns=columns)
    out = rows.groupby(["entity", "outlet"], as_index=False).agg(
        articles=("article_id", "nunique"), mentions=("mentions", "sum"),
        tone_sum=("tone_sum", "sum"), scored=("tone_n", "sum"),
    )  # fmt: skip
    out["tone"] = np.where(out["scored"] > 0, out["tone_sum"] / out["scored"].clip(lower=1), np.nan)
    return out.sort_values(["mentions", "entity", "outlet"], ascending=[False, True, True])[columns].reset_index(drop=True)


def _in_range(rows: pd.DataFrame, since: str, until: str) -> pd.DataFrame:
    if since:
        rows = rows[rows["date"].isna() | (rows["date"] >= pd.Timestamp(since))]
    if until:
        rows = rows[rows["date"].isna() | (rows["date"] < pd.Timestamp(until) + pd.Timedelta(days=1))]
    return rows


@dataclass(frozen=True, slots=True)
class Timeline:
    """Per bucket, entity and outlet: articles, mentions, tone, scored; the bucket used, and
    how many article rows had no readable date."""

    frame: pd.DataFrame  # period (Timestamp), entity, outlet, articles, mentions, tone, scored
    bucket: str
    undated: int


def entity_timeline(rows: pd.DataFrame, *, bucket: str = "", since: str = "", until: str = "") -> Timeline:
    """Mentions of and tone toward each entity per day/week/month and outlet (``bucket`` ''
    chooses from the span, see ``bucket_for``)."""
    columns = ["period", "entity", "outlet", "articles", "mentions", "tone", "scored"]
    if rows.empty:
        return Timeline(pd.DataFrame(columns=columns), bucket or "day", 0)
    dated = _with_dates(rows)
    undated = int(dated["date"].isna().sum())
    dated = _in_range(dated[dated["date"].notna()], since, until)
    if dated.empty:
        return Timeline(pd.DataFrame(columns=columns), bucket or "day", undated)
    if bucket not in BUCKETS:
        bucket = bucket_for(dated["date"].min(), dated["date"].max())
    period = dated["date"].dt.to_period({"day": "D", "week": "W-SUN", "month": "M"}[bucket]).dt.start_time
    out = dated.assign(period=period).groupby(["period", "entity", "outlet"], as_index=False).agg(
        articles=("article_id", "nunique"), mentions=("mentions", "sum"),
        tone_sum=("tone_sum", "sum"), scored=("tone_n", "sum"),
    )  # fmt: skip
    out["tone"] = np.where(out["scored"] > 0, out["tone_sum"] / out["scored"].clip(lower=1), np.nan)
    return Timeline(out[columns].reset_index(drop=True), bucket, undated)
