"""Sentence boundaries that respect Indonesian abbreviations and numbers."""

from bot.corpus.sentences import passages, sentence_spans
from bot.records import Article


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in sentence_spans(text)]


def test_numbers_abbreviations_and_initials_do_not_end_sentences():
    text = "Dr. Budi tiba pukul 10.30 di Jl. Sudirman. Dia membawa 20.000 orang! Lalu A. Rahman pergi."
    assert sentences(text) == ["Dr. Budi tiba pukul 10.30 di Jl. Sudirman.", "Dia membawa 20.000 orang!", "Lalu A. Rahman pergi."]


def test_quotes_and_newlines():
    text = '"Ini bukan evakuasi," kata Price. "Ini misi sementara."\nParagraf baru tanpa titik'
    assert sentences(text) == ['"Ini bukan evakuasi," kata Price.', '"Ini misi sementara."', "Paragraf baru tanpa titik"]


def test_passages_overlap_by_one_sentence_and_cover_everything():
    body = " ".join(f"Kalimat nomor {i} berisi beberapa kata tambahan di sini." for i in range(30))
    article = Article("a", "t", "s", None, None, body)
    windows = list(passages(article, 0, max_words=30, overlap=1))
    assert windows[0].start == 0 and windows[-1].end == len(body)
    for left, right in zip(windows, windows[1:]):
        assert right.start < left.end  # one shared sentence
        assert body[right.start : left.end].count(".") == 1
