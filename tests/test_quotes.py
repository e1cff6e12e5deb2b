"""What someone said: the question that asks it, the quote news writes, and the answer through the real pipeline."""

from __future__ import annotations

import pytest

from bot.quotes import quote_of, speaker_asked_about


@pytest.mark.parametrize("question, asked", [
    ("Apa kata Ned Price soal kedutaan?", ("Ned Price", "soal kedutaan")),
    ("Apa yang dikatakan Milley soal Taliban?", ("Milley", "soal Taliban")),
    ("Zamir Kabulov berbicara apa?", ("Zamir Kabulov", "")),  # "zamir kabulov ngomong apa", normalised
    ("Kabulov mengatakan apa soal aset Afghanistan?", ("Kabulov", "soal aset Afghanistan")),
    ("Kata Putin apa soal pangkalan?", ("Putin", "soal pangkalan")),
    ("Apa kata yang prasejarahnya tidak singkat?", None),  # the one such question in FacQA, IDK-MRC, TyDi QA-ID
    ("Apa kata pernyataan itu?", None),
    ("Siapa yang mengatakan apa?", None),
])
def test_the_question_that_asks_what_someone_said(question, asked):
    assert speaker_asked_about(question) == asked


TEXT = ("“Ini bukan pengabaian. Ini juga bukan penarikan besar-besaran,” kata juru bicara Departemen Luar Negeri, "
        "Ned Price. Kabulov mengatakan pada Senin bahwa kedutaan tengah membangun hubungan dengan Taliban. "
        "Kabulov mengatakan Rusia siap membantu membangun kembali perekonomian dan tidak membekukan aset Afghanistan. "
        "Menurut Milley, kerja sama itu belum tentu menjadi model. Biden bertemu Price.")


@pytest.mark.parametrize("name, topic, quote", [
    ("Ned Price", "", "Ini bukan pengabaian. Ini juga bukan penarikan besar-besaran"),  # quotation, then "kata … Ned Price"
    ("Kabulov", "", "kedutaan tengah membangun hubungan dengan Taliban."),  # the earliest on no topic
    ("Kabulov", "soal aset Afghanistan", "Rusia siap membantu membangun kembali perekonomian dan tidak membekukan aset Afghanistan."),
    ("Milley", "", "kerja sama itu belum tentu menjadi model."),  # "Menurut Milley, …"
    ("Biden", "", None),  # named, quoted nowhere
])
def test_the_words_news_gives_a_person(name, topic, quote):
    found = quote_of(TEXT, name, topic)
    assert (TEXT[found[0] : found[1]] if found else None) == quote


def test_what_someone_said_is_answered_with_their_words(answerer):
    price = answerer.answer("apa kata ned price soal kedutaan")  # the reader answered "Departemen Luar Negeri"
    assert price.mode == "quote" and "bukan penarikan besar-besaran" in price.text
    assert price.article.id.startswith("000") and price.text in price.sentence
    kabulov = answerer.answer("kabulov bilang apa soal aset afghanistan")
    assert kabulov.mode == "quote" and "tidak membekukan aset" in kabulov.text and kabulov.article.id.startswith("003")


@pytest.mark.parametrize("question", [
    "apa kata ned price soal gempa cianjur",  # the seeds quote him on the embassy only
    "biden bilang apa",  # never quoted in the seeds; the reader answered "Afghanistan"
])
def test_no_quote_no_answer(answerer, question):
    answer = answerer.answer(question)
    assert answer.abstained and answer.related  # "tidak tahu", with the closest articles
