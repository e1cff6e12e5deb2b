"""The answer-or-abstain model: fitting, thresholds, persistence, and its use in the pipeline."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from bot.answerability import FEATURES, AnswerabilityModel, Evidence, names_another_year, number_in, without_aliases
from bot.answerability_fit import Candidate, Case, Pick, choose_early_exit, choose_pick, fit_model, picked, report

PICK = Pick(fusion_weight=0.5, top_k=3)


def _cases(n: int = 400, seed: int = 1) -> list[Case]:
    """Answerable questions whose words the article covers; unanswerable ones whose names it lacks.

    Each has three read passages: the top one carries the evidence above; the second, ranked
    lower by retrieval, has a slightly higher reader margin and is always wrong.
    """
    rng = np.random.default_rng(seed)
    cases = []
    for i in range(n):
        answerable = i % 2 == 0
        cover = rng.uniform(0.7, 1.0) if answerable else rng.uniform(0.2, 0.8)
        margin = rng.normal(10 if answerable else 6, 3)
        found = Evidence(margin=margin, dense=rng.uniform(0.8, 0.9), passage_cover=cover, article_cover=cover,
                         missing_rare=0 if answerable else int(rng.integers(0, 3)))
        right = answerable and rng.random() < 0.8
        decoy = replace(found, margin=margin + 0.5, retrieval=0.3)
        low = replace(found, margin=margin - 8, retrieval=0.2)
        candidates = (Candidate(1.0, found, 1.0 if right else 0.0), Candidate(0.3, decoy, 0.0), Candidate(0.2, low, 0.0))
        cases.append(Case("synthetic", str(i), not answerable, False, candidates, 0.0 if answerable else 1.0))
    return cases



def _index(*stories: tuple[str, str, str, str]):
    """A passage index over small articles given as (title, outlet, date, body), ids "a", "b", …."""
    from bot.records import Article
    from bot.retrieval.index import PassageIndex

    return PassageIndex.build([Article(chr(ord("a") + i), title, outlet, date, None, body)
                               for i, (title, outlet, date, body) in enumerate(stories)])

def test_fitted_model_separates_answerable_from_unanswerable():
    cases = _cases()
    model = fit_model(cases, PICK)
    scores = report(model, cases, PICK)["synthetic"], report(model, cases, PICK)["synthetic gold removed"]
    assert scores[0]["answerable_f1"] > 60 and scores[1]["unanswerable_declined"] > 70
    assert 0.02 <= model.threshold <= 0.98
    names = dict(zip(FEATURES, model.weights))
    assert names["article_cover"] > 0 and names["missing_rare"] < 0  # the evidence points the right way


def test_threshold_weighs_both_kinds_equally():
    lopsided = _cases() + [c for c in _cases(seed=2) if c.unanswerable] * 3
    assert abs(fit_model(lopsided, PICK).threshold - fit_model(_cases(), PICK).threshold) < 0.2


def test_pick_rule_learns_to_trust_retrieval():
    """A decoy with a higher margin but a weak retrieval score: trusting the reader alone picks it."""
    cases = _cases()
    assert picked(cases[0], Pick(fusion_weight=0.9, top_k=3)) is cases[0].candidates[1]
    pick, table = choose_pick(cases)
    assert pick.fusion_weight < 0.9 and pick.top_k == 3  # top 5 gains nothing here: the cheaper one
    assert table["top3 w=0.9"] < table[f"top3 w={pick.fusion_weight}"]


def test_early_exit_keeps_the_decision():
    cases = _cases()
    pick, _ = choose_pick(cases)
    model = fit_model(cases, pick)
    margin, share = choose_early_exit(model, cases, pick)
    assert share > 0.3  # the top passage is right whenever it is read, so most questions stop there
    assert report(model, cases, replace(pick, early_exit=margin)) == report(model, cases, pick)


def test_model_round_trips_and_rejects_other_features():
    model = replace(fit_model(_cases(), PICK), fusion_weight=0.2, early_exit=math.inf)
    again = AnswerabilityModel.from_dict(model.as_dict())
    probe = Evidence(12.0, 0.85, 0.9, 1.0, 0)
    assert again.probability(probe) == pytest.approx(model.probability(probe))
    assert (again.fusion_weight, again.early_exit) == (0.2, math.inf)
    with pytest.raises(ValueError, match="features"):
        AnswerabilityModel.from_dict({**model.as_dict(), "features": ["margin"]})


def test_pipeline_uses_the_model(answerer):
    """A model that never believes an answer makes the real pipeline decline; one that always does, answer."""
    from bot.pipeline import QuestionAnswerer

    question = "Siapa Sekretaris Jenderal CSTO?"
    base = AnswerabilityModel((0.0,) * len(FEATURES), 0.0, (0.0,) * len(FEATURES), (1.0,) * len(FEATURES), 0.5)
    for bias, answers in ((-5.0, False), (5.0, True)):
        calibration = replace(answerer.calibration, answerability=replace(base, bias=bias).as_dict())
        pipeline = QuestionAnswerer(answerer.index, answerer.reader, calibration, answerer.top_k,
                                    embedder=answerer.embedder)
        answer = pipeline.answer(question)
        assert (answer.text is not None) is answers
        assert 0.0 < answer.score < 1.0  # the model's probability is the reported score


def test_pick_rule_comes_with_the_model_only_for_hybrid_retrieval(answerer):
    """The fitted pick weight and early exit apply with dense retrieval; BM25 alone keeps the calibration's."""
    from bot.pipeline import QuestionAnswerer

    base = AnswerabilityModel((0.0,) * len(FEATURES), 0.0, (0.0,) * len(FEATURES), (1.0,) * len(FEATURES), 0.5,
                              fusion_weight=0.05, early_exit=4.0)
    calibration = replace(answerer.calibration, answerability=base.as_dict())
    hybrid = QuestionAnswerer(answerer.index, answerer.reader, calibration, answerer.top_k, embedder=answerer.embedder)
    bm25_only = QuestionAnswerer(answerer.index, answerer.reader, calibration, answerer.top_k)
    assert hybrid.pick_rule(answerer.index) == (0.05, 4.0)
    assert bm25_only.pick_rule(answerer.index) == (calibration.fusion_weight, calibration.early_exit)


def test_fitting_among_distractors_asks_each_question_within_a_larger_corpus(answerer, tmp_path):
    """A fitting set's contexts are added to the distractor corpus's index, and its questions asked there."""
    import json as json_
    from pathlib import Path

    from bot.answerability_fit import FitSet, fitting_cases
    from bot.pipeline import QuestionAnswerer

    context = "Dewan kota Sukamaju menetapkan 12 Mei sebagai hari jadi kota itu. Wali kotanya bernama Rudi Hartono."
    (tmp_path / "rc.json").write_text(json_.dumps([{"context": context, "qas": [
        {"id": "q1", "question": "Siapa wali kota Sukamaju?", "is_impossible": False,
         "answers": [{"text": "Rudi Hartono", "answer_start": context.index("Rudi Hartono")}]}]}]))
    fit_set = FitSet("tiny", ("rc.json",), "rc.json")
    seeds = Path(__file__).resolve().parent.parent / "seeds"

    def make_answerer(index):
        return QuestionAnswerer(index, answerer.reader, answerer.calibration, 5, embedder=answerer.embedder)

    cases = fitting_cases(make_answerer, tmp_path, tmp_path / "cache", answerer.embedder, "test", (fit_set,),
                          casual=False, distractors=(seeds,))
    by_group = {c.group: c for c in cases}
    assert set(by_group) == {"tiny among distractors", "tiny among distractors gold removed"}
    assert by_group["tiny among distractors"].candidates[0].f1 == 1.0  # its own context still ranks first
    removed = by_group["tiny among distractors gold removed"]
    assert len(removed.candidates) == 5 and all(c.f1 == 0.0 for c in removed.candidates)  # seed passages only


def test_a_name_the_context_holds_is_swapped_for_one_it_lacks():
    import random

    from bot.answerability_fit import name_swapped, question_names

    context = "Presiden Tajikistan Emomali Rahmon bertemu Vladimir Putin di Moskwa."
    question = "Siapa presiden Tajikistan yang bertemu Putin?"
    assert question_names(question) == ["Tajikistan", "Putin"]  # not the first word
    pool = ["Tajikistan", "Putin", "Mongolia", "Moskwa"]
    swapped = {name_swapped(question, context, pool, random.Random(seed)) for seed in range(20)}
    assert swapped == {"Siapa presiden Mongolia yang bertemu Putin?", "Siapa presiden Tajikistan yang bertemu Mongolia?"}
    assert name_swapped("Siapa presiden Kirgizstan?", context, pool, random.Random(1)) is None  # names nothing it holds
    assert name_swapped(question, context, ["Putin", "Moskwa"], random.Random(1)) is None  # no name the context lacks


def test_a_year_is_another_only_when_a_dated_article_neither_has_it_nor_was_published_in_it():
    from bot.records import Article

    story = Article("a", "Marquez juara MotoGP", "Kompas.com", "2015-11-08", None,
                    "Marc Marquez gagal mempertahankan gelar. Musim 2016 dimulai Maret.")
    assert names_another_year("Siapa juara MotoGP 2021?", story)
    assert names_another_year("siapa juara motogp thn 2014", story)
    assert not names_another_year("Siapa juara MotoGP 2015?", story)  # the year it was published
    assert not names_another_year("Kapan musim 2016 dimulai?", story)  # a year it mentions
    assert not names_another_year("Berapa penonton yang hadir, 2.021 orang?", story)  # a number, not a year
    assert not names_another_year("Siapa juara MotoGP?", story)
    undated = Article("b", "Marquez juara", "", None, None, "Marc Marquez juara.")
    assert not names_another_year("Siapa juara MotoGP 2021?", undated)


def test_a_number_is_in_the_article_also_inside_a_date_or_as_its_year():
    from bot.records import Article

    story = Article("a", "800 WNI bergabung dengan ISIS", "Kompas.com", "2015-11-30", None,
                    "Luhut menyampaikan hal itu di Jakarta, Senin (30/11/2015). Sebanyak 1.037 orang dipantau.")
    assert number_in("2015", story) and number_in("800", story) and number_in("1.037", story)
    assert not number_in("1037", story) and not number_in("103", story) and not number_in("2016", story)
    undated = Article("b", "Judul", "", None, None, "Pada 2001 Taliban digulingkan.")
    assert number_in("2001", undated) and not number_in("2015", undated)


def test_the_outlet_a_question_names_is_part_of_the_article():
    """"di berita jitunews": the outlet's name counts as the article's, so it is no missing name."""
    from bot.answerability import evidence

    index = _index(("Putin tawari Biden pangkalan", "JITUNEWS.COM", "2021-07-18",
                    "Media Rusia melaporkan Putin menawarkan pangkalan militer di Asia Tengah."),
                   ("Taliban rebut distrik", "TASS", "2021-07-05", "Taliban merebut distrik di provinsi Badakhshan."))
    question = "Putin menawarkan pangkalan di mana menurut berita jitunews?"
    found = evidence(index, question, 0, 9.0, None, 1.0)
    assert found.missing_rare == 0 and found.article_cover > found.passage_cover
    elsewhere = evidence(index, question, 1, 9.0, None, 1.0)
    assert elsewhere.missing_rare >= 1  # another outlet's story lacks it


def test_reduplicated_and_everyday_words_are_not_missing_names():
    """"buru-buru", "negara-negara" and "dulu" are ordinary words the articles need not hold; a name
    the article lacks still counts."""
    from bot.answerability import evidence

    index = _index(("Milley soal Taliban", "iNews", "2021-09-02",
                    "Milley mengatakan AS tak terburu-buru untuk bekerja sama dengan Taliban."),
                   ("Taliban rebut distrik", "TASS", "2021-07-05", "Taliban merebut distrik di provinsi Badakhshan."))
    plain = evidence(index, "Apakah Milley buru-buru bekerja sama dengan negara-negara itu dulu?", 0, 9.0, None, 1.0)
    assert plain.missing_rare == 0
    named = evidence(index, "Apakah Milley buru-buru bekerja sama dengan Kandahar dulu?", 0, 9.0, None, 1.0)
    assert named.missing_rare == 1


def test_the_noun_a_question_word_asks_about_is_no_repeat():
    from bot.answerability import repeated_share
    from bot.records import Article
    from bot.retrieval.index import PassageIndex

    call = Article("a", "Telepon", "TASS", None, None, "Ghani menelepon Rakhmon pada hari Minggu.")
    index = PassageIndex.build([call])
    assert repeated_share(index, "Ghani menelepon Rakhmon hari apa?", "hari Minggu") == 0.0
    assert repeated_share(index, "Siapa yang menelepon Rakhmon?", "Rakhmon") == 1.0


def test_short_forms_kept_beside_their_expansion_are_not_evidence():
    asked = "Siapa Menteri Luar Negeri (menlu) Amerika Serikat (AS)?"
    assert without_aliases(asked) == "Siapa Menteri Luar Negeri Amerika Serikat?"


def test_a_word_written_with_other_affixes_or_by_its_short_form_is_covered():
    """Chat and news inflect one root differently ("direbut" / "merebut", "rundingan" /
    "berunding") and news writes "AS" for "Amerika Serikat": the article still says it. Chat
    words that name no topic ("bakal", "soal") are not asked of the article at all."""
    from bot.answerability import evidence

    index = _index(("Biden tambah pasukan", "Kompas", "2021-08-13",
                    "Biden berunding dengan pejabat keamanan nasional. Taliban merebut kota Ghazni. "
                    "AS mengirim 3.000 tentara ke Kabul."),
                   ("Taliban di Badakhshan", "TASS", "2021-07-05", "Taliban menguasai distrik di provinsi Badakhshan."))
    inflected = evidence(index, "Biden rundingan dengan siapa soal kota yang direbut Taliban?", 0, 9.0, None, 1.0)
    assert inflected.passage_cover == 1.0
    shortened = evidence(index, "Amerika Serikat bakal mengirim berapa tentara ke Kabul?", 0, 9.0, None, 1.0)
    assert shortened.passage_cover == 1.0
    elsewhere = evidence(index, "Biden rundingan dengan siapa soal kota yang direbut Taliban?", 1, 9.0, None, 1.0)
    assert elsewhere.passage_cover < 0.5


def test_two_words_share_a_root_only_through_the_affix_rules():
    from bot.retrieval.stemmer import written_with_other_affixes

    assert written_with_other_affixes("ditarik", ["penarikan"])
    assert written_with_other_affixes("menyerang", ["serangan"])
    assert not written_with_other_affixes("perang", ["terang"])  # "rang" is too short a root to join them
    assert not written_with_other_affixes("pasukan", ["pasar"])
