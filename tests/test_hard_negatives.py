"""Near-miss training examples: a retrieved passage of another context that does not answer."""

from __future__ import annotations

from bot.language.informal import is_indonesian_word
from bot.reader.hard_negatives import hard_negatives
from bot.reader.qa_data import QAExample


def _example(i: int, question: str, context: str, answer: str) -> QAExample:
    return QAExample(f"q{i}", question, context, (answer,) if answer else (), (context.index(answer),) if answer else ())


CONTEXTS = [
    "Presiden Tajikistan Emomali Rahmon memobilisasi 20.000 tentara cadangan di perbatasan.",
    "Presiden Uzbekistan Shavkat Mirziyoyev bertemu Presiden Rusia di Moskwa pada Senin.",
    "Harga beras di pasar induk naik menjelang Lebaran, kata pedagang.",
    "Presiden Tajikistan Emomali Rahmon memobilisasi 20.000 tentara cadangan di perbatasan pada Juli.",  # a copy
]


def test_a_near_miss_is_another_contexts_passage_without_the_answer():
    examples = [_example(0, "Siapa presiden Tajikistan?", CONTEXTS[0], "Emomali Rahmon"),
                _example(1, "Siapa presiden Uzbekistan?", CONTEXTS[1], "Shavkat Mirziyoyev"),
                _example(2, "Apa yang naik menjelang Lebaran?", CONTEXTS[2], "Harga beras"),
                _example(3, "Berapa tentara dimobilisasi pada Juli?", CONTEXTS[3], "20.000"),
                _example(4, "Siapa presiden Mongolia?", CONTEXTS[1], ""),
                _example(5, "Kapan Presiden Tajikistan memobilisasi tentara cadangan?", CONTEXTS[3], "Juli")]
    negatives = {n.id: n for n in hard_negatives(examples, share=1.0, seed=1)}
    assert "q4#near-miss" not in negatives  # only answerable questions get one
    uzbek = negatives["q1#near-miss"]
    assert uzbek.is_impossible and uzbek.question == "Siapa presiden Uzbekistan?"
    assert uzbek.context == CONTEXTS[0]  # the best BM25 passage of another context ("Presiden")
    tajik = negatives["q0#near-miss"]
    assert "Emomali Rahmon" not in tajik.context and tajik.context == CONTEXTS[1]  # the copy holds the answer
    # CONTEXTS[0] lacks "Juli" but is a copy of the question's own paragraph: it may still answer.
    assert negatives["q5#near-miss"].context == CONTEXTS[1]
    assert hard_negatives(examples, share=0.0, seed=1) == []


def test_indonesian_words_are_told_from_names():
    assert is_indonesian_word("nasib") and is_indonesian_word("letaknya") and is_indonesian_word("penyeberangan")
    assert not is_indonesian_word("kirgizstan") and not is_indonesian_word("milley") and not is_indonesian_word("2018")
