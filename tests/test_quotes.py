"""Quote extraction: every form of quote, speakers, offsets, and the seed article's two quotes."""

from __future__ import annotations

import pytest

from analysis.model import Mention
from analysis.quotes import REPORTING_VERBS, extract_quotes, mentions_from_ents


def _quotes(nlp, *paragraphs: str, mentions: list[Mention] | None = None):
    doc = nlp("\n\n".join(paragraphs))
    return doc, extract_quotes(doc, mentions)


def _one(quotes, kind: str):
    found = [q for q in quotes if q.kind == kind]
    assert len(found) == 1, quotes
    return found[0]


def test_quote_after_attribution_with_comma(nlp):
    doc, quotes = _quotes(nlp, 'Mayor Anna Reyes said, "We will rebuild the bridge before winter."')
    q = _one(quotes, "direct")
    assert q.text == "We will rebuild the bridge before winter."
    assert q.speaker == "Anna Reyes"
    assert q.cue == "said"
    assert doc.text[q.start : q.end] == q.text


def test_colon_introduced_quote(nlp):
    _, quotes = _quotes(nlp, 'The minister, Paul Okafor, told reporters: "The budget is balanced and final."')
    q = _one(quotes, "direct")
    assert q.speaker == "Paul Okafor"
    assert q.cue == "told"


def test_split_quote_is_joined_around_its_attribution(nlp):
    doc, quotes = _quotes(
        nlp,
        'Marta Kowalczyk visited the camp on Monday.',
        '"We heard them," she said, "and we will not leave them behind."',
    )
    q = _one(quotes, "direct")
    assert q.text == "We heard them … and we will not leave them behind."  # "…": the attribution was cut
    assert q.speaker == "Marta Kowalczyk"
    assert q.speaker_text == "she"
    assert doc.text[q.start : q.end].startswith("We heard them")
    assert doc.text[q.start : q.end].endswith("leave them behind.")
    assert q.paragraph == 1


def test_multi_sentence_quote_with_inverted_attribution(nlp):
    text = (
        "“The talks are slow. Nobody wants to move first. We expect a deal by spring,” "
        "said Daniel Brooks, the chief negotiator."
    )
    doc, quotes = _quotes(nlp, text)
    q = _one(quotes, "direct")
    assert q.text.startswith("The talks are slow.") and q.text.endswith("by spring")
    assert q.speaker == "Daniel Brooks"
    assert q.sentence == 0


def test_quote_continues_into_next_paragraph(nlp):
    _, quotes = _quotes(
        nlp,
        'Governor Lisa Tran said: "The storm destroyed four hundred homes in one night.',
        '"We will need federal help to rebuild them all."',
    )
    direct = [q for q in quotes if q.kind == "direct"]
    assert len(direct) == 1
    assert direct[0].text.endswith("rebuild them all.")
    assert direct[0].speaker == "Lisa Tran"


def test_unattributed_quote_paragraph_takes_previous_speaker(nlp):
    # a paragraph of nothing but a quote after an attributed one: the same speaker goes on, and
    # the quote goes on too (one quote over both paragraphs, as when a quote is left open)
    text_1 = '"The river is rising faster than last year," said Tom Becker, the fire chief.'
    text_2 = '"Everyone on the east bank should leave tonight."'
    _, quotes = _quotes(nlp, text_1, text_2)
    q = _one(quotes, "direct")
    assert q.speaker == "Tom Becker"
    assert q.text == "The river is rising faster than last year … Everyone on the east bank should leave tonight."
    assert (q.paragraph, q.end) == (0, len(text_1) + 2 + len(text_2) - 1)
    # with narration of its own the quote stands alone, still the previous speaker's
    _, quotes = _quotes(nlp, text_1, text_2 + " The water reached the old bridge at noon.")
    direct = [q for q in quotes if q.kind == "direct"]
    assert [q.speaker for q in direct] == ["Tom Becker", "Tom Becker"]
    assert direct[1].paragraph == 1


def test_partial_quote_speaker_is_the_subject(nlp):
    _, quotes = _quotes(
        nlp, 'Ruth Adler, a councillor, called the new park "the best thing this city has done" in years.'
    )
    q = _one(quotes, "partial")
    assert q.text == "the best thing this city has done"
    assert q.speaker == "Ruth Adler"
    assert q.cue == "called"


@pytest.mark.parametrize(
    ("sentence", "cue", "reported"),
    [
        ("Jonas Weber said that the factory would close in March.", "said", "the factory would close"),
        ("Jonas Weber told reporters the factory would close in March.", "told", "the factory would close"),
        ("According to Jonas Weber, the factory will close in March.", "according to", "the factory will close"),
        ("The factory will close in March, according to Jonas Weber.", "according to", "The factory will close"),
        ("Jonas Weber warned that the factory would close in March.", "warned", "the factory would close"),
        ("The factory will close in March, Jonas Weber said.", "said", "The factory will close"),
    ],
)
def test_reported_speech(nlp, sentence, cue, reported):
    _, quotes = _quotes(nlp, sentence)
    q = _one(quotes, "indirect")
    assert q.cue == cue
    assert reported in q.text
    assert q.speaker == "Jonas Weber"


def test_pronoun_resolves_to_the_earlier_person_through_mentions(nlp):
    text = "Kowalczyk said the camp was full. She added that more tents were coming."
    doc = nlp(text)
    start = text.index("Kowalczyk")
    mentions = [Mention("Marta Kowalczyk", "PERSON", "Kowalczyk", 0, start, start + 9)]
    quotes = [q for q in extract_quotes(doc, mentions) if q.kind == "indirect"]
    assert [q.speaker for q in quotes] == ["Marta Kowalczyk", "Marta Kowalczyk"]
    assert quotes[1].cue == "added"
    assert quotes[1].speaker_text == "She"
    assert quotes[1].speaker_label == "PERSON"


def test_the_company_resolves_to_the_earlier_organisation(nlp):
    text = "Shares of Nordwind Energy fell on Tuesday. The company said that profits would recover next year."
    doc = nlp(text)
    start = text.index("Nordwind")
    mentions = [Mention("Nordwind Energy", "ORG", "Nordwind Energy", 0, start, start + 15)]
    q = _one(extract_quotes(doc, mentions), "indirect")
    assert q.speaker == "Nordwind Energy"
    assert q.speaker_text == "The company"


def test_unnamed_source_kept_as_written(nlp):
    _, quotes = _quotes(nlp, '"No deal is close," said a source familiar with the negotiations.')
    q = _one(quotes, "direct")
    assert q.speaker == "a source familiar with the negotiations"
    assert q.speaker_label == ""


def test_scare_quotes_and_titles_are_not_quotes(nlp):
    _, quotes = _quotes(
        nlp,
        'The so-called "reform" was debated after the screening of "The Long Road Home" on Friday.',
    )
    assert [q for q in quotes if q.kind != "indirect"] == []


def test_straight_and_curly_marks_give_the_same_quote(nlp):
    _, straight = _quotes(nlp, 'Ivan Petrov said, "The harvest was the best in a decade."')
    _, curly = _quotes(nlp, "Ivan Petrov said, “The harvest was the best in a decade.”")
    assert [(q.text, q.speaker) for q in straight] == [(q.text, q.speaker) for q in curly]


def test_single_curly_quote_when_clearly_speech(nlp):
    _, quotes = _quotes(nlp, "Ivan Petrov said, ‘The harvest was the best in a decade.’ It wasn’t close.")
    q = _one(quotes, "direct")
    assert q.text == "The harvest was the best in a decade."


@pytest.mark.parametrize(
    "text",
    [
        'He said "this never ends',
        "“One. ” ” “ two “",
        '"',
        "",
        "She said: “We will win.\n\nNothing else matters",
    ],
)
def test_unbalanced_marks_do_not_crash(nlp, text):
    doc = nlp(text)
    for q in extract_quotes(doc):
        assert 0 <= q.start <= q.end <= len(doc.text)


def test_offsets_index_the_text(nlp):
    doc, quotes = _quotes(
        nlp,
        "Prices rose again in May.",
        "“Families are struggling,” said Nora Quinn, an economist. She said that wages lag behind.",
    )
    assert {q.kind for q in quotes} == {"direct", "indirect"}
    for q in quotes:
        assert doc.text[q.start : q.end] == q.text
        assert q.paragraph == 1
        assert q.speaker == "Nora Quinn"


def test_paragraph_starts_are_used(nlp):
    text = "First paragraph here.\n\nOscar Lind said that the vote was fair."
    doc = nlp(text)
    q = _one(extract_quotes(doc, paragraph_starts=[0, text.index("Oscar")]), "indirect")
    assert q.paragraph == 1


def test_mentions_from_ents_uses_full_person_names(nlp):
    doc = nlp("Angela Merkel met the press in Berlin. Later Merkel spoke again.")
    names = {m.text: m.entity for m in mentions_from_ents(doc) if m.label == "PERSON"}
    assert set(names.values()) == {"Angela Merkel"}


def test_reporting_verbs_are_lemmas():
    assert {"say", "tell", "add", "warn"} <= REPORTING_VERBS
    assert all(v == v.lower() and " " not in v for v in REPORTING_VERBS)


def test_seed_article_quotes(nlp, seed_text):
    paragraphs = [line.strip() for line in seed_text.splitlines() if len(line.strip()) > 120]
    doc = nlp("\n\n".join(paragraphs))
    direct = {q.text[:20]: q for q in extract_quotes(doc) if q.kind == "direct"}
    source = direct["For now, there’s no "]
    assert source.speaker == "a source familiar with the negotiations"
    assert source.cue == "said"
    assert source.text.endswith("step-by-step")
    benjamin = direct["We will do what we n"]
    assert benjamin.speaker == "Eliav Benjamin"
    assert benjamin.cue == "said"
    assert doc.text[benjamin.start : benjamin.end] == benjamin.text


def test_two_character_marks_and_continuation_after_the_attribution(nlp):
    _, quotes = _quotes(
        nlp, "''We have shown we can grow,'' Mr. Ruiz said. ''Six months ago we were at six percent.''"
    )
    q = _one(quotes, "direct")
    assert q.text == "We have shown we can grow … Six months ago we were at six percent."
    assert q.speaker_text == "Mr. Ruiz"


def test_quotes_after_a_new_attribution_are_not_joined(nlp):
    _, quotes = _quotes(
        nlp, '"We will win this state," Ann Lee said. "They will not," Tom Hale replied.'
    )
    assert [q.speaker for q in quotes if q.kind == "direct"] == ["Ann Lee", "Tom Hale"]


def test_colon_after_any_verb_introduces_the_quote(nlp):
    _, quotes = _quotes(nlp, 'Bernie Sanders delivered a snappy retort: "No one is tearing this up."')
    q = _one(quotes, "direct")
    assert q.speaker == "Bernie Sanders"
    assert q.cue == "delivered"


def test_quote_after_a_sentence_naming_the_speaker(nlp):
    _, quotes = _quotes(
        nlp,
        'Polls moved again. Professor Dianne Bystrom agreed. "Mainstream Republicans are running out of time."',
    )
    assert _one(quotes, "direct").speaker == "Dianne Bystrom"


def test_phrases_quoted_in_one_clause_form_one_partial_quote(nlp):
    _, quotes = _quotes(nlp, 'Governor Ann Lee called the deal "a total disaster" and "a joke."')
    q = _one(quotes, "partial")
    assert q.text == "a total disaster … a joke."
    assert q.speaker == "Ann Lee"


def test_single_scare_word_needs_a_speech_cue(nlp):
    _, quotes = _quotes(nlp, 'Tom Hale said the plan was "absurd" and would fail.')
    assert _one(quotes, "partial").text == "absurd"
    _, quotes = _quotes(nlp, 'The "reform" passed the senate on Monday afternoon.')
    assert quotes == []


@pytest.mark.parametrize(
    ("sentence", "cue", "content"),
    [
        ("The governor urged lawmakers to pass the budget before Friday.", "urged", "lawmakers to pass the budget"),
        ("Senator Ann Ruiz endorsed Tom Hale on Monday.", "endorsed", "Tom Hale"),
        ("Ann Ruiz described the plan as a disaster for farmers.", "described", "the plan as a disaster"),
        ("Ann Ruiz called for an immediate ceasefire in the region.", "called for", "an immediate ceasefire"),
        ("In the latest poll, Tom Hale leads by six points.", "in", "Tom Hale leads by six points"),
    ],
)
def test_intentions_stances_and_sources(nlp, sentence, cue, content):
    _, quotes = _quotes(nlp, sentence)
    q = _one(quotes, "indirect")
    assert q.cue == cue
    assert content in q.text


def test_in_a_statement_defers_to_the_reporting_verb(nlp):
    _, quotes = _quotes(nlp, "In a statement, the campaign said the report was false and misleading.")
    q = _one(quotes, "indirect")
    assert (q.cue, q.speaker) == ("said", "the campaign")


def test_colon_heading_line(nlp):
    _, quotes = _quotes(nlp, "TAPPER: Do you think the campaign has been fair to voters?")
    [q] = [q for q in quotes if q.cue == ":"]
    assert q.speaker_text == "TAPPER"
    assert q.text.startswith("Do you think")


def test_tag_attributes_are_not_quotes(nlp):
    _, quotes = _quotes(nlp, '<tweet id="672139201337532417" author="@someone">Big news today</tweet>.')
    assert [q for q in quotes if q.kind != "indirect"] == []


def test_reported_clause_stops_before_a_trailing_relative_clause_or_apposition(nlp):
    _, quotes = _quotes(nlp, "Jonas Weber said the contract would go to Lena Vogt, who runs the shipyard in Kiel.")
    q = _one(quotes, "indirect")
    assert q.text == "the contract would go to Lena Vogt"
    _, quotes = _quotes(nlp, "Jonas Weber said he had met Lena Vogt, the owner of the shipyard.")
    assert _one(quotes, "indirect").text == "he had met Lena Vogt"
    # an aside in the middle of the clause is part of it
    _, quotes = _quotes(nlp, "Jonas Weber said Lena Vogt, the owner of the shipyard, would sell it next year.")
    assert _one(quotes, "indirect").text.endswith("would sell it next year")


def test_quote_continues_after_a_long_description_of_its_speaker(nlp):
    doc, quotes = _quotes(
        nlp,
        '"The harbour has never been this busy," said Lena Vogt, who has run the shipyard in the old '
        'town for almost thirty years and now chairs the regional chamber of commerce. "We are hiring '
        'welders again."',
    )
    q = _one(quotes, "direct")
    assert q.text.startswith("The harbour has never been this busy")
    assert q.text.endswith("We are hiring welders again.")
    assert q.speaker == "Lena Vogt"


def test_split_quote_around_a_long_description_of_its_speaker(nlp):
    _, quotes = _quotes(
        nlp,
        '"The harbour has never been this busy," said Lena Vogt, who has run the shipyard in the old '
        'town for almost thirty years and now chairs the regional chamber, "and we are hiring again."',
    )
    q = _one(quotes, "direct")
    assert q.text.endswith("and we are hiring again.")


def test_partial_quote_belongs_to_who_reports_the_clause(nlp):
    _, quotes = _quotes(nlp, 'Lena Vogt said she believes the merger was "a terrible mistake" for the town.')
    q = _one(quotes, "partial")
    assert (q.speaker, q.cue) == ("Lena Vogt", "said")
    _, quotes = _quotes(nlp, 'Marek Nowak said the new mayor thinks the plan is "a waste of public money".')
    assert _one(quotes, "partial").speaker == "Marek Nowak"
    # a naming reported by someone comes to the article through the reporter: Nowak's account
    _, quotes = _quotes(nlp, 'Marek Nowak said Lena Vogt called the merger "a terrible mistake for the town".')
    assert _one(quotes, "partial").speaker == "Marek Nowak"
    # a naming beside a report, not reported by it, frames its own phrase
    _, quotes = _quotes(
        nlp, 'Marek Nowak praised the deal, with Lena Vogt calling the merger "a terrible mistake for the town".'
    )
    assert _one(quotes, "partial").speaker == "Lena Vogt"


def test_a_name_read_as_a_modal(nlp):
    _, quotes = _quotes(
        nlp,
        'Ann Lee said "we are ready for the vote in March." "The field is weaker than it looks this year," '
        'Will wrote. Will described the front-runner as "a danger to the party" on Sunday.',
    )
    assert [q.speaker for q in quotes if q.kind in ("direct", "partial")] == ["Ann Lee", "Will", "Will"]


def test_opening_mark_typed_where_the_quote_closes(nlp):
    _, quotes = _quotes(nlp, "“It is unusual,“ said Ann Ruiz, a lawyer in Leeds. “It is rarely done well.”")
    q = _one(quotes, "direct")
    assert q.text.startswith("It is unusual") and q.text.endswith("rarely done well.")
    assert q.speaker == "Ann Ruiz"


def test_speaker_of_a_participle_or_conjunct_cue(nlp):
    # the cue hangs from a verb that hangs from another: the first subject up the chain
    _, quotes = _quotes(
        nlp,
        'Ann Ruiz emailed the mayor on Monday, thanking him for the grant and telling him, '
        '"You have saved the library for another decade."',
    )
    assert _one(quotes, "direct").speaker == "Ann Ruiz"
    # "put out a statement saying …": whoever put the statement out
    _, quotes = _quotes(
        nlp,
        'The Harbor Trust put out a statement saying the port "will not accept any new cargo ships this year".',
    )
    assert "Harbor Trust" in _one(quotes, "partial").speaker


def test_place_of_the_attribution_is_not_the_speaker(nlp):
    _, quotes = _quotes(nlp, '"We are not selling the farm," wrote on Facebook the owner of Hill Farm.')
    assert _one(quotes, "direct").speaker_text != "Facebook"
    _, quotes = _quotes(nlp, '“We were wrong to wait so long,” Ramon Ortiz, 58, told reporters in Lisbon on Monday.')
    assert _one(quotes, "direct").speaker == "Ramon Ortiz"


@pytest.mark.parametrize(
    ("sentence", "cue", "content"),
    [
        ("Ann Ruiz hopes her party can win the seat back in June.", "hopes", "her party can win the seat back"),
        ("Ann Ruiz accused the mayor of hiding the report from voters.", "accused", "the mayor of hiding the report"),
        ("Ann Ruiz blamed the council for the closure of the library.", "blamed", "the council for the closure"),
        ("Ann Ruiz expressed frustration with the pace of the talks.", "expressed", "frustration with the pace"),
        ("Ann Ruiz cited a study of rents in the city.", "cited", "a study of rents"),
        ("The survey showed a sharp rise in support for the tax.", "showed", "a sharp rise in support"),
        ("The union endorsed Hale on Monday.", "endorsed", "Hale"),
        ("Ann Ruiz pointed to the rising cost of housing.", "pointed to", "the rising cost of housing"),
        ("Ann Ruiz voted against the new budget plan.", "voted against", "the new budget plan"),
    ],
)
def test_stances_with_their_objects_and_prepositions(nlp, sentence, cue, content):
    _, quotes = _quotes(nlp, sentence)
    q = _one(quotes, "indirect")
    assert q.cue == cue
    assert content in q.text


@pytest.mark.parametrize(
    "sentence",
    [
        "Ann Ruiz maintained a lead of six points in the last count.",
        "Ann Ruiz found a new job at the port in March.",
        "Ann Ruiz told reporters about her plans for the harbour.",
    ],
)
def test_objects_that_are_not_what_was_said(nlp, sentence):
    _, quotes = _quotes(nlp, sentence)
    assert [q for q in quotes if q.kind == "indirect"] == []


def test_statement_named_by_a_noun(nlp):
    _, quotes = _quotes(nlp, "Ann Ruiz defended her decision to close the harbour office in May.")
    q = next(q for q in quotes if q.cue == "decision")
    assert q.kind == "indirect"
    assert q.text.startswith("to close the harbour office")
    assert q.speaker == "Ann Ruiz"
    _, quotes = _quotes(nlp, "The mayor rejected the claim that the bridge was unsafe for buses.")
    q = next(q for q in quotes if q.cue == "claim")
    assert q.text == "the bridge was unsafe for buses"
    # an effort is not a statement
    _, quotes = _quotes(nlp, "The council began an effort to repair the roads before winter.")
    assert not any(q.cue == "effort" for q in quotes)


def test_reported_clause_keeps_its_part_before_a_quoting_conjunct(nlp):
    _, quotes = _quotes(
        nlp, 'He says he respects the mayor and calls her "a tireless worker with a long record."'
    )
    q = _one(quotes, "indirect")
    assert q.text == "he respects the mayor"
    assert _one(quotes, "partial").text.startswith("a tireless worker")


def test_stance_noun_with_its_preposition_needs_an_owner(nlp):
    _, quotes = _quotes(nlp, "On Friday, Ann Ruiz sharpened her criticism of the new harbour plan.")
    q = next(q for q in quotes if q.cue == "criticism of")
    assert q.text == "the new harbour plan"
    assert q.speaker == "Ann Ruiz"
    _, quotes = _quotes(nlp, "Support for the harbour deal has grown since the spring.")
    assert not any(q.cue.startswith("Support") for q in quotes)


@pytest.mark.parametrize(
    ("sentence", "cue", "content"),
    [
        ("Ann Ruiz threatened to close the harbour office.", "threatened", "to close the harbour office"),
        ("Ann Ruiz persuaded the council to keep the library open.", "persuaded", "the council to keep the library"),
        ("Ann Ruiz supports raising the minimum wage in the city.", "supports", "raising the minimum wage"),
    ],
)
def test_intentions_and_stances_with_an_infinitive_or_gerund(nlp, sentence, cue, content):
    _, quotes = _quotes(nlp, sentence)
    q = _one(quotes, "indirect")
    assert q.cue == cue
    assert content in q.text


def test_attempts_are_not_stances(nlp):
    _, quotes = _quotes(nlp, "Ann Ruiz tried to close the harbour office before noon.")
    assert [q for q in quotes if q.kind == "indirect"] == []


def test_nearest_subject_when_a_dateline_is_parsed_as_one(nlp):
    _, quotes = _quotes(
        nlp,
        "LONDON, Aug. 24 (UPI) — A spokesman for the Labour candidate Ann Ruiz called a report "
        "about the harbour deal “outrageous.”",
    )
    assert _one(quotes, "partial").speaker_text.startswith("A spokesman")


def test_colon_intro_names_its_source(nlp):
    _, quotes = _quotes(nlp, "Late surveys got it right - Ann Ruiz: “The late surveys were the most accurate ones this year.”")
    assert _one(quotes, "direct").speaker == "Ann Ruiz"
    # an intro ending the previous paragraph: its reporting verb, not the last verb
    _, quotes = _quotes(
        nlp,
        "The council met on Monday. As Tom Hale reported after the council appeared to have dropped the plan:",
        "“Nobody in the town hall wants to talk about the harbour any more.”",
    )
    assert _one(quotes, "direct").speaker == "Tom Hale"


@pytest.mark.parametrize(
    "line",
    [
        "The Latest: Hale declares victory in the harbour vote and thanks voters",
        "Breaking: Federal judge gives the council some very bad news",
    ],
)
def test_headline_labels_are_not_speakers(nlp, line):
    _, quotes = _quotes(nlp, line)
    assert not any(q.cue == ":" for q in quotes)


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ('Ann Ruiz pointed out, "The harbour has lost money for six years in a row."', "pointed out"),
        ('"The harbour has lost money for six years in a row," Ann Ruiz opined.', "opined"),
    ],
)
def test_more_speech_cues(nlp, sentence, cue):
    _, quotes = _quotes(nlp, sentence)
    q = _one(quotes, "direct")
    assert (q.cue, q.speaker) == (cue, "Ann Ruiz")


def test_pointing_is_no_speech_cue_without_out(nlp):
    _, quotes = _quotes(nlp, 'Ann Ruiz pointed at the sign reading "No entry after dark for any visitors".')
    assert all(q.cue != "pointed" for q in quotes if q.kind != "indirect")


def test_pronoun_skips_names_inside_quotes_and_of_the_other_gender(nlp):
    # the subject of someone's quoted words is no antecedent of the narrator's "he"
    _, quotes = _quotes(
        nlp,
        'Mr. Ruiz said: "Nobody thinks Tom Becker understands the budget."',
        "He added that the council would vote on the harbour plan in May.",
    )
    assert _one(quotes, "indirect").speaker == "Ruiz"
    # "she" is not the man last named ("Mr."), but the woman before him ("Mrs.")
    _, quotes = _quotes(
        nlp,
        "Mrs. Ana Ruiz met Mr. Tom Becker on Monday. Mr. Becker said the harbour plan was late.",
        "She said that the council would vote on the harbour plan in May.",
    )
    assert [q.speaker for q in quotes if q.kind == "indirect"] == ["Tom Becker", "Ana Ruiz"]


@pytest.mark.parametrize(
    ("paragraphs", "speaker"),
    [
        (["Becker was asked by Ann Ruiz on Monday, “Will you run for mayor again next year?”"], "Ann Ruiz"),
        (["“We will rebuild the old bridge before the winter,” said the 58-year-old."], "the 58-year-old"),
        (
            ["“We will rebuild the old bridge before the winter,” Ann Ruiz, the mayor of a small town on the "
             "coast, tells Radio Nord."],
            "Ann Ruiz",
        ),
    ],
)  # fmt: skip
def test_speaker_of_a_passive_cue_an_age_and_a_listener(nlp, paragraphs, speaker):
    _, quotes = _quotes(nlp, *paragraphs)
    q = _one(quotes, "direct")
    assert speaker in (q.speaker, q.speaker_text)


def test_colon_intro_names_several_sources(nlp):
    _, quotes = _quotes(
        nlp,
        "TURNOUT WAS HIGHER THAN THE POLLS PREDICTED - Ann Lee and Tom Ng: “Most new voters came from the "
        "cities, which nobody expected.”",
    )
    q = _one(quotes, "direct")
    assert q.speaker in ("Tom Ng", "Ng") and q.cue == ":"


def _parsed(nlp, words, pos, deps, heads):
    from spacy.tokens import Doc

    lemmas = [{"tells": "tell", "said": "say", "asked": "ask"}.get(w, w.lower()) for w in words]
    return Doc(nlp.vocab, words=words, pos=pos, deps=deps, heads=heads, lemmas=lemmas)


def test_inverted_speaker_is_never_the_listener_nor_in_another_clause(nlp):
    from analysis.quotes.speakers import _subject_of

    # a parse that found no subject for the cue: the noun after it is who was told, or the
    # subject of a clause of its own, never the speaker
    doc = _parsed(
        nlp,
        ["Hale", ",", "a", "founder", ",", "tells", "Radio", "Nord", "."],
        ["PROPN", "PUNCT", "DET", "NOUN", "PUNCT", "VERB", "PROPN", "PROPN", "PUNCT"],
        ["npadvmod", "punct", "det", "appos", "punct", "ROOT", "compound", "dobj", "punct"],
        [5, 0, 3, 0, 5, 5, 7, 5, 5],
    )
    assert _subject_of(doc[5]) is None or _subject_of(doc[5]).text != "Radio"
    doc = _parsed(
        nlp,
        ["said", "when", "Lee", "asked", "."],
        ["VERB", "SCONJ", "PROPN", "VERB", "PUNCT"],
        ["ROOT", "advmod", "nsubj", "advcl", "punct"],
        [0, 3, 3, 0, 0],
    )
    assert _subject_of(doc[0]) is None
    # but a name right after the cue that the parser hung on a later clause is the speaker
    doc = _parsed(
        nlp,
        ["said", "Brock", ",", "a", "friend", ",", "who", "heads", "it", "."],
        ["VERB", "PROPN", "PUNCT", "DET", "NOUN", "PUNCT", "PRON", "VERB", "PRON", "PUNCT"],
        ["ROOT", "nsubj", "punct", "det", "appos", "punct", "nsubj", "ccomp", "dobj", "punct"],
        [0, 7, 1, 4, 1, 1, 7, 0, 7, 0],
    )
    assert _subject_of(doc[0]).text == "Brock"


def test_unattributed_quote_goes_on_with_the_named_speaker_not_an_unnamed_one_in_their_clause(nlp):
    _, quotes = _quotes(
        nlp,
        "Ann Ruiz said that for years some critics had predicted the harbour would close.",
        "“That is why we kept it open for every ship in the bay.”",
    )
    assert _one(quotes, "direct").speaker == "Ann Ruiz"


@pytest.mark.parametrize("cue", ["shot back", "barked"])
def test_retorts_are_speech_cues(nlp, cue):
    _, quotes = _quotes(nlp, f"“You will lose the vote on Friday,” Tom Becker {cue}.")
    q = _one(quotes, "direct")
    assert (q.speaker, q.cue) == ("Tom Becker", cue)


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("After the debate, the columnist Ann Ruiz imagined the mayor was thinking: “What have I done to my town?”",
         "Ann Ruiz"),
        ("Tom Becker wrote back at the mayor pointing out how odd the plan was from a man who promised lower "
         "rents: “Your plan doubles every rent in the harbour.”", "Tom Becker"),
    ],
)  # fmt: skip
def test_colon_intro_takes_its_outermost_speech_cue(nlp, sentence, speaker):
    _, quotes = _quotes(nlp, sentence)
    assert _one(quotes, "direct").speaker == speaker


def test_split_quote_joined_when_paragraphs_are_single_lines(nlp):
    # the next paragraph's reporting verb belongs to another attribution, not to the second part
    text = '"They sue," he said. "Everybody sues, right?"\nLater, Ann Ruiz claimed that the court was wrong.'
    doc = nlp(text)
    quotes = extract_quotes(doc, paragraph_starts=[0, text.index("Later")])
    assert _one(quotes, "direct").text == "They sue … Everybody sues, right?"


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("The mayor spoke on Monday. In a statement to the Harbour Gazette, her senior policy adviser, Tom "
         "Becker, said: “The mayor believes that the harbour is essential to the town.”", "Tom Becker"),
        ("“What if the mayor had taken singing lessons?” the 43-year-old asked in the video’s description.",
         "the 43-year-old"),
    ],
)  # fmt: skip
def test_speaker_of_a_cue_parsed_without_a_subject(nlp, sentence, speaker):
    _, quotes = _quotes(nlp, sentence)
    assert _one(quotes, "direct").speaker == speaker


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        # the agent of a passive speaks only when the passive verb is the cue itself
        ("As the crowd began to chant, Ruiz was joined on stage by Senator Tom Becker and joked, “You are all "
         "being ridiculous tonight.”", "Ruiz"),
        # a colon intro's cue in a clause with its own subject is that subject's turn
        ('Ruiz said her plan was cheaper, to which Tom Becker interjected: "It is just not true."', "Tom Becker"),
    ],
)  # fmt: skip
def test_passive_agent_and_outermost_cue_stay_in_their_clause(nlp, sentence, speaker):
    _, quotes = _quotes(nlp, sentence)
    assert _one(quotes, "direct").speaker == speaker


@pytest.mark.parametrize(
    "sentence",
    [
        "Russian forces attacked Ukraine on Monday night.",
        "The storm hit Florida on Tuesday.",
        "Government troops attacked Israel from the north.",
    ],
)
def test_a_place_alone_is_no_stance(nlp, sentence):
    """'attacked Ukraine' is an act, not something said: a place alone is no stance's content
    (while 'endorsed Hale', a person, is; see the test above)."""
    _, quotes = _quotes(nlp, sentence)
    assert not [q for q in quotes if q.kind == "indirect"], quotes


@pytest.mark.parametrize(
    "paragraphs",
    [
        ["Readers wrote in after the harbour vote.", "“The new bridge will ruin the view from my porch.” ― Marta Kowalczyk."],
        ["Readers wrote in after the harbour vote.", '"The new bridge will ruin the view from my porch."',
         "- Marta Kowalczyk, Oakport."],
    ],
)  # fmt: skip
def test_quote_signed_by_a_credit_line(nlp, paragraphs):
    assert _one(_quotes(nlp, *paragraphs)[1], "direct").speaker == "Marta Kowalczyk"


# The one quote of a kind in each made-up text, and who said it; the id says which rule decides.
ONE_SPEAKER = [
    ("a thing that says speaks for who put it out", ["Tom Becker released a video that said the harbour plan was “a waste of money and time.”"], "partial", "Tom Becker"),
    ("a colon intro without a speech cue: its main verb", ["Ann Ruiz has since apologized for what happened: “I should have closed the harbour earlier.”"], "direct", "Ann Ruiz"),
    ("a verbless colon intro names its speaker", ["The hearing went on for hours.", "Former harbour master Tom Becker: “We never saw the ships.”"], "direct", "Tom Becker"),
    ("a closing credit line signs the article, not the quote above it", ["Readers wrote in after the harbour vote.", "Ann Ruiz said: “The new bridge will ruin the view.”", "— Oakport Wire"], "direct", "Ann Ruiz"),
    ("pronoun gender from the clause a name governs", ["Dana Ruiz said she would run again.", "Ray Okoro, who lost to her in May, said he would not.", '"We will win this seat by a wide margin," she said.'], "direct", "Dana Ruiz"),
    ("the 'it' of a reported judgement is no speaker", ['Mayor Ann Ruiz said it was "far too early" to judge, adding, "We need more data before we decide anything."'], "direct", "Ann Ruiz"),
    ("a direct quote is its cue's subject, whatever the noun", ["Tom Becker sued the harbour board in May.", '"The board fired him to damage his name and his career," the suit reads.'], "direct", "the suit"),
    ("an inverted speaker wins over a misparsed subject", ["The closure of the ferry marks “the end of an era” for the island, said Ann Lee, head of the harbour trust."], "partial", "Ann Lee"),
    ("'adding' belongs to who said the sentence", ["Ann Lee said the process of choosing a new harbour master could be slow, adding, “Good choices take time.”"], "direct", "Ann Lee"),
    ("'but added' belongs to who said the sentence", ["Ann Lee said in her view it takes years to replace a ferry but added, “We will keep the old one running.”"], "direct", "Ann Lee"),
    ("'by saying' is the subject's", ["The mayor read out the names of the harbour's lost ships.", "Ann Lee closed her list by saying “Never again.”"], "partial", "Ann Lee"),
    ("a quote after a cue inside a report is the reporter's", ['Ann Lee, the mayor, spoke on Monday. Prosecutors say that she told one agent, "We will fix the harbour before the summer comes."'], "direct", "Prosecutors"),
    ("a participle 'Asked by X' is X's question", ['Asked by Tom Hale whether the harbour plan was "a waste of public money for the town", Ann Lee avoided an answer.'], "partial", "Tom Hale"),
    ("a closing 'saying' after a deep reported clause is the reporter's", ['A party strategist said Ann Lee will have to choose whose side she is on, saying, "At some point, she is going to have to come out on where she stands."'], "direct", "A party strategist"),
]  # fmt: skip


@pytest.mark.parametrize(("paragraphs", "kind", "speaker"), [c[1:] for c in ONE_SPEAKER], ids=[c[0] for c in ONE_SPEAKER])
def test_the_one_quote_of_a_kind_has_its_speaker(nlp, paragraphs, kind, speaker):
    assert _one(_quotes(nlp, *paragraphs)[1], kind).speaker == speaker


def test_headline_after_a_name_and_colon_is_no_quote(nlp):
    _, quotes = _quotes(nlp, "Tom Becker: “We Never Saw The Ships In The Harbour”", "The hearing went on for hours.")
    assert not [q for q in quotes if q.kind == "direct"], quotes


def test_pronoun_is_the_subject_of_the_clause_governing_it(nlp):
    # "he" in what Becker insisted is Becker, not the man named last inside it
    text = "Tom Becker insisted that although Ray Okoro had won the vote, he believes the harbour plan will fail."
    _, quotes = _quotes(nlp, text)
    assert [q.speaker for q in quotes if q.speaker_text == "he"] == ["Tom Becker"]


def test_inverted_speaker_is_a_long_description(nlp):
    # "said the …" with the subject's head four words after the cue is still the speaker
    _, quotes = _quotes(
        nlp,
        "Ann Ruiz spoke first at the harbour meeting.",
        '"We cannot build a bridge that nobody wants to cross," said the Oakport harbour businessman, who owns the ferry.',
    )
    assert "businessman" in _one(quotes, "direct").speaker


def test_one_of_a_group_speaks(nlp):
    # "one of those advisers" is a source despite the number, not the speaker quoted before
    _, quotes = _quotes(
        nlp,
        '"The vote is ours," Ann Ruiz said on Monday.',
        '"There will be no path for them after May," said one of those advisers, who asked not to be named.',
    )
    assert [q.speaker for q in quotes if q.kind == "direct"] == ["Ann Ruiz", "one of those advisers"]


@pytest.mark.parametrize("clause", ["Tom Becker pressed", "an angry Tom Becker retaliated"])
def test_a_quote_closed_by_a_short_clause_is_its_subjects(nlp, clause):
    # no speech verb, but '"…?" X pressed.' names who spoke; the quote after goes on with them
    _, quotes = _quotes(
        nlp,
        '"The bridge will open in May," Ann Ruiz said.',
        f'"Could the opening move to June?" {clause}. "What would that cost the town?"',
    )
    assert [q.speaker for q in quotes if q.kind == "direct"][-1] == "Tom Becker"


def test_a_quote_inside_a_narrators_sentence_is_not_the_clause_after_it(nlp):
    _, quotes = _quotes(
        nlp,
        '"The bridge will open in May," Ann Ruiz said.',
        "As Ruiz closed her speech — “This bridge is for every one of you!” — confetti fell on the stage.",
    )
    assert all(q.speaker != "confetti" for q in quotes)


def test_a_partial_quote_is_a_persons_or_documents_whatever_the_verb(nlp):
    # "referred to … as", "accuses": no speech cue, but a neighbour or a petition is a voice of
    # its own, not the speaker quoted before
    for sentence, speaker in [
        ("A neighbour referred to him as “a careful pilot and a generous teacher” in a letter.", "A neighbour"),
        ("The petition accuses the board of “acting in bad faith from the very first meeting.”", "The petition"),
    ]:
        _, quotes = _quotes(nlp, '"He flew for the airline for twelve years," the company said on Thursday.', sentence)
        assert _one(quotes, "partial").speaker == speaker


def test_the_one_named_is_not_the_inverted_speaker(nlp):
    # "X called Ruiz “…”": Ruiz is who was named, never the speaker after the verb
    _, quotes = _quotes(
        nlp,
        "The harbour plan prompted a vote; one councillor called Ruiz “the worst harbour master the town has had.”",
    )
    assert "councillor" in _one(quotes, "partial").speaker


def test_a_reply_in_a_new_sentence_is_a_new_quote(nlp):
    # '"A," Lee said. Becker replied, "B."': two turns, not one quote split around its attribution
    _, quotes = _quotes(
        nlp,
        '"The ferry will run again by the spring," Ann Lee said. Tom Becker replied, "Not with this budget, it will not."',
    )
    assert [q.speaker for q in quotes if q.kind == "direct"] == ["Ann Lee", "Tom Becker"]


def test_a_share_of_a_poll_speaks(nlp):
    # "40 percent said …": part of those asked, not a number
    _, quotes = _quotes(
        nlp,
        "The harbour survey asked residents about the ferry.",
        "Some 40 percent said it should close. About 30 percent said the fares were “far too high.”",
    )
    assert [q.speaker for q in quotes if q.kind == "indirect"][-1] == "Some 40 percent"
    assert _one(quotes, "partial").speaker == "About 30 percent"


def test_a_report_subordinate_to_the_clause_stays_in_it(nlp):
    quotes = extract_quotes(nlp("Ann Lee said she stayed away from the hearing because she feared she would break down."))
    said = next(q for q in quotes if q.cue == "said")
    assert said.text == "she stayed away from the hearing because she feared she would break down"


def test_a_coordinated_report_is_cut_off(nlp):
    quotes = extract_quotes(nlp("Six in 10 voters said the mayor was honest, and 4 in 10 said the council was."))
    assert quotes[0].text == "the mayor was honest"


def test_who_was_prompted_to_ask_is_the_source_not_what_prompted_it(nlp):
    text = "The ruling prompted the council to write to every landlord in the city asking how soon the repairs would be made."
    asked = [q for q in extract_quotes(nlp(text)) if "repairs" in q.text]
    assert asked and asked[0].speaker.lower() == "the council"


def test_a_quote_an_outlet_reported_is_the_outlets(nlp):
    _, quotes = _quotes(nlp, 'Asked about the ban, Lena Vogt said: "There will always be exceptions," the Courier reported.')
    q = _one(quotes, "direct")
    assert (q.speaker, q.speaker_rule) == ("Courier", "reported_by_outlet")
    _, quotes = _quotes(nlp, '"The harbour is full again," said Lena Vogt, who runs the yard, reports the Courier.')
    assert _one(quotes, "direct").speaker == "Courier"
    # an outlet's own report after the quote, not passing it on
    _, quotes = _quotes(nlp, '"We will not move," Lena Vogt said after the Courier reported the deal was off.')
    assert _one(quotes, "direct").speaker == "Lena Vogt"


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ('But at the time, as the prosecutor Marc Roux put it, "apart from the wrong crowd there was not '
         'much to complain about."', "Marc Roux"),
        ('The town was chosen because, in the Herald’s words, "it is the most crowded harbour on the coast '
         'this year."', "Herald"),
        ('From the report: "In general, samples with more careful weighting produced more accurate results."',
         "the report"),
    ],
)  # fmt: skip
def test_a_phrase_naming_whose_words_follow(nlp, sentence, speaker):
    _, quotes = _quotes(nlp, '"We are ready," said Ann Lee on Monday.', sentence)
    assert [q.speaker for q in quotes if q.kind == "direct"] == ["Ann Lee", speaker]


