"""What chat writes around a question: left out before retrieval, and answered kindly when it is all there is."""

from __future__ import annotations

import pytest

from bot.language.informal import normalize_question
from bot.language.small_talk import question_part, small_talk
from bot.question_input import QuestionProblem, check_question


@pytest.mark.parametrize("typed, question", [
    ("min mau tanya dong, brp pasukan as yg dikirim ke kabul", "brp pasukan as yg dikirim ke kabul"),
    ("halo, aku mau nanya nih brp pasukan", "brp pasukan"),
    ("kak, brp pasukan", "brp pasukan"),
    ("kak siapa presiden tajikistan", "siapa presiden tajikistan"),
    ("bang mau tanya siapa menlu rusia", "siapa menlu rusia"),
    ("pagi min, ledakan dmn", "ledakan dmn"),
    ("Selamat pagi! Siapa menlu Rusia?", "Siapa menlu Rusia?"),
    ("assalamualaikum min, boleh tanya ga, siapa menlu rusia", "siapa menlu rusia"),
    ("ada yg tau ga kpn taliban masuk kabul", "kpn taliban masuk kabul"),
    ("tau ga siapa presiden tajikistan", "siapa presiden tajikistan"),
    ("tlg kasih tau brp pasukan", "brp pasukan"),
    ("numpang tanya, siapa menlu rusia", "siapa menlu rusia"),
    ("info dong siapa menlu inggris", "siapa menlu inggris"),
    ("siapa presiden tajikistan? makasih kak", "siapa presiden tajikistan"),
    ("siapa presiden tajikistan, ada yg tau?", "siapa presiden tajikistan"),
    ("kpn taliban masuk kabul, tau ga", "kpn taliban masuk kabul"),
    ("brp korban ledakan bandara kabul terima kasih sebelumnya 🙏", "brp korban ledakan bandara kabul"),
])
def test_what_chat_writes_around_a_question_is_left_out(typed, question):
    assert question_part(typed) == question
    assert small_talk(typed) is None


@pytest.mark.parametrize("typed", [
    "pak jokowi ngomong apa",  # a title, not someone addressed
    "bu susi jadi menteri apa",
    "pagi tadi ada ledakan dmn",  # a time, not a greeting
    "malam ini siapa yg pidato",
    "apa putin tau ga",  # "tau ga" is the question here
    "Apa itu CSTO?",
    "maaf itu kata siapa",
])
def test_words_that_are_part_of_the_question_stay(typed):
    assert question_part(typed) == typed


@pytest.mark.parametrize("typed, talk", [
    ("halo", "greeting"), ("halo min", "greeting"), ("Selamat malam kak!", "greeting"), ("p", "greeting"),
    ("mau tanya dong", "greeting"), ("assalamualaikum min, mau nanya", "greeting"),
    ("makasih", "thanks"), ("terima kasih ya min 🙏", "thanks"), ("ok makasih", "thanks"), ("thx", "thanks"),
])
def test_a_message_with_no_question_is_small_talk(typed, talk):
    assert small_talk(typed) == talk
    assert check_question(typed) == QuestionProblem(talk)


def test_the_normaliser_reads_only_the_question():
    assert normalize_question("min mau tanya dong, brp org yg tewas dlm gempa itu") == "Berapa orang yang tewas dalam gempa itu?"
    assert normalize_question("halo") == "Halo?"  # nothing but small talk: left as it is (the bot replies before reading)


@pytest.mark.parametrize("typed", [
    "min mau tanya dong, brp tentara cadangan yg dimobilisasi presiden tajikistan",
    "kak brp tentara cadangan yg dimobilisasi presiden tajikistan? makasih",
    "halo, ada yg tau ga brp tentara cadangan yg dimobilisasi presiden tajikistan",
])
def test_a_question_with_chat_around_it_is_answered_like_the_bare_one(answerer, typed):
    bare = answerer.answer("brp tentara cadangan yg dimobilisasi presiden tajikistan")
    answer = answerer.answer(typed)
    assert "20.000" in answer.text and answer.text == bare.text and answer.article.id == bare.article.id
    assert answer.question == typed  # what is logged and shown is what the user wrote
