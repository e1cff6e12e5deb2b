"""A sum of money comes with its currency (`bot/money.py`)."""

from __future__ import annotations

import pytest

from bot.money import asks_money, sum_without_currency


@pytest.mark.parametrize("question, asks", [
    ("Berapa uang yang dihabiskan Amerika Serikat untuk perang Afghanistan?", True),  # "brp duit yg dihabisin amrik …"
    ("Berapa biaya pembangunan jembatan itu?", True),
    ("Anggarannya berapa?", True),
    ("Kerugian negara dalam kasus itu mencapai berapa?", True),
    ("Berapa persen harga minyak naik?", False),  # a percentage is asked
    ("Berapa negara yang menandatangani perjanjian tarif itu?", False),  # countries are counted
    ("Harga minyak naik berapa kali?", False),
    ("Berapa tentara yang dikirim ke Kabul?", False),
])
def test_which_questions_ask_how_much_money(question, asks):
    assert asks_money(question) is asks


TEXT = ("Amerika Serikat mengirimkan tiga ribu pasukannya ke bandara Kabul. Perang itu menelan biaya "
        "lebih dari 2 triliun dolar AS, sementara Indonesia menyumbang Rp2,3 miliar dan pajak naik 15 persen. UEFA mendenda Kroasia euro100.000.")


def _span(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def test_a_sum_is_taken_only_where_a_currency_is_written():
    question = "Berapa uang yang dihabiskan Amerika Serikat untuk perang?"
    assert sum_without_currency(question, TEXT, *_span("tiga ribu"))  # troops, not money
    assert not sum_without_currency(question, TEXT, *_span("lebih dari 2 triliun"))  # "dolar AS" follows
    assert not sum_without_currency(question, TEXT, *_span("2,3 miliar"))  # "Rp" before it
    assert not sum_without_currency(question, TEXT, *_span("15 persen"))
    assert not sum_without_currency("Berapa denda yang dijatuhkan UEFA?", TEXT, *_span("euro100.000"))  # written together
    assert not sum_without_currency("Berapa pasukan yang dikirim?", TEXT, *_span("tiga ribu"))  # no money asked
