"""Questions as people type them in Telegram, through the real pipeline over the seeds.

A few questions for each pattern of the "real users' questions" issue: chat abbreviations and
Jakarta verb forms, no capitals or question mark, out-of-corpus questions that share words
with the articles, answers of the asked shape, and why-questions answered with a clause.
(The held-out casual and out-of-corpus sets in tests/data/ are scored by `python -m bot eval`.)
"""

from __future__ import annotations

import pytest


def _cites(answer, prefix: str) -> bool:
    return answer.article is not None and answer.article.id.startswith(prefix)


@pytest.mark.parametrize("question, expected, article", [
    ("brp tentara cadangan yg dimobilisasi presiden tajikistan", "20.000", "004"),
    ("org yg jd juru bicara deplu as siapa sih", "Ned Price", "000"),
    ("berapa org yg udh dievakuasi as dr bandara kabul", "124.000", "001"),
    ("siapa menhan rusia", "Sergei Shoigu", "003"),
    ("inggris ngirim brp tentara ke afghanistan", "enam ratus", "000"),  # the reader's span was "enam"
    ("siapa presiden as", "Joe Biden", ""),  # was "Elizabeth Sherwood-Randall", a "Penasihat Keamanan …"
    ("presiden tajikistan namanya siapa", "Emomali Rakhmon", "004"),  # the article writes "Presiden Tajik"
    ("yg jd jubir kemlu as siapa ya", "Ned Price", "000"),  # the article writes "Departemen Luar Negeri AS"
    ("siapa nama presiden amerika", "Joe Biden", ""),  # declined while read with "nama"
    ("milley itu jabatannya apa", "Kepala Staf Gabungan", "001"),
    ("yg nulis berita milley sm taliban siapa", "Anton Suhartono", "001"),  # iNews credits only its editor
    ("ashraf ghani nelpon rakhmon hari apa", "Minggu", "004"),
    ("kabulov minta negara barat jgn ngapain", "membekukan aset", "003"),  # "jangan" read as "untuk tidak"  # declined while "menelpon" was a word the article lacks
    # read as "Siapa pemerintah Afghanistan ... didukung?": with "siapa" last the reader took a clause
    ("pemerintah afghanistan yg runtuh itu didukung siapa", "pihak Barat", "003"),
    # Reader v2 takes "Rusia" from "pangkalan militer Rusia di Tajikistan dan Kirgizstan" (v1 got it right).
    pytest.param("putin nawarin biden pake pangkalan militer di negara mana aja", "Tajikistan", "002",
                 marks=pytest.mark.xfail(reason="known miss of reader v2", strict=True)),
])
def test_casual_questions_are_answered_and_cited(answerer, question, expected, article):
    answer = answerer.answer(question)
    assert answer.text is not None and expected.lower() in answer.text.lower(), answer
    assert _cites(answer, article)
    assert answer.question == question  # what is logged and shown is what the user wrote


@pytest.mark.parametrize("question", [
    "siapa presiden brasil",
    "jepang ngirim brp pasukan ke kabul",
    "brp umur ned price",
    "Siapa Menteri Luar Negeri Prancis?",
    "menlu rusia siapa namanya",  # the article names Menteri Pertahanan Rusia Sergei Shoigu
    # no seed gives the toll: answered "124.000 orang" (evacuated) and "ribuan pasukan" (sent) before
    "brp org yg tewas gara2 bom bunuh diri isis-k di bandara kabul",
    "brp tentara amrik yg tewas di bom bandara kabul",
])
def test_out_of_corpus_questions_that_share_words_are_declined(answerer, question):
    answer = answerer.answer(question)
    assert answer.abstained, answer
    assert answer.related  # the reply still points to the closest articles


def test_a_year_the_dated_articles_do_not_cover_is_declined(answerer):
    later = answerer.answer("brp tentara cadangan yg dimobilisasi presiden tajikistan thn 2019")
    assert later.abstained and later.related[0].id.startswith("004")  # still the closest article
    same = answerer.answer("brp tentara cadangan yg dimobilisasi presiden tajikistan thn 2021")
    assert "20.000" in same.text and _cites(same, "004")


def test_shapes_follow_the_question_word(answerer):
    how_many = answerer.answer("Berapa tentara Afghanistan yang mundur ke Tajikistan?")
    assert how_many.text is not None and any(c.isdigit() for c in how_many.text)
    who = answerer.answer("Siapa Sekretaris Jenderal CSTO?")
    assert who.text is not None and "Zas" in who.text and not any(c.isdigit() for c in who.text)
    # The reader's best span here is "Sergei Shoigu": a "kapan" question never gets a name.
    when = answerer.answer("menhan rusia ngomongin kerja intens dgn csto kpn")
    assert when.abstained or "minggu" in when.text.lower()
    assert when.abstained or "Shoigu" not in when.text


def test_hari_apa_is_answered_with_the_weekday(answerer):
    # The reader ranks "15 Agustus 2021" (when Taliban took Kabul) first; "Senin" of "..., Senin,
    # sementara ..." is a short span outside its 30 best, kept among the best short ones.
    answer = answerer.answer("kedubes rusia di kabul nambah penerbangan evakuasi hari apa sih")
    assert answer.text == "Senin" and _cites(answer, "003")


def test_why_questions_get_a_clause_from_the_article(answerer):
    answer = answerer.answer("kenapa rusia khawatir sama pergerakan taliban")
    assert answer.text is not None and answer.mode == "clause"
    assert len(answer.text.split()) >= 4 and _cites(answer, "002")


def test_yes_or_no_questions_get_the_sentence_that_says_it(answerer):
    answer = answerer.answer("kedubes rusia di kabul msh beroperasi gak stlh taliban masuk")
    assert answer.mode == "clause" and _cites(answer, "003")
    assert answer.text.startswith("Kedutaan Rusia tetap beroperasi di Kabul")
    assert answerer.answer("apa jepang udh kirim pasukan ke kabul").abstained  # no article says so


def test_a_time_answer_is_also_given_as_the_day_it_means(answerer):
    from bot.telegram.replies import answer_html

    answer = answerer.answer("kpn biden ngasih perintah nambahin pasukan ke afganistan")
    assert answer.text == "Kamis pagi" and answer.day == "12 Agustus 2021"  # the story is of Thursday 12 August
    assert "<b>Kamis pagi</b> (12 Agustus 2021)" in answer_html(answer)
    assert answerer.answer("siapa menhan rusia").day is None  # not a time question


def test_who_someone_is_is_answered_with_the_office_the_article_gives_them(answerer):
    milley = answerer.answer("milley tuh siapa")
    assert milley.text == "Kepala Staf Gabungan AS Mark Milley" and milley.mode == "office" and _cites(milley, "001")
    assert milley.text in milley.sentence and milley.question == "milley tuh siapa"
    price = answerer.answer("ned price itu siapa")
    assert price.text == "juru bicara Departemen Luar Negeri, Ned Price" and _cites(price, "000")
    kabulov = answerer.answer("kabulov itu siapa")  # was answered "Vladimir Putin" by the reader
    assert kabulov.text == "Wakil Khusus Presiden Rusia Vladimir Putin di Afghanistan, Zamir Kabulov" and _cites(kabulov, "003")
    assert answerer.answer("siapa joko widodo").abstained  # named in no article: the reader's, and declined


def test_what_a_short_form_stands_for_is_answered_as_an_article_spells_it_out(answerer):
    csto = answerer.answer("csto itu apaan sihh")  # declined (0.21) while the reader decided
    assert csto.text == "Organisasi Pakta Keamanan Kolektif" and csto.mode == "expansion" and _cites(csto, "003")
    assert csto.text in csto.sentence
    assert answerer.answer("kepanjangan csto apa").text == "Organisasi Pakta Keamanan Kolektif"
    assert answerer.answer("apa itu nato").mode != "expansion"  # no article spells it out: the reader's


def test_who_someone_is_costs_no_reader_pass_when_an_article_gives_their_office(answerer, monkeypatch):
    passages_read = []
    read = answerer.reader.read
    monkeypatch.setattr(answerer.reader, "read", lambda qs, cs: passages_read.extend(cs) or read(qs, cs))
    assert answerer.answer("milley tuh siapa").mode == "office" and passages_read == []
    answerer.answer("Siapa Sekretaris Jenderal CSTO?")
    assert passages_read  # a question for the reader


def test_the_examples_the_help_gives_are_answered(answerer):
    from bot.telegram.replies import EXAMPLES

    for example in EXAMPLES:
        assert not answerer.answer(example).abstained, example


def test_who_holds_an_office_is_not_answered_with_a_group(answerer):
    """The reader was sure (margin 9.6) that "Taliban" is Tajikistan's president; its article calls
    them "gerilyawan Taliban". The seeds name the president only as "timpalannya dari Tajik
    Emomali Rahmon", so the bot says it does not know rather than name a group."""
    answer = answerer.answer("siapa presiden tajikistan")
    assert answer.text is None or "Taliban" not in answer.text, answer


def test_who_someone_is_is_not_answered_with_a_piece_of_their_name(answerer):
    answer = answerer.answer("rahmon itu siapa")  # was "Tajik Emomali", of "timpalannya dari Tajik Emomali Rahmon"
    assert answer.text is None or "Emomali" not in answer.text, answer


def test_a_labelled_number_is_answered_with_its_label(answerer):
    """"di km brp" asks for a kilometre post: the count the best-matching sentence holds is no answer
    (a 2015 news story, written here; without the rule the casual question got "tujuh")."""
    from bot.pipeline import QuestionAnswerer
    from bot.records import Article
    from bot.retrieval.index import PassageIndex

    crash = Article("crash", "Tujuh korban kecelakaan Tol Cipali dimakamkan", "Contoh", "2015-07-25", None,
                    "Suasana duka menyelimuti rumah Suhud di Depok, Sabtu. Suhud dan tujuh anggota keluarganya menjadi "
                    "korban kecelakaan maut di Tol Cipali, Jumat malam.\n\nKeponakannya mengaku mendapat kabar duka sekitar "
                    "pukul 01.00 WIB. Keluarga pamannya mengalami kecelakaan di kawasan Tol Cipali KM 166. Sopir diduga "
                    "mengantuk sebelum mobil dihantam bus dari jalur lain.")
    index = PassageIndex.build([crash], embedder=answerer.embedder)
    over_it = QuestionAnswerer(index, answerer.reader, answerer.calibration, answerer.top_k, embedder=answerer.embedder)
    assert over_it.answer("kecelakaan keluarga suhud di tol cipali di km brp").text == "KM 166"
    assert "tujuh" in over_it.answer("brp anggota keluarga suhud yg jadi korban").text  # a count is still a count


def test_a_person_titled_otherwise_gives_way_to_the_next_one_titled_as_asked(answerer):
    """"Menteri Luar negeri ANthony Blinken dan Menteri Pertahanan Lloyd Austin": the reader's first
    span is ruled out; before, the question was declined."""
    answer = answerer.answer("menteri pertahanan siapa namanya")
    assert answer.text in ("Lloyd Austin", "Sergei Shoigu"), answer  # the seeds name two
    japan = answerer.answer("Siapa Menteri Pertahanan Jepang?")
    assert japan.abstained, japan  # a minister whose country the text does not give is no answer
