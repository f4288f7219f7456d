"""The corpus by outlet: who each outlet quotes, and where each outlet's attention goes.

Both views read one grouped query of the store (``Store.quoted_by_outlet``,
``Store.attention_by_outlet``: the counting and the outlet and date filters run in SQL), so
they cost the same at 10 articles or 10,000; here the rows are only shaped for the charts and
tables. An article with no outlet counts under "unknown outlet".

>>> rows = pd.DataFrame({"outlet": ["A", "B", "A"], "speaker": ["Ann", "Ann", "Bo"],
...     "role": ["official", "official", ""], "speaker_label": ["PERSON"] * 3,
...     "quotes": [2, 1, 1], "articles": [1, 1, 1]})
>>> sources_by_outlet(rows)[["speaker", "quotes", "outlets", "only_outlet"]].values.tolist()
[['Ann', 3, 2, ''], ['Bo', 1, 1, 'A']]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.coverage import UNKNOWN_OUTLET

__all__ = ["sources_by_outlet", "sources_long", "attention_shares"]

SOURCE_COLUMNS = ["speaker", "label", "role", "quotes", "outlets", "only_outlet", "by_outlet"]
LONG_COLUMNS = ["outlet", "speaker", "role", "quotes", "articles", "outlets_quoting", "only_this_outlet"]
ATTENTION_COLUMNS = ["outlet", "entity", "label", "mentions", "share", "articles", "outlet_mentions", "outlet_articles"]


def _named(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.assign(outlet=rows["outlet"].fillna("").replace("", UNKNOWN_OUTLET), role=rows["role"].fillna(""))


def sources_by_outlet(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per speaker, most quoted first: label and role (those of their most quoted rows),
    quotes (all outlets), outlets (how many quote them), only_outlet (the one outlet quoting
    them, else '') and by_outlet ({outlet: quotes}), the shape ``speakers_by_outlet_chart`` draws.
    Grouped, not looped per speaker: a corpus has tens of thousands of speakers."""
    if rows.empty:
        return pd.DataFrame(columns=SOURCE_COLUMNS)
    rows = _named(rows)
    pairs = rows.groupby(["speaker", "outlet"], as_index=False)["quotes"].sum().sort_values(["speaker", "outlet"])
    by_outlet: dict[str, dict[str, int]] = {}
    for speaker, outlet, n in pairs.itertuples(index=False):
        by_outlet.setdefault(speaker, {})[outlet] = int(n)
    totals = pairs.groupby("speaker").agg(quotes=("quotes", "sum"), outlets=("outlet", "nunique"), first=("outlet", "first"))
    ranked = rows.sort_values(["quotes", "outlet"], ascending=[False, True], kind="stable")
    label = ranked.dropna(subset=["speaker_label"]).drop_duplicates("speaker").set_index("speaker")["speaker_label"]
    role = ranked[ranked["role"] != ""].groupby(["speaker", "role"], sort=False)["quotes"].sum()
    role = role.reset_index().sort_values("quotes", ascending=False, kind="stable").drop_duplicates("speaker")
    frame = pd.DataFrame({
        "speaker": totals.index,
        "label": label.reindex(totals.index).fillna("").to_numpy(),
        "role": role.set_index("speaker")["role"].reindex(totals.index).fillna("").to_numpy(),
        "quotes": totals["quotes"].astype(int).to_numpy(),
        "outlets": totals["outlets"].astype(int).to_numpy(),
        "only_outlet": np.where(totals["outlets"] == 1, totals["first"], ""),
        "by_outlet": [by_outlet[s] for s in totals.index],
    })  # fmt: skip
    return frame.sort_values(["quotes", "speaker"], ascending=[False, True], kind="stable").reset_index(drop=True)


def sources_long(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per outlet and speaker (roles summed; the most frequent kept), for the table and
    its export: quotes, articles, outlets_quoting (how many outlets quote this speaker) and
    only_this_outlet. Outlet by outlet, most quoted first."""
    if rows.empty:
        return pd.DataFrame(columns=LONG_COLUMNS)
    rows = _named(rows)
    role = (
        rows[rows["role"] != ""].sort_values("quotes", ascending=False, kind="stable")
        .drop_duplicates(["outlet", "speaker"]).set_index(["outlet", "speaker"])["role"]
    )  # fmt: skip
    out = rows.groupby(["outlet", "speaker"], as_index=False).agg(quotes=("quotes", "sum"), articles=("articles", "sum"))
    out["role"] = [role.get((o, s), "") for o, s in zip(out["outlet"], out["speaker"], strict=True)]
    out["outlets_quoting"] = out.groupby("speaker")["outlet"].transform("nunique")
    out["only_this_outlet"] = out["outlets_quoting"] == 1
    out = out.sort_values(["outlet", "quotes", "speaker"], ascending=[True, False, True], kind="stable")
    return out[LONG_COLUMNS].reset_index(drop=True)


def attention_shares(rows: pd.DataFrame) -> pd.DataFrame:
    """Each outlet's mentions of each entity as a share of all that outlet's entity mentions
    (0..1), with the counts behind it. Columns: ``ATTENTION_COLUMNS``."""
    if rows.empty:
        return pd.DataFrame(columns=ATTENTION_COLUMNS)
    rows = rows.assign(outlet=rows["outlet"].fillna("").replace("", UNKNOWN_OUTLET))
    total = rows["outlet_mentions"].astype(float)
    rows["share"] = np.where(total > 0, rows["mentions"] / total.clip(lower=1), 0.0)
    return rows.sort_values(["outlet", "share", "entity"], ascending=[True, False, True], kind="stable")[
        ATTENTION_COLUMNS
    ].reset_index(drop=True)
