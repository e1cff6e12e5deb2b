"""A question word typed last is put first, with its preposition; anything else is left alone."""

from __future__ import annotations

import pytest

from bot.language.informal import is_indonesian_word
from bot.language.word_order import question_word_first, without_name_filler


@pytest.mark.parametrize("typed, read", [
    ("Kota Ghazni yang direbut Taliban itu letaknya di mana?", "Di mana letak kota Ghazni yang direbut Taliban?"),
    ("Milley itu jabatannya apa?", "Apa jabatan Milley?"),  # "itu" marked the topic
    # what is asked of the topic, with -nya after it, goes right after the question word
    ("Ned Price jabatannya apa?", "Apa jabatan Ned Price?"),
    ("Pangkalan udara AS yang dikosongkan namanya apa?", "Apa nama pangkalan udara AS yang dikosongkan?"),
    ("Putin mendukung Tajikistan caranya bagaimana?", "Bagaimana cara Putin mendukung Tajikistan?"),
    ("Ghazni letaknya di mana?", "Di mana letak Ghazni?"),
    ("CSTO itu apa?", "Apa CSTO itu?"),
    ("Rakhmon khawatirnya soal apa?", "Soal apa Rakhmon khawatirnya?"),
    ("Juru bicaranya siapa?", "Siapa juru bicaranya?"),
    ("Kepanjangan dari GPS apa?", "Apa kepanjangan dari GPS?"),
    ("Yang dimaksud dengan fusi nuklir apa?", "Apa yang dimaksud dengan fusi nuklir?"),
    ("Jumlah tentara Rusia di Tajikistan berapa?", "Berapa jumlah tentara Rusia di Tajikistan?"),
    ("Biden ke Kabul kapan?", "Kapan Biden ke Kabul?"),
    ("Perang itu berlangsung sampai kapan?", "Sampai kapan perang itu berlangsung?"),
    ("Warga Afghanistan ingin pergi, mengapa?", "Mengapa warga Afghanistan ingin pergi?"),
    ("AS mengevakuasi warga dari mana saja?", "Dari mana saja AS mengevakuasi warga?"),  # a name keeps its capital
    ("Tentara Tajik yang dimobilisasi ada berapa?", "Ada berapa tentara Tajik yang dimobilisasi?"),
    ("Milley siapa?", "Siapa Milley?"),
])
def test_a_trailing_question_word_moves_to_the_front(typed, read):
    assert question_word_first(typed, is_indonesian_word) == read


@pytest.mark.parametrize("question", [
    "Siapa presiden Rusia?",  # already first
    "Ashraf Ghani menelepon Rakhmon hari apa?",  # "hari apa", "tahun berapa" stay where they are
    "Piala Dunia itu digelar tahun berapa?",
    "Rio Haryanto finis di urutan berapa?",  # which place, not how many
    "Foto itu dari kantor berita apa?",  # "kantor berita apa" is "which agency", not "what is it"
    "Shoigu itu Menteri apa?",  # minister of what: "Menteri" is an ordinary word, capitalised or not
    "Ia lahir di kota mana?",
    "Kabulov minta negara barat jangan melakukan apa?",
    "Biden berunding dengan siapa sebelum menambah pasukan?",  # not at the end
    "Siapa menyerang siapa?",  # a second question word
    "Dia datang atau apa?",
    "Apa?",
    "Dia siapa?",  # one word: only a name moves
    "",
])
def test_other_questions_are_left_as_they_are(question):
    assert question_word_first(question, is_indonesian_word) == question


@pytest.mark.parametrize("question", [
    "Kata juru bicara Ned Price, pengiriman pasukan itu bentuk dari apa?",
    "Putin menelepon presiden Tajikistan, namanya siapa?",  # the topic is a clause: no "nama Putin menelepon …"
])
def test_a_clause_set_off_by_a_comma_keeps_the_order(question):
    assert question_word_first(question, is_indonesian_word) == question


@pytest.mark.parametrize("question, read", [
    ("Siapa nama presiden Amerika Serikat?", "Siapa presiden Amerika Serikat?"),
    ("Siapa namanya Sekretaris Jenderal CSTO?", "Siapa Sekretaris Jenderal CSTO?"),
    ("Siapa presiden Tajikistan namanya?", "Siapa presiden Tajikistan?"),  # "presiden tajikistan namanya siapa"
    ("Siapa Menteri Luar Negeri Rusia siapa namanya?", "Siapa Menteri Luar Negeri Rusia?"),
    ("Siapa nama lengkap presiden AS?", "Siapa nama lengkap presiden AS?"),  # a particular name
    ("Siapa namanya?", "Siapa namanya?"),  # nothing left to ask about
    ("Apa nama surat kabar itu?", "Apa nama surat kabar itu?"),
])
def test_asking_for_a_name_is_asking_who(question, read):
    assert without_name_filler(question) == read
