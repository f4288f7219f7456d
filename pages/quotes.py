"""Quotes: who is quoted, how (direct, partial, indirect), and in what tone, in one article or
across the corpus (``scope=corpus``: outlet and date filters too); filters live in the URL."""

import streamlit as st

from analysis.figures import MEASURES, quotes_per_speaker_chart, speaker_tone_chart
from analysis.model import QUOTE_KINDS
from analysis.quotes import ROLES, shown_confidences
from pages._shared import (
    CONFIDENCE,
    KIND,
    QUERY,
    QUOTE,
    ROLE,
    SCOPE,
    SPEAKER,
    TONE,
    accuracy_note,
    corpus_scope,
    drop_param,
    highlight_html,
    init_state,
    load,
    md,
    require_article,
    scope_caption,
    share_link,
    show_text,
    url_list,
    url_value,
    url_widget,
)

ALL_KINDS = "all kinds"
FULL_RANGE = (-1.0, 1.0)
ALL_CONFIDENCE = "all"
SCOPES = {"article": "This article", "corpus": "Whole corpus"}
CORPUS_LIMIT = 5000  # corpus quotes shown (newest articles first)
SPEAKER_CHOICES = 1000  # most quoted speakers offered in the corpus speaker filter
SHOWN = ["idx", "speaker", "text", "role", "kind", "cue", "confidence", "negated", "tone", "paragraph"]  # who, then what
CORPUS_SHOWN = ["published", "outlet", "speaker", "text", "role", "kind", "confidence", "tone", "article_title"]
EXPORTED = [
    "article_id", "article_title", "outlet", "published", "url", "idx", "text", "speaker", "speaker_text", "role", "kind", "cue", "confidence", "rule",
    "speaker_rule", "negated", "tone", "polarity", "subjectivity", "vader", "paragraph", "sentence",
    "start", "end",
]  # fmt: skip


def parse_range(raw: str) -> tuple[float, float]:
    """``"-0.5,0.5"`` → (-0.5, 0.5), clipped to [-1, 1]; anything unreadable → the full range."""
    try:
        low, high = sorted(max(-1.0, min(1.0, float(x))) for x in raw.split(","))
    except ValueError:
        return FULL_RANGE
    return low, high


def encode_range(value: tuple[float, float]) -> str:
    return "" if tuple(value) == FULL_RANGE else f"{value[0]:.2f},{value[1]:.2f}"


ids = init_state()
corpus = url_value(SCOPE) == "corpus"
st.title("Quotes")
st.segmented_control(
    "Scope", list(SCOPES), format_func=SCOPES.get, required=True,
    **url_widget(SCOPE, "corpus" if corpus else "article", encode=lambda s: "corpus" if s == "corpus" else ""),
)  # fmt: skip
if corpus:
    article_id, scope = None, corpus_scope()
    speakers_here = load("speakers", scope=scope, limit=SPEAKER_CHOICES)
    speakers = url_list(SPEAKER)  # a speaker beyond the most quoted still filters (and is offered)
    speakers_here = [*speakers_here, *(s for s in speakers if s not in speakers_here)]
else:
    article = require_article(ids)
    article_id, scope = article["id"], None
    show_text(article["title"], tag="p", style="font-weight:600;margin-top:-0.5rem")
    speakers_here = load("speakers", [article_id])
    speakers = url_list(SPEAKER)
    stale = [s for s in speakers if s not in speakers_here]
    if stale:
        st.warning(
            f"Not quoted in this article: {', '.join(map(md, stale))}. That speaker filter is ignored; "
            "choose from the speakers below.",
            icon=":material/person_off:",
        )
        speakers = [s for s in speakers if s in speakers_here]

# -- filters, read from the URL ---------------------------------------------------------------
kind = url_value(KIND) or ALL_KINDS
if kind not in QUOTE_KINDS and kind != ALL_KINDS:
    st.warning(f"Unknown quote kind {md(kind)}; showing {ALL_KINDS}.", icon=":material/help:")
    kind = ALL_KINDS
text = url_value(QUERY)
tone_range = parse_range(url_value(TONE, "-1,1"))
roles = [r for r in url_list(ROLE) if r in ROLES]
unknown_roles = [r for r in url_list(ROLE) if r not in ROLES]
if unknown_roles:
    st.warning(
        f"Unknown speaker role {', '.join(map(md, unknown_roles))}; roles are {', '.join(ROLES)}.",
        icon=":material/help:",
    )
show_all = url_value(CONFIDENCE) == ALL_CONFIDENCE

with st.container(border=True):
    left, right = st.columns([3, 2])
    left.multiselect(
        "Speakers", speakers_here, placeholder="All speakers",
        **url_widget(SPEAKER, speakers, encode=list),
    )  # fmt: skip
    right.selectbox(
        "Kind",
        [ALL_KINDS, *QUOTE_KINDS],
        **url_widget(KIND, kind, encode=lambda k: "" if k == ALL_KINDS else k),
    )
    left.text_input("Search the quotes", placeholder="a word or phrase", **url_widget(QUERY, text))
    right.slider(
        "Tone range", -1.0, 1.0, step=0.05, **url_widget(TONE, tone_range, encode=encode_range)
    )
    left.multiselect(
        "Speaker roles", ROLES, placeholder="All roles", **url_widget(ROLE, roles, encode=list)
    )
    right.toggle(
        "Show low-confidence and negated quotes",
        help="Hidden by default: quotes the classifier scores below its threshold ("
        + ", ".join(f"{kind} {floor:.2f}" for kind, floor in shown_confidences().items())
        + "), and negated speech (“did not say”, “declined to comment”).",
        **url_widget(CONFIDENCE, show_all, encode=lambda on: ALL_CONFIDENCE if on else ""),
    )

quotes = load(
    "quotes_frame",
    [article_id] if article_id else None,
    speakers=speakers,
    kinds=[] if kind == ALL_KINDS else [kind],
    text=text,
    tone_range=None if tone_range == FULL_RANGE else tone_range,
    roles=roles,
    min_confidence=0.0 if show_all else shown_confidences(),
    statements_only=not show_all,
    **({"scope": scope, "limit": CORPUS_LIMIT} if corpus else {}),
)
hidden = "" if show_all else " (low-confidence and negated quotes hidden: confidence=all shows them)"
if corpus:
    more = f", the newest {CORPUS_LIMIT:,} shown" if len(quotes) == CORPUS_LIMIT else ""
    st.caption(f"{len(quotes):,} quotes match{more}, from {scope_caption(scope)}{hidden}.")
else:
    st.caption(f"{len(quotes)} of {article['n_quotes']} quotes match{hidden}.")
st.dataframe(
    quotes[CORPUS_SHOWN if corpus else SHOWN],
    hide_index=True,
    width="stretch",
    column_config={
        "idx": st.column_config.NumberColumn("#", width="small"),
        "speaker": st.column_config.TextColumn(width="medium"),
        "role": st.column_config.TextColumn(width="small", help="the speaker's role in the article"),
        "kind": st.column_config.TextColumn(width="small"),
        "cue": st.column_config.TextColumn(width="small"),
        "confidence": st.column_config.ProgressColumn(
            min_value=0.0, max_value=1.0, format="%.2f", width="small",
            help="the candidate classifier's probability that this is a real attribution",
        ),
        "negated": st.column_config.CheckboxColumn(
            "not said", width="small", help="negated or withheld speech: “did not say”, “declined to comment”"
        ),
        "tone": st.column_config.NumberColumn(
            format="%+.2f", width="small", help=MEASURES["tone"].help
        ),
        "paragraph": st.column_config.NumberColumn(
            "¶", width="small", help="paragraph (0 = the first)"
        ),
        "text": st.column_config.TextColumn("quote", width="large"),
        "published": st.column_config.TextColumn(width="small"),
        "outlet": st.column_config.TextColumn(width="small"),
        "article_title": st.column_config.TextColumn("article", width="medium"),
    },
)
st.download_button(
    "Download these quotes (CSV)",
    quotes[EXPORTED].to_csv(index=False).encode("utf-8"),
    file_name=f"quotes_{article_id or 'corpus'}.csv",
    mime="text/csv",
    icon=":material/download:",
)

# -- one quote in its paragraph -----------------------------------------------------------------
chosen = url_value(QUOTE)
options = [] if corpus else quotes["idx"].tolist()
labels = {row.idx: f"#{row.idx} {row.speaker}: {row.text[:80]}" for row in quotes.itertuples()}
if chosen and (not chosen.isdigit() or int(chosen) not in options):
    st.info(
        f"Quote #{md(chosen)} is not among the quotes shown; pick one below.",
        icon=":material/info:",
    )
    drop_param(QUOTE)
    chosen = ""
if corpus:
    drop_param(QUOTE)  # a quote index names a quote of one article
if options:
    st.selectbox(
        "Show a quote in its paragraph", [None, *options], placeholder="Pick a quote",
        format_func=lambda i: "—" if i is None else labels[i],
        **url_widget(QUOTE, int(chosen) if chosen else None, encode=lambda i: "" if i is None else str(i)),
    )  # fmt: skip
    if chosen:
        quote = quotes[quotes["idx"] == int(chosen)].iloc[0]
        paragraphs = load("paragraphs_frame", article_id)
        paragraph = paragraphs[paragraphs["idx"] == quote["paragraph"]].iloc[0]
        st.html(
            highlight_html(
                paragraph["text"],
                [(quote["start"], quote["end"], "focus")],
                offset=paragraph["start"],
            )
        )
        show_text(
            f"Speaker: {quote['speaker']} · role: {quote['role'] or 'not said'} · cue: “{quote['cue']}” "
            f"· kind: {quote['kind']}",
            style="color:#555",
        )
        show_text(
            f"Confidence {quote['confidence']:.2f} · found by rule “{quote['rule']}” · speaker "
            f"chosen by “{quote['speaker_rule']}”" + (" · negated or withheld speech" if quote["negated"] else ""),
            style="color:#555",
        )

# -- charts ------------------------------------------------------------------------------------
st.plotly_chart(quotes_per_speaker_chart(quotes), width="stretch", key="quotes_per_speaker")
st.plotly_chart(speaker_tone_chart(quotes), width="stretch", key="speaker_tone")
accuracy_note()
share_link()
