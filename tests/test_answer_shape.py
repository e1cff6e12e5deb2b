"""Answer shape: the asked type among the reader's candidates, whole clauses for why/how questions."""

from __future__ import annotations

import pytest

from bot.reader.answer_types import (DURATION, PERSON, PLACE, QUANTITY, TIME, expected_type, fits, misfits, opens_with_shape,
                                     the_length_asked, typed_span, whole_number, within_a_date, without_trailing_clause)
from bot.reader.span_cleanup import asks_yes_or_no, clean_span
from bot.reader.span_reader import ContextReading
from bot.records import Span


def spans_in(context: str):
    """(start, end) of a text in `context`, for building readings by hand."""
    return lambda text: (context.index(text), context.index(text) + len(text))


@pytest.mark.parametrize("question, kind", [
    ("Berapa tentara yang dikirim?", QUANTITY),
    ("Tahun berapa Uni Soviet masuk Afghanistan?", TIME),
    ("Tanggal berapakah Foreign Investor Forum diselenggarakan?", TIME),  # not a count because of "-kah"
    ("Pukul berapakah pesawat mendarat?", TIME),
    ("Kapan pasukan tiba?", TIME),
    ("Berapa lama pertandingan semifinal itu?", DURATION),
    ("Siapa juru bicara Departemen Luar Negeri?", PERSON),
    ("Di mana pangkalan militer itu?", PLACE),
    ("Kota mana yang direbut Taliban?", PLACE),
    ("Apa nama organisasi itu?", None),
])
def test_question_types(question, kind):
    assert expected_type(question) == kind


def test_span_kinds():
    assert fits(QUANTITY, "20.000 tentara") and fits(QUANTITY, "tiga ribu") and not fits(QUANTITY, "Kabul")
    assert fits(QUANTITY, "posisi kelima") and fits(QUANTITY, "yang keempat") and not fits(QUANTITY, "kelimpahan")
    assert fits(TIME, "Kamis pagi") and fits(TIME, "1979") and not fits(TIME, "Ned Price")
    assert not fits(TIME, "19 tahun") and not fits(TIME, "selama dua minggu")  # how long, not when
    assert fits(TIME, "dua minggu lalu") and fits(TIME, "tahun 2001") and fits(QUANTITY, "19 tahun")
    assert fits(PERSON, "Ned Price") and not fits(PERSON, "19 tahun") and not fits(PERSON, "mundur")
    assert fits(PLACE, "Herat dan Ghazni") and not fits(PLACE, "1.000")
    for length in ("92 menit", "20 tahun", "dua dekade", "1967 sampai 1998", "Juli 1392 sampai Oktober 1897",
                   "202 SM - 220", "sejak 2001", "antara 1957 dan 1975"):
        assert fits(DURATION, length), length
    for other in ("21-8, 21-15", "400 kapal", "Senin", "Kabul"):  # a score, a count, a day, a place: no length
        assert not fits(DURATION, other), other


def test_a_close_candidate_of_the_asked_type_wins_a_far_one_does_not():
    context = "Pada Kamis pagi Ned Price mengatakan 3.000 tentara dikirim ke Kabul."
    span = spans_in(context)
    reading = ContextReading(*span("Ned Price"), 10.0, 0.0, alternatives=((*span("Kabul"), 9.5), (*span("3.000"), 9.0)))
    assert typed_span("Berapa tentara yang dikirim?", context, reading) == span("3.000")
    assert typed_span("Siapa yang mengatakan?", context, reading) == span("Ned Price")
    far = ContextReading(*span("Ned Price"), 10.0, 0.0, alternatives=((*span("Kabul"), 5.0),))
    assert typed_span("Ke kota mana tentara dikirim?", context, far) == span("Ned Price")


def test_a_time_or_quantity_is_taken_however_far_it_trails_if_it_opens_with_its_shape():
    context = "Kedutaan menambah penerbangan dari Afghanistan, Senin, kata Sergei Shoigu, dengan 3.000 kursi."
    span = spans_in(context)
    joined = (span("Afghanistan")[0], span("Senin")[1])
    reading = ContextReading(*span("Afghanistan"), 10.0, 0.0, alternatives=(
        (*joined, 6.0), (*span("Sergei Shoigu"), 5.0), (*span("Senin"), 4.0), (*span("3.000 kursi"), 3.0)))
    assert typed_span("Kedutaan menambah penerbangan hari apa?", context, reading) == span("Senin")
    assert typed_span("Berapa kursi yang disediakan?", context, reading) == span("3.000 kursi")
    nothing = ContextReading(*span("Afghanistan"), 10.0, 0.0, alternatives=((*joined, 6.0),))
    assert typed_span("Kapan penerbangan ditambah?", context, nothing) == span("Afghanistan")


def test_hari_apa_takes_the_weekday_before_a_date_the_reader_ranks_higher():
    context = "Kedutaan menambah penerbangan evakuasi, Senin, setelah Taliban masuk Kabul pada 15 Agustus 2021."
    span = spans_in(context)
    reading = ContextReading(*span("15 Agustus 2021"), 10.0, 0.0, alternatives=((*span("Senin"), 4.0),))
    assert typed_span("Kedutaan menambah penerbangan hari apa?", context, reading) == span("Senin")
    assert typed_span("Kapan kedutaan menambah penerbangan?", context, reading) == span("15 Agustus 2021")
    no_weekday = ContextReading(*span("15 Agustus 2021"), 10.0, 0.0)
    assert typed_span("Kedutaan menambah penerbangan hari apa?", context, no_weekday) == span("15 Agustus 2021")
    weeks = "Penerbangan ditambah minggu lalu, pada 15 Agustus 2021."
    in_weeks = spans_in(weeks)
    last_week = ContextReading(*in_weeks("15 Agustus 2021"), 10.0, 0.0, alternatives=((*in_weeks("minggu lalu"), 4.0),))
    assert typed_span("Penerbangan ditambah hari apa?", weeks, last_week) == in_weeks("15 Agustus 2021")  # a week, no weekday


def test_siapa_answered_with_a_count_gives_way_to_a_person_however_far_it_trails():
    context = "AS mengevakuasi lebih dari 124.000 orang, termasuk warga sipil AS dan warga Afghanistan."
    span = spans_in(context)
    reading = ContextReading(*span("lebih dari 124.000 orang"), 10.0, 0.0,
                             alternatives=((*span("warga sipil AS"), 3.0),))
    assert typed_span("AS mengevakuasi siapa saja?", context, reading) == span("warga sipil AS")
    assert typed_span("Berapa orang yang dievakuasi AS?", context, reading) == span("lebih dari 124.000 orang")
    alone = ContextReading(*span("lebih dari 124.000 orang"), 10.0, 0.0)
    assert typed_span("AS mengevakuasi siapa saja?", context, alone) == span("lebih dari 124.000 orang")


def test_a_number_the_text_makes_a_length_of_time_is_no_time():
    context = "Biden tetap mengakhiri 19 tahun misi AS di Afghanistan pada akhir bulan ini."
    span = spans_in(context)
    reading = ContextReading(*span("19"), 11.0, 0.0, alternatives=((*span("pada akhir bulan ini"), 2.0),))
    assert typed_span("Kapan Biden mengakhiri misi AS?", context, reading) == span("pada akhir bulan ini")
    assert typed_span("Berapa tahun misi AS di Afghanistan?", context, reading) == span("19")  # a quantity it is


def test_a_number_cut_from_a_date_is_no_count():
    # "bom bunuh diri isis-k di bandara kabul korbannya brp org" was answered "(1/9", then "2021"
    context = "Milley mengatakan pada Rabu (1/9/2021) bahwa AS mengevakuasi 124.000 orang dalam 3 pekan."
    span = spans_in(context)
    assert not fits(QUANTITY, "(1/9") and not fits(QUANTITY, "(1/9)") and fits(QUANTITY, "1/6")  # a fraction counts
    assert within_a_date(context, *span("2021")) and within_a_date(context, *span("(1/9"))
    assert not within_a_date(context, *span("124.000 orang")) and not within_a_date(context, *span("3"))
    reading = ContextReading(*span("2021"), 9.0, 0.0, alternatives=((*span("124.000 orang"), 8.0),))
    assert typed_span("Berapa orang yang dievakuasi AS?", context, reading) == span("124.000 orang")


@pytest.mark.parametrize("text, kept", [
    ("hari Minggu, Presiden Afghanistan", "hari Minggu"),  # the comma leads away from the time
    ("Senin, 16 Agustus 2021", "Senin, 16 Agustus 2021"),  # both sides are times
    ("Kamis pagi", "Kamis pagi"),
])
def test_a_time_ends_before_a_comma_that_leads_away_from_it(text, kept):
    context = f"Dalam percakapan telepon {text} mengatakan situasi memburuk."
    span = spans_in(context)
    reading = ContextReading(*span(text), 9.0, 0.0)
    assert typed_span("Ashraf Ghani menelepon Rakhmon hari apa?", context, reading) == span(kept)
    assert typed_span("Siapa yang menelepon?", context, reading) == span(text)  # only times and quantities


def test_a_quantity_keeps_its_decimal_comma_and_a_list_of_quantities():
    context = "PPP memberi dana sebesar Rp 1,3 miliar, untuk membangun mushala; skornya 21-8, 21-15."
    span = spans_in(context)
    for text, kept in (("Rp 1,3 miliar, untuk membangun mushala", "Rp 1,3 miliar"), ("21-8, 21-15", "21-8, 21-15")):
        assert typed_span("Berapa dananya?", context, ContextReading(*span(text), 9.0, 0.0)) == span(kept)


def test_a_year_question_takes_the_one_year_a_long_span_holds():
    context = "Hercules C-130 yang jatuh di Medan (30/6/2015), buatan Amerika Serikat tahun 1964, membawa 122 orang."
    span = spans_in(context)
    reading = ContextReading(*span("(30/6/2015), buatan Amerika Serikat tahun 1964"), 9.0, 0.0)
    assert typed_span("Pesawat itu buatan tahun berapa?", context, reading) == span("tahun 1964")
    two = ContextReading(*span("Medan (30/6/2015), buatan Amerika Serikat tahun 1964, membawa 122"), 9.0, 0.0)
    assert typed_span("Kapan pesawat itu jatuh?", context, two) == span("Medan (30/6/2015), buatan Amerika Serikat "
                                                                          "tahun 1964, membawa 122")  # no year asked


def test_a_person_runs_from_what_yakni_names():
    context = ("Bareskrim menetapkan satu orang tersangka yakni, Direktur Operasional Teknik PT Pelindo II, "
               "Ferialdi Nurlan. Penyidik menyita dokumen.")
    span = spans_in(context)
    whole = "satu orang tersangka yakni, Direktur Operasional Teknik PT Pelindo II, Ferialdi Nurlan"
    reading = ContextReading(*span(whole), 9.0, 0.0)
    named = "Direktur Operasional Teknik PT Pelindo II, Ferialdi Nurlan"
    assert typed_span("Siapa tersangka yang ditetapkan Bareskrim?", context, reading) == span(named)
    assert typed_span("Apa yang ditetapkan Bareskrim?", context, reading) == span(whole)  # no person asked


@pytest.mark.parametrize("question, text, wrong", [
    ("Menhan Rusia ngomongin kerja intens dengan CSTO kapan?", "Sergei Shoigu", True),
    ("Kapan pasukan tiba?", "Kamis pagi", False),
    ("Berapa tentara yang dikirim?", "Kabul", True),
    ("Berapa tentara yang dikirim?", "tiga ribu", False),
    ("Berapa tentara Rusia yang ikut latihan?", "15 Agustus 2021", True),  # a date counts nothing
    ("Berapa tentara Rusia yang ikut latihan?", "Rabu (1/9/2021)", True),
    ("Berapa tentara Rusia yang ikut latihan?", "Kamis (15/7)", True),
    ("Berapa tentara Rusia yang ikut latihan?", "20.000", False),
    ("Berapa kepadatan bilangan prima itu?", "1/6", False),  # a fraction is no date
    ("Tanggal berapa forum itu digelar?", "15 Agustus 2021", False),
    ("Siapa yang mengatakan?", "Kamis pagi", False),  # persons are not strict: "pejabat senior" is a who
    ("Berapa lama pertandingan semifinal itu?", "21-8, 21-15", True),
    ("Berapa lama pertandingan semifinal itu?", "92 menit", False),
])
def test_a_time_or_quantity_question_misfits_a_span_without_the_shape(question, text, wrong):
    assert misfits(question, text) is wrong


@pytest.mark.parametrize("text, opens", [
    ("Senin", True), ("pada Kamis pagi", True), ("lebih dari 1.000", True), ("(1/9/2021)", True),
    ("Afghanistan, Senin", False), ("Sergei Shoigu mengatakan minggu", False), ("pada Kamis pagi pekan lalu itu", False),
])
def test_a_far_time_must_open_with_its_shape(text, opens):
    assert opens_with_shape(TIME, text) is opens


def test_a_far_length_of_time_opens_with_its_number():
    assert opens_with_shape(DURATION, "92 menit") and opens_with_shape(DURATION, "sejak 2001")
    assert not opens_with_shape(DURATION, "21-8, 21-15") and not opens_with_shape(DURATION, "babak kedua 30 menit")


def test_a_span_that_only_repeats_the_question_gives_way():
    context = "Presiden Rusia Vladimir Putin menawarkan Joe Biden pangkalan di Asia Tengah."
    span = spans_in(context)
    reading = ContextReading(*span("Joe Biden"), 10.0, 0.0, alternatives=((*span("Vladimir Putin"), 9.0),))
    assert typed_span("Siapa yang menawarkan Joe Biden pangkalan?", context, reading) == span("Vladimir Putin")
    assert typed_span("Siapa yang ditawari pangkalan?", context, reading) == span("Joe Biden")
    far = ContextReading(*span("Joe Biden"), 10.0, 0.0, alternatives=((*span("Vladimir Putin"), 7.0),))
    assert typed_span("Siapa yang menawarkan Joe Biden pangkalan?", context, far) == span("Joe Biden")


def test_a_span_across_a_sentence_boundary_gives_way():
    context = "Rio finis di posisi kelima, Minggu (26/7/2015). Sehari sebelumnya, ia finis di posisi keempat."
    span = spans_in(context)
    across = (span("posisi kelima")[0], span("posisi keempat")[1])
    reading = ContextReading(*across, 10.0, 0.0, alternatives=((*span("posisi kelima"), 9.0),))
    assert typed_span("Di posisi berapa Rio finis?", context, reading) == span("posisi kelima")
    assert typed_span("Di posisi berapa Rio finis?", context, reading, one_sentence=False) == across


def test_why_questions_get_the_whole_clause():
    text = "Langkah ini diambil karena Taliban kian agresif di utara, kata pejabat itu."
    start = text.index("Taliban")
    span = clean_span("Mengapa langkah ini diambil?", text, Span(start, start + len("Taliban kian agresif")),
                      Span(0, len(text)))
    assert text[span.start : span.end] == "karena Taliban kian agresif di utara"
    plain = "Pasukan ditarik, pemerintah runtuh dalam sepekan."
    inner = plain.index("runtuh")
    whole = clean_span("Bagaimana nasib pemerintah?", plain, Span(inner, inner + 6), Span(0, len(plain)))
    assert plain[whole.start : whole.end] == "pemerintah runtuh dalam sepekan"
    factoid = clean_span("Siapa yang kian agresif?", text, Span(start, start + len("Taliban")), Span(0, len(text)))
    assert text[factoid.start : factoid.end] == "Taliban"


@pytest.mark.parametrize("question, yes_or_no", [
    ("Kedutaan Besar Rusia di Kabul masih beroperasi tidak setelah Taliban masuk?", True),  # "msh beroperasi gak stlh"
    ("Memang Rusia mau bantu, tetap buka tidak?", True),
    ("Kedutaan Amerika Serikat di Kabul tetap buka tidak kata Kementerian Luar Negeri?", True),
    ("Amerika Serikat sudah menarik semua pasukannya belum?", True),
    ("Benar tidak Amerika Serikat kirim 3.000 tentara ke Kabul?", True),
    ("Rusia bukan anggota NATO kan?", True),
    ("Apa Taliban sudah masuk Kabul?", True),
    ("Apakah populasi Salvador masih tumbuh?", True),
    ("Apakah nama ilmiah kucing pasir?", False),  # "Apakah" asks "what" in the QA sets
    ("Apa nama presiden yang sudah mundur?", False),
    ("Apakah peristiwa terbesar yang pernah terjadi di Pompeii?", False),
    ("Mengapa Taliban tidak mau kerja sama?", False),
    ("Taliban tidak mau berunding dengan siapa?", False),
    ("Pasukan Amerika Serikat tidak dikirim ke Kabul?", False),  # "tidak" negates the verb: no tag
    ("Kapankah Sultan Mahmud Badaruddin II dilahirkan?", False),
])
def test_yes_or_no_questions_are_told_apart(question, yes_or_no):
    assert asks_yes_or_no(question) is yes_or_no


def test_yes_or_no_questions_get_the_clause_that_says_it():
    text = "Kedutaan Rusia tetap beroperasi di Kabul setelah Taliban masuk, kata Kabulov."
    inner = text.index("setelah")
    span = clean_span("Kedutaan Rusia masih beroperasi tidak setelah Taliban masuk?", text,
                      Span(inner, inner + len("setelah Taliban masuk")), Span(0, len(text)))
    assert text[span.start : span.end] == "Kedutaan Rusia tetap beroperasi di Kabul setelah Taliban masuk"


def test_reader_evaluation_scores_the_bots_span_choice_beside_the_top_span():
    from bot.reader.qa_data import QAExample
    from bot.reader.rc_eval import predictions

    context = "Pada Kamis pagi Ned Price mengatakan 3.000 tentara dikirim ke Kabul."
    span = spans_in(context)
    reading = ContextReading(*span("Ned Price"), 10.0, 0.0, alternatives=((*span("3.000"), 9.0),))
    example = QAExample("q", "Berapa tentara yang dikirim?", context, ("3.000",), (context.index("3.000"),))
    assert predictions([example], [reading], None) == ["Ned Price"]
    assert predictions([example], [reading], None, span_choice=True) == ["3.000"]


@pytest.mark.parametrize("text, kept", [
    ("Kamis lalu benar-benar membuat geram AS", "Kamis lalu"),
    ("pada Kamis pagi", "pada Kamis pagi"),
    ("minggu lalu Moskow", "minggu lalu Moskow"),  # a name after it: not a clause
    ("pertengahan zaman Heian", "pertengahan zaman Heian"),  # no day, month or number to keep
    ("Rabu (1/9/2021) mengatakan hal itu", "Rabu (1/9/2021) mengatakan hal itu"),  # "itu" may be part of a time
    ("16 Agustus 2021 ketika Taliban masuk", "16 Agustus 2021"),
])
def test_a_time_ends_before_a_clause_with_no_time_in_it(text, kept):
    start, end = without_trailing_clause(TIME, text, 0, len(text))
    assert text[start:end] == kept
    assert without_trailing_clause(QUANTITY, text, 0, len(text)) == (0, len(text))  # times only


@pytest.mark.parametrize("text, kept", [
    ("22-20, 21-23 dan 21-12 dalam tempo 92 menit", "92 menit"),
    ("92 menit", "92 menit"),  # short already
    ("75 - 100 tahun menurut perkiraan", "75 - 100 tahun menurut perkiraan"),  # a period stays whole
    ("lima abad, dari bulan Juli 1392 sampai Oktober 1897", "lima abad, dari bulan Juli 1392 sampai Oktober 1897"),
    ("selama dua minggu dan tiga hari terakhir", "selama dua minggu dan tiga hari terakhir"),  # two lengths: left as is
])
def test_a_length_question_takes_the_one_length_a_long_span_holds(text, kept):
    start, end = the_length_asked(DURATION, text, 0, len(text))
    assert text[start:end] == kept
    assert the_length_asked(QUANTITY, text, 0, len(text)) == (0, len(text))


@pytest.mark.parametrize("cut, whole", [
    ("enam", "enam ratus"),  # "Inggris mengerahkan sekitar enam ratus pasukannya" (a seed article)
    ("dua", "dua puluh lima"), ("dua puluh", "dua puluh lima"), ("3", "3 ribu"), ("tujuh", "tujuh belas"),
    ("124.000", "124.000"),  # nothing cut
])
def test_a_number_written_in_words_is_not_cut(cut, whole):
    text = "Inggris mengerahkan sekitar enam ratus pasukannya, dua puluh lima orang, 3 ribu tentara, tujuh belas kapal dan 124.000 orang."
    start = text.index(cut)
    s, e = whole_number(QUANTITY, text, start, start + len(cut))
    assert text[s:e] == whole
    assert whole_number(PERSON, text, start, start + len(cut)) == (start, start + len(cut))  # quantities only


def test_a_labelled_number_is_asked_with_its_label():
    # a 2015 news story: the count in the first sentence is no answer to "di KM berapa"
    context = ("Suhud dan tujuh anggota keluarganya adalah korban kecelakaan maut di Tol Cipali. "
               "Keluarga itu mengalami kecelakaan di kawasan Tol Cipali KM 166.")
    span = spans_in(context)
    question = "Di KM berapa kecelakaan maut keluarga Suhud terjadi?"
    assert misfits(question, "tujuh") and not misfits(question, "KM 166") and not misfits(question, "km166")
    # the reader's "166" runs from its label; a count it prefers is passed over for the labelled number
    assert context[slice(*typed_span(question, context, ContextReading(*span("166"), 9.0, 0.0)))] == "KM 166"
    reading = ContextReading(*span("tujuh"), 12.0, 0.0, alternatives=((*span("KM 166"), 4.0),))
    assert context[slice(*typed_span(question, context, reading))] == "KM 166"
    # only labels: "berapa" alone, or a unit, asks for a count
    assert not misfits("Berapa anggota keluarga yang tewas?", "tujuh")
    assert not misfits("Pada suhu berapa air mendidih?", "100 derajat")
    assert not misfits("Peraturan Menteri nomor berapa yang berisi aturan itu?", "Nomor 17 / M-DAG / PER / 9/2005")
