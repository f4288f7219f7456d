"""What a cue is: the verbs (and "according to") that introduce speech, belief or a finding.

The verb frames come from the lexicon (``analysis.quotes.lexicon``, a versioned data file) and are
read once here; the other modules take them from this one. A cue is a verb whose lemma is a
reporting verb, or one with its particle ("pointed out"); ``_cue_text`` is the cue as written.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from analysis.quotes.lexicon import load_lexicon
from analysis.quotes.marks import _Marked, _tokens_in

__all__ = ["REPORTING_VERBS"]


_FRAMES = load_lexicon().frames  # the verb frames, a versioned data file (analysis/quotes/lexicon.py)
REPORTING_VERBS: frozenset[str] = _FRAMES.reporting_verbs
"""Lemmas of verbs that introduce speech, stated belief or a finding, in one place: every kind
of quote takes its cue from here; the sets below refine what complement each verb takes."""

_NAMING_VERBS = _FRAMES.naming_verbs  # frame a quoted phrase (``called it "…"``), not a clause
_INTENTION_VERBS = _FRAMES.intention_verbs  # content is an infinitive ("urged Israel to refrain")
# Stances and statements whose content is the object ("endorsed Donald Trump", "denied the
# allegations", "cited the report", "accused the mayor of fraud", "expressed frustration").
_STANCE_VERBS = _FRAMES.stance_verbs
# Reporting verbs whose object is not what was said: the listener ("told reporters"), the
# question, or another sense of the verb ("maintained a lead", "added five points", "found a job").
_NO_OBJECT_CONTENT = _FRAMES.no_object_content
# Verbs whose content can be an infinitive: intentions, and stances or statements that take
# one ("said to be…", "supported raising…"), but not "continued to", "proved to", "is known to".
_INFINITIVE_VERBS = (_INTENTION_VERBS | _STANCE_VERBS | REPORTING_VERBS) - _FRAMES.not_infinitive
_ARGUMENT_PREPOSITIONS = _FRAMES.argument_prepositions  # "accused her of lying", "blamed him for it"
_STATEMENT_NOUNS = _FRAMES.statement_nouns  # "his claim that …", "the decision to …"
_NOUN_PREPOSITIONS = _FRAMES.noun_prepositions  # "criticism of the deal"
_HEADLINE_LABELS = _FRAMES.headline_labels  # open a headline or a teaser line with a colon, not a speaker
_SOURCE_NOUNS = _FRAMES.source_phrase_nouns  # "in a statement, the campaign …", "in the latest poll, …"
_CHARACTERISING_VERBS = _FRAMES.characterising_verbs  # "described the plan as a disaster"
# Every verb whose object is a content.
_OBJECT_CONTENT_VERBS = _STANCE_VERBS | _CHARACTERISING_VERBS | (REPORTING_VERBS - _NO_OBJECT_CONTENT)
# Verbs whose content follows a preposition ("called for a ban", "referred to the report").
_STANCE_PREPOSITIONS = _FRAMES.stance_prepositions
_LIGHT_NOUNS = _FRAMES.light_nouns  # "made the case that", "cast doubt on": the object noun carries the cue
_STANCE_ADJECTIVES = _FRAMES.stance_adjectives  # "is confident that", "was critical of"
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
_LISTENER_VERBS = _FRAMES.listener_verbs  # the object is the listener ("…," she told Radio Nord)


def _is_cue(tok: Token) -> bool:
    if tok.pos_ != "VERB":
        return False
    lemma = _lemma(tok)
    particle = _PARTICLE_CUES.get(lemma)
    return lemma in REPORTING_VERBS or (
        particle is not None
        and any(c.lower_ == particle and (c.dep_ == "prt" or c.i == tok.i + 1) for c in tok.children)
    )


_PARTICLE_CUES = _FRAMES.particle_cues  # cues only with their particle ("pointed out", "shot back")


_MISLEMMATISED = {"hoping": "hope", "hoped": "hope", "hopes": "hope"}  # the model gives "hop"


def _lemma(tok: Token) -> str:
    """The verb's lemma, lower-cased, with the model's known slips corrected."""
    return _MISLEMMATISED.get(tok.lower_) or tok.lemma_.lower()


def _according_to(tok: Token) -> Token | None:
    """The source of ``according to X`` when ``tok`` is "according", else None."""
    if tok.lower_ != "according":
        return None
    for child in tok.children:
        if child.lower_ == "to":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return obj
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.lower_ == "to" and tok.i + 2 < len(tok.doc):
        return tok.doc[tok.i + 2]
    return None


def _verb_chain(verb: Token) -> list[Token]:
    """``verb`` and the verbs it hangs from as a conjunct, complement or adverbial clause
    ("she emailed him, thanking him and adding …"), whose subject it shares."""
    chain = [verb]
    v = verb
    for _ in range(3):
        if v.dep_ in ("conj", "xcomp", "advcl") and v.head is not v:
            v = v.head
        elif v.dep_ == "ccomp" and _says_what_it_is(v) and v.head.pos_ in ("VERB", "AUX"):
            v = v.head  # "said it was “premature”, adding …": the speaker is who said so
        elif v.dep_ == "pcomp" and v.head.lower_ in _SHARED_SUBJECT_PREPOSITIONS and v.head.head.pos_ == "VERB":
            v = v.head.head  # "Lee ended by saying …", "after saying …": Lee's
        elif v.dep_ == "ccomp" and len(chain) >= 2 and _added(chain[0]) and _is_cue(v.head) and v.head.i < v.i:
            del chain[1:]  # "Lee said the plan was late, adding, …": Lee adds, not the plan
            v = v.head  # (also from deeper: "said Ruiz will have to choose, saying …")
        elif v.dep_ == "acl" and v.tag_ == "VBG" and v.head.dep_ in ("dobj", "pobj"):
            noun = v.head  # "put out a statement saying …": whoever put it out
            v = noun.head if noun.dep_ == "dobj" else noun.head.head
            if v.pos_ not in ("VERB", "AUX"):
                break
        else:
            break
        chain.append(v)
    return chain


_SHARED_SUBJECT_PREPOSITIONS = frozenset({"by", "after", "before", "while", "without"})
"""Prepositions whose -ing clause shares the subject of the verb it hangs from ("ended by
saying"), unlike "for" ("mocked Lee for calling himself …": Lee calls)."""


def _added(verb: Token) -> bool:
    """A participle cue closing a sentence ("…, adding", "…, saying") or a conjoined "added"
    ("… but added"): the parser hangs it from the nearest verb, often inside what the sentence's
    own cue reports."""
    if verb.dep_ == "conj":
        return _lemma(verb) == "add"
    return verb.dep_ == "advcl" and verb.tag_ == "VBG" and _is_cue(verb)


def _says_what_it_is(verb: Token) -> bool:
    """``verb`` is "be" with "it" for subject and a predicate ("it was “premature”", "it's
    unrealistic to think …"): the content of a report, never a speech act of its own."""
    return (
        _lemma(verb) == "be"
        and any(c.dep_ in ("acomp", "attr") for c in verb.children)
        and any(c.dep_ in _SUBJECT_DEPS and c.lower_ == "it" for c in verb.children)
    )


def _cue_text(verb: Token) -> str:
    """The cue as written: the verb with its particle ("pointed out")."""
    particle = _PARTICLE_CUES.get(_lemma(verb))
    parts = [verb] + [c for c in verb.children if c.dep_ == "prt" or (c.lower_ == particle and c.i == verb.i + 1)]
    return " ".join(t.text for t in sorted(parts, key=lambda t: t.i))


def _governing_cue(doc: Doc, m: _Marked) -> tuple[Token | None, Token | None, Token | None]:
    """(first verb governing a quoted phrase, first reporting verb up its head chain, the
    outermost reporting verb of that chain): the phrase belongs to whoever reports the whole
    clause, unless a naming verb frames it ("said Clinton called him "a liar"": Clinton's)."""
    toks = _tokens_in(doc, m.start, m.end)
    if not toks:
        return None, None, None
    tok = toks[0]
    for t in toks:  # the phrase's own head: the token whose head lies outside
        if not (m.start <= t.head.idx < m.end) or t.head is t:
            tok = t
            break
    verb, cue, outer = None, None, None
    node = tok
    for _ in range(12):
        if node.idx < m.start or node.idx >= m.end:
            if node.pos_ in ("VERB", "AUX") and verb is None:
                verb = node
            if _is_cue(node):
                if cue is None:
                    cue = outer = node
                elif outer is not None and (_lemma(outer) not in _NAMING_VERBS or _reports(node, outer)):
                    outer = node  # "Trump said he believes it is "a mistake"": Trump's words
        if node.head is node:
            break
        node = node.head
    return verb, cue, outer


def _reports(cue: Token, named: Token) -> bool:
    """``named`` heads the clause that ``cue`` reports ("Lee said Ruiz called it …": the
    naming is Lee's account, so the phrase comes to the article through Lee); not a
    participle, infinitive or conjunct beside it ("… and Ruiz calling it …")."""
    return named.dep_ == "ccomp" and named.head.i == cue.i


def _has_clause(verb: Token) -> bool:
    return any(c.dep_ == "ccomp" for c in verb.children)


def _passive_content(verb: Token) -> Token | None:
    """The subject of a passive cue whose subject is what was said or judged ("The plan is
    expected to fail", "Lee is seen as the favourite"), else None."""
    if _lemma(verb) not in _FRAMES.passive_verbs or verb.tag_ != "VBN":
        return None
    subjects = [c for c in verb.children if c.dep_ == "nsubjpass" and c.lower_ != "it" and c.tag_ not in ("WP", "WDT")]
    return subjects[0] if subjects else None


def _negated(cue: Token) -> bool:
    """Negated or withheld speech: "did not say", "declined to comment on", "would not
    elaborate", "refused to confirm"; the cue's own negation or a refusal governing it."""
    lex = load_lexicon()
    if any(c.dep_ == "neg" for c in cue.children):
        return True
    if cue.pos_ == "ADJ" and any(c.dep_ == "neg" for c in cue.head.children):
        return True  # "was not confident that …"
    if cue.dep_ == "xcomp" and _lemma(cue.head) in lex.refusal_verbs:
        return True
    if _lemma(cue) in lex.refusal_verbs:
        xcomp = next((c for c in cue.children if c.dep_ == "xcomp"), None)
        return xcomp is not None and _lemma(xcomp) in lex.withheld_speech
    return False
