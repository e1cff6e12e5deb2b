"""What a short form stands for, from the name an article writes before it in brackets."""

from __future__ import annotations

import pytest

from bot.acronyms import short_form_asked_about, spelled_out


@pytest.mark.parametrize("question, short", [
    ("Apa CSTO itu?", "CSTO"), ("Apa itu CSTO?", "CSTO"), ("Apa kepanjangan dari BPS?", "BPS"),
    ("Apakah singkatan dari MIDI?", "MIDI"), ("Apa ISIS-K itu?", "ISIS-K"), ("Apa C5+1 itu?", "C5+1"),
    ("Apa yang dilakukan CSTO?", None), ("Apa kata CSTO?", None), ("Siapa CSTO?", None), ("Apa itu csto?", None),
])
def test_questions_that_ask_what_a_short_form_is(question, short):
    assert short_form_asked_about(question) == short


@pytest.mark.parametrize("body, short, name", [
    ("dalam kerangka Organisasi Perjanjian Keamanan Kolektif (CSTO).", "CSTO", "Organisasi Perjanjian Keamanan Kolektif"),
    ("Menurut Badan Pusat Statistik (BPS), angka itu turun.", "BPS", "Badan Pusat Statistik"),
    ("peneliti Limnologi Lembaga Ilmu Pengetahuan Indonesia (LIPI) berkata", "LIPI", "Lembaga Ilmu Pengetahuan Indonesia"),
    ("the United Nations Office for Project Services (UNOPS) said", "UNOPS", "United Nations Office for Project Services"),
    ("Dewan Perwakilan Rakyat (DPR) dan Dewan Perwakilan Daerah (DPD) bertemu", "DPD", "Dewan Perwakilan Daerah"),
])
def test_the_name_before_the_brackets(body, short, name):
    found = spelled_out(body, short)
    assert (body[found[0] : found[1]] if found else None) == name


def test_no_name_before_the_short_form_is_no_answer():
    assert spelled_out("Anggota CSTO bertemu di Moskow.", "CSTO") is None
