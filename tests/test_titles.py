"""The office a passage gives a person, against the office a question asks about (bot/titles.py)."""

from __future__ import annotations

import pytest

from bot.titles import (asked_office, given_title, holds_no_office, is_office_word, office_of, part_of_the_name,
                        person_asked_about, titled_as_another, titled_as_asked)

# Sentences as the seed articles write them.
TEXT = ("Putin pada Juni lalu sudah menawarkan kepada Presiden AS Joe Biden, untuk memakai pangkalan. "
        "“Ini bukan penarikan besar-besaran,” kata juru bicara Departemen Luar Negeri, Ned Price. "
        "Menteri Luar negeri ANthony Blinken dan Menteri Pertahanan Rusia Sergei Shoigu hadir. "
        "Jenderal Mark Milley berbicara di dalam Joe Biden.")


def at(name: str) -> int:
    return TEXT.index(name)


def span_at(key: str) -> tuple[int, int]:
    """The name found by `key` ("Joe Biden," finds the first mention), without the punctuation."""
    return at(key), at(key) + len(key.rstrip(",."))


@pytest.mark.parametrize("name, title", [
    ("Joe Biden,", ["Presiden", "AS"]),
    ("Ned Price", ["juru", "bicara", "Departemen", "Luar", "Negeri"]),  # past the appositive comma
    ("ANthony", ["Menteri", "Luar", "negeri"]),  # a lower-case word inside a capitalised title
    ("Sergei", ["Menteri", "Pertahanan", "Rusia"]),
    ("Mark", ["Jenderal"]),
    ("Joe Biden.", []),  # "di dalam" is no title
    ("Putin", []),  # the start of the text
])
def test_the_title_written_before_a_name(name, title):
    assert given_title(TEXT, at(name)) == title


@pytest.mark.parametrize("question, office", [
    ("Siapa Menteri Pertahanan AS yang berbicara dengan Ashraf Ghani?", ["Menteri", "Pertahanan", "AS"]),
    ("Menteri Luar Negeri (menlu) Rusia siapa namanya?", ["Menteri", "Luar", "Negeri", "Rusia"]),
    ("Siapa presiden Uzbekistan sebelum Mirziyoyev?", ["presiden", "Uzbekistan"]),
    ("Siapa yang bilang kerja sama di bandara Kabul belum tentu jadi model?", []),
])
def test_the_office_a_question_asks_about(question, office):
    assert asked_office(question) == office


@pytest.mark.parametrize("question, name", [
    ("Presiden Kirgizstan siapa?", "Joe Biden,"),
    ("Siapa juru bicara (jubir) Taliban?", "Ned Price"),
    ("Perdana Menteri (pm) Inggris siapa?", "ANthony"),
    ("Menteri Luar Negeri (menlu) Rusia siapa namanya?", "Sergei"),
])
def test_a_person_with_another_office_is_not_the_answer(question, name):
    assert titled_as_another(question, TEXT, *span_at(name))



def test_a_role_an_appositive_gives_after_the_name_counts_as_their_title():
    text = ("Zabihullah Atiq, seorang anggota parlemen dari Badakhshan, mengatakan kepada Reuters bahwa Taliban "
            "telah merebut 26 distrik. Ned Price, yang juga hadir, tidak berkomentar.")
    atiq = (0, len("Zabihullah Atiq"))
    assert titled_as_another("Siapa juru bicara (jubir) Taliban?", text, *atiq)
    assert not titled_as_another("Siapa anggota parlemen dari Badakhshan?", text, *atiq)
    assert not titled_as_another("Siapa parlemen Badakhshan yang menjadi juru bicara?", text, *atiq)  # described so
    price = (text.index("Ned Price"), text.index(", yang juga"))
    assert not titled_as_another("Siapa juru bicara Taliban?", text, *price)  # "yang ..." says what he did


def test_the_short_form_of_a_stan_country_is_the_country():
    text = "Presiden Rusia Vladimir Putin berbicara dengan Presiden Tajik Emomali Rakhmon."
    rakhmon = (text.index("Emomali"), len(text) - 1)
    assert not titled_as_another("Siapa presiden Tajikistan?", text, *rakhmon)
    assert not titled_as_another("Siapa presiden Tajik?", text, *rakhmon)
    assert titled_as_another("Siapa presiden Uzbekistan?", text, *rakhmon)


def test_a_ministry_is_a_department_in_titles():
    text = "Juru bicara Departemen Luar Negeri AS Ned Price mengatakan itu."
    price = (text.index("Ned Price"), text.index(" mengatakan"))
    assert not titled_as_another("Siapa juru bicara Kementerian Luar Negeri Amerika Serikat (AS)?", text, *price)
    assert titled_as_another("Siapa juru bicara Kementerian Pertahanan AS?", text, *price)


def test_who_the_text_titles_as_asked():
    text = ("Menteri Luar negeri ANthony Blinken dan Menteri Pertahanan Lloyd Austin berbicara dengan Presiden "
            "Afghanistan Ashraf Ghani. Wakil Khusus Presiden Rusia Vladimir Putin di Afghanistan, Zamir Kabulov, hadir.")

    def at(name: str) -> tuple[int, int]:
        start = text.index(name)
        return start, start + len(name)

    defence = "Siapa Menteri Pertahanan (menhan)?"
    assert titled_as_asked(defence, text, *at(" Lloyd Austin"))  # the reader's spans may open with a space
    assert not titled_as_asked(defence, text, *at("ANthony Blinken"))
    # the text does not say whose minister he is (an Indonesian story writes its own one so)
    assert not titled_as_asked("Siapa Menteri Pertahanan Jepang?", text, *at("Lloyd Austin"))
    assert not titled_as_asked("Siapa Menteri Luar Negeri Rusia?", text, *at("Pertahan"))  # inside a word
    assert not titled_as_asked("Siapa Menteri Luar Negeri Rusia?", text, *at("Lloyd Austin"))  # "Luar Negeri" missing
    assert titled_as_asked("Siapa Presiden Afghanistan?", text, *at("Ashraf Ghani"))
    assert not titled_as_asked("Siapa Presiden Afghanistan?", text, *at("Zamir Kabulov"))  # a Wakil Khusus
    assert not titled_as_asked("Siapa Presiden Rusia?", text, *at("Vladimir"))  # not the whole name
    assert not titled_as_asked("Kapan Lloyd Austin berbicara?", text, *at("Lloyd Austin"))  # no office asked


def test_a_person_the_passage_places_in_another_country_is_not_the_answer():
    text = ("Rakhmon juga memanggil sesama pemimpin Asia Tengah Shavkat Mirziyoyev dari Uzbekistan dan "
            "Kassym-Jomart Tokayev dari Kazakhstan.")
    tokayev = (text.index("Kassym"), text.index(" dari Kazakhstan"))
    mirziyoyev = (text.index("Shavkat"), text.index(" dari Uzbekistan"))
    assert titled_as_another("Siapa presiden Uzbekistan sebelum Mirziyoyev?", text, *tokayev)
    assert not titled_as_another("Siapa presiden Uzbekistan?", text, *mirziyoyev)
    assert not titled_as_another("Siapa presiden Kazakhstan?", text, *tokayev)
    assert not titled_as_another("Siapa presiden Tajikistan?", text, *tokayev)  # no one placed there: nothing against it


@pytest.mark.parametrize("question, name", [
    ("Siapa Presiden Amerika Serikat?", "Joe Biden,"),  # "AS" written out
    ("Siapa juru bicara Departemen Luar Negeri AS?", "Ned Price"),  # a shorter title is no disagreement
    ("Siapa Menteri Luar Negeri?", "ANthony"),
    ("Siapa Menteri Pertahanan Rusia?", "Sergei"),
    ("Siapa Kepala Staf Gabungan AS?", "Mark"),  # a rank says nothing about the office
    ("Siapa presiden yang ditawari pangkalan?", "Joe Biden."),  # no title before the name
    ("Kapan Presiden Kirgizstan datang?", "Joe Biden,"),  # not a "siapa" question
])
def test_a_matching_missing_or_shorter_title_does_not_count_against_the_answer(question, name):
    assert not titled_as_another(question, TEXT, *span_at(name))


def test_a_title_inside_the_span_counts_too():
    span = (at("Menteri Pertahanan"), at("Sergei Shoigu") + len("Sergei Shoigu"))
    assert given_title(TEXT, *span) == ["Menteri", "Pertahanan", "Rusia"]
    assert titled_as_another("Menteri Luar Negeri (menlu) Rusia siapa namanya?", TEXT, *span)
    assert not titled_as_another("Siapa Menteri Pertahanan Rusia?", TEXT, *span)
    name_only = (at("Sergei Shoigu"), at("Sergei Shoigu") + len("Sergei Shoigu"))
    assert given_title(TEXT, *name_only) == ["Menteri", "Pertahanan", "Rusia"]  # the name itself is no title


def test_a_name_written_without_an_office_takes_the_office_the_article_gives_it_elsewhere():
    article = "Presiden AS Joe Biden bertemu Putin. Putin menawarkan pangkalan kepada Joe Biden."
    later = (article.rindex("Joe Biden"), article.rindex("Joe Biden") + len("Joe Biden"))
    assert not titled_as_another("Presiden Kirgizstan siapa?", article, *later)  # the passage alone says nothing
    assert titled_as_another("Presiden Kirgizstan siapa?", article, *later, article)
    assert not titled_as_another("Siapa Presiden Amerika Serikat?", article, *later, article)
    untitled = "Putin menawarkan pangkalan kepada Joe Biden."
    assert not titled_as_another("Presiden Kirgizstan siapa?", untitled, 34, 43, untitled)  # no office anywhere


@pytest.mark.parametrize("question, name", [
    ("Siapa Ned Price?", "Ned Price"),
    ("Siapa Milley?", "Milley"),
    ("Siapa itu Sergei Shoigu?", "Sergei Shoigu"),
    ("Siapa Zas itu?", "Zas"),
    ("Apa jabatan Milley?", "Milley"),
    ("Apa Milley jabatannya?", "Milley"),  # "milley jabatannya apa", as word order reads it
    ("Apa Milley itu jabatannya?", "Milley"),
    ("Apa jabatan Mark Milley?", "Mark Milley"),  # a given name Sastrawi lists as a root ("mark")
    ("Siapa Pemain Terbaik?", None),  # ordinary words only: no name
    ("Ned Price juru bicara mana?", "Ned Price"),
    ("Rahmon presiden negara mana?", "Rahmon"),
    ("Shoigu itu Menteri apa?", "Shoigu"),
    ("Siapa Presiden Rusia?", None),  # asks for a person, not who one is
    ("Siapa Jenderal Milley?", None),
    ("Siapakah Manajer Tim Persija?", None),  # an ordinary word first: an office, not a name
    ("Siapa yang menembak?", None),
    ("Siapa presiden AS dan Rusia?", None),
])
def test_who_is_someone_questions(question, name):
    assert person_asked_about(question) == name


@pytest.mark.parametrize("name, office", [
    ("Ned Price", "juru bicara Departemen Luar Negeri, Ned Price"),
    ("Shoigu", "Menteri Pertahanan Rusia Sergei Shoigu"),
    ("Joe Biden", "Presiden AS Joe Biden"),
    ("Putin", None),  # named at the start of a sentence, without an office
    ("Blinken", "Menteri Luar negeri ANthony Blinken"),
])
def test_the_office_an_article_gives_a_person(name, office):
    found = office_of(TEXT, name)
    assert (TEXT[found[0] : found[1]] if found else None) == office


def test_a_short_form_office_counts():
    text = "Kapolri Jenderal Badrodin Haiti mengatakan penyelidikan berlanjut."
    found = office_of(text, "Badrodin Haiti")
    assert text[found[0] : found[1]] == "Kapolri Jenderal Badrodin Haiti"


def test_words_that_are_another_persons_office_are_skipped():
    text = "Wakil Khusus Presiden Rusia Vladimir Putin di Afghanistan, Zamir Kabulov, mengatakan hal itu."
    assert office_of(text, "Putin") is None
    assert office_of(text + " Kata Presiden Rusia Vladimir Putin, Senin.", "Putin") is not None


def test_an_office_of_two_fields_joined_by_dan_is_one_title():
    text = "Menteri Kelautan dan Perikanan Susi Pudjiastuti telah meminta Duta Besar Selandia Baru bertindak."
    start = text.index("Susi")
    end = start + len("Susi Pudjiastuti")
    assert given_title(text, start, end) == ["Menteri", "Kelautan", "dan", "Perikanan"]
    assert titled_as_another("Siapa Perdana Menteri Selandia Baru?", text, start, end, text)
    assert not titled_as_another("Siapa Menteri Kelautan dan Perikanan?", text, start, end, text)
    pair = "Presiden Vladimir Putin dan Menteri Luar Negeri Sergei Lavrov bertemu. Kata Budi dan Ani."
    lavrov = pair.index("Sergei")
    assert given_title(pair, lavrov, lavrov + len("Sergei Lavrov")) == ["Menteri", "Luar", "Negeri"]  # not Putin's
    ani = pair.index("Ani")
    assert given_title(pair, ani, ani + 3) == []  # "dan" right before a name joins two people


ARTICLE = ("Tajikistan memanggil pasukan cadangan saat pasukan Afghanistan melarikan diri dari gerilyawan Taliban. "
           "Presiden Tajikistan Emomali Rahmon berbicara dengan Presiden Rusia. Partai Golkar mendukung kubu Djan Faridz.")


@pytest.mark.parametrize("question, name, holds_none", [
    ("Siapa Presiden Tajikistan?", "Taliban", True),  # a group: "gerilyawan Taliban"
    ("Siapa Presiden Tajikistan?", "Rusia", True),  # a country
    ("Siapa ketua umum partai itu?", "Golkar", True),
    ("Siapa Presiden Tajikistan?", "Emomali Rahmon", False),
    ("Siapa pemimpin kubu itu?", "Djan Faridz", False),  # "kubu" is written before people too
    ("Siapa yang menyerang pasukan Afghanistan?", "Taliban", False),  # no office asked: a group may answer
    ("Siapa penasihat keamanan dalam negeri AS?", "Pasukan Pertahanan Nasional Afghanistan", True),  # an institution
    ("Siapa Menteri Luar Negeri AS?", "Kementerian Luar Negeri", True),
    ("Siapa yang menyerang pasukan Afghanistan?", "Pasukan Pertahanan Nasional", False),
])
def test_a_country_or_a_group_holds_no_office(question, name, holds_none):
    assert holds_no_office(question, name, ARTICLE) is holds_none


@pytest.mark.parametrize("token, office", [
    ("Presiden", True), ("penasihat", True), ("Pelatih", True),
    ("Preisden", True), ("Sekretars", True), ("Pangilma", True),  # misspelt, capitalised, no Indonesian word
    ("Kepada", False), ("Memimpin", False), ("Urusan", False),  # Indonesian words one slip from an office
    ("preisden", False),  # a slip counts only in a capitalised title
])
def test_office_words_and_their_misspellings(token, office):
    assert is_office_word(token) is office


def test_a_misspelt_title_is_still_another_office():
    text = "Preisden Joe Biden, masih tetap bersikukuh untuk mengakhiri 19 tahun misi As di Afghanistan."
    start = text.index("Joe")
    assert titled_as_another("Siapa Menteri Pertahanan (menhan) AS?", text, 0, start + len("Joe Biden"))
    assert not titled_as_another("Siapa Presiden AS?", text, 0, start + len("Joe Biden"))


def test_an_adviser_is_not_the_president():
    text = ("Penasihat Keamanan Dalam Negeri Amerika Serikat Elizabeth Sherwood-Randall mengatakan bahwa pihaknya "
            "akan terus meminta dukungan.")
    start = text.index("Elizabeth")
    assert titled_as_another("Siapa Presiden Amerika Serikat (AS)?", text, start, start + len("Elizabeth Sherwood-Randall"))


KABULOV = ("Wakil Khusus Presiden Rusia Vladimir Putin di Afghanistan, Zamir Kabulov, mengatakan pada Senin bahwa "
           "kedutaan tengah membangun hubungan. Presiden bertemu di Kabul, Ahmad Zia bilang. "
           "Duta Besar Rusia di Afghanistan Dmitry Zhirnov hadir.")


@pytest.mark.parametrize("name, office", [
    ("Kabulov", "Wakil Khusus Presiden Rusia Vladimir Putin di Afghanistan, Zamir Kabulov"),  # past his given name
    ("Zamir Kabulov", "Wakil Khusus Presiden Rusia Vladimir Putin di Afghanistan, Zamir Kabulov"),
    ("Dmitry Zhirnov", "Duta Besar Rusia di Afghanistan Dmitry Zhirnov"),
    ("Ahmad Zia", None),  # "bertemu di Kabul" is no office
])
def test_an_office_that_names_a_place_with_di(name, office):
    found = office_of(KABULOV, name)
    assert (KABULOV[found[0] : found[1]] if found else None) == office


@pytest.mark.parametrize("question, span, piece", [
    ("Siapa Rahmon itu?", "Tajik Emomali", True),  # right before the name: the rest of it
    ("Siapa Rahmon itu?", "Emomali Rahmon", True),
    ("Siapa Rahmon itu?", "timpalannya dari Tajik", False),  # what he is to Putin
    ("Siapa Rahmon itu?", "Presiden Tajikistan", False),  # an office
    ("Siapa Presiden Tajikistan?", "Tajik Emomali", False),  # no "who is X?"
])
def test_a_piece_of_the_asked_name_is_no_answer(question, span, piece):
    text = "Putin membahas situasi dengan timpalannya dari Tajik Emomali Rahmon. Presiden Tajikistan hadir."
    start = text.index(span)
    assert part_of_the_name(question, text, start, start + len(span)) is piece
