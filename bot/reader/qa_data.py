"""Load the Indonesian QA data sets (FacQA CSV, SQuAD-like JSON) as one example type."""

from __future__ import annotations

import ast
import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class QAExample:
    id: str
    question: str
    context: str
    answers: tuple[str, ...]  # empty when the question is unanswerable
    answer_starts: tuple[int, ...]

    @property
    def is_impossible(self) -> bool:
        return not self.answers


_NO_SPACE_BEFORE = {",", ".", "?", "!", ")", ":", ";", "%", "]", "'s"}
_NO_SPACE_AFTER = {"(", "["}


def detokenize(tokens: list[str]) -> tuple[str, list[int]]:
    """Join word tokens into text as it is written; returns the text and each token's start."""
    text, starts = "", []
    for i, token in enumerate(tokens):
        glue = i == 0 or token in _NO_SPACE_BEFORE or tokens[i - 1] in _NO_SPACE_AFTER
        if not glue:
            text += " "
        starts.append(len(text))
        text += token
    return text, starts


def facqa_example(row_id: str, question: list[str], passage: list[str], labels: list[str]) -> QAExample:
    context, starts = detokenize(passage)
    answers, answer_starts = [], []
    i = 0
    while i < len(labels):
        if labels[i] == "B" or (labels[i] == "I" and (i == 0 or labels[i - 1] == "O")):
            j = i
            while j + 1 < len(labels) and labels[j + 1] == "I":
                j += 1
            begin, end = starts[i], starts[j] + len(passage[j])
            answers.append(context[begin:end])
            answer_starts.append(begin)
            i = j + 1
        else:
            i += 1
    # FacQA marks one answer span; keep the first when a label sequence holds several.
    return QAExample(row_id, detokenize(question)[0], context, tuple(answers[:1]), tuple(answer_starts[:1]))


def load_facqa(path: Path) -> list[QAExample]:
    examples = []
    with path.open(encoding="utf-8") as handle:
        for n, row in enumerate(csv.DictReader(handle)):
            examples.append(
                facqa_example(
                    f"{path.stem}-{n}",
                    ast.literal_eval(row["question"]),
                    ast.literal_eval(row["passage"]),
                    ast.literal_eval(row["seq_label"]),
                )
            )
    return examples


def _locate(context: str, text: str, start: int) -> int:
    if context[start : start + len(text)] == text:
        return start
    found = [m.start() for m in re.finditer(re.escape(text), context)]
    return min(found, key=lambda s: abs(s - start)) if found else -1


class QAFileError(ValueError):
    """A file that is not FacQA CSV or SQuAD-like JSON (the message says what is wrong)."""


def _paragraphs(data: object, path: Path) -> list[dict]:
    """The {context, qas} paragraphs of IDK-MRC/TyDi (a list) or of SQuAD ({"data": [{"paragraphs": …}]})."""
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        return [p for article in data["data"] for p in article.get("paragraphs", [])]
    if isinstance(data, list):
        return data
    raise QAFileError(f"{path}: expected a SQuAD file ({{'data': [...]}}) or a list of {{context, qas}}")


def load_squad_like(path: Path) -> list[QAExample]:
    """SQuAD v2 (e.g. a moderators' export), IDK-MRC or TyDi QA GoldP: paragraphs of {context, qas}."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise QAFileError(f"{path}: not a JSON file ({error})") from error
    examples = []
    for paragraph in _paragraphs(data, path):
        try:
            context = paragraph["context"]
            qas = paragraph["qas"]
        except (KeyError, TypeError) as error:
            raise QAFileError(f"{path}: a paragraph without context/qas ({error!r})") from error
        for qa in qas:
            answers, starts = [], []
            if not qa.get("is_impossible", False):
                for answer in qa.get("answers", []):
                    start = _locate(context, answer["text"], int(answer["answer_start"]))
                    if start >= 0 and answer["text"].strip():
                        answers.append(answer["text"])
                        starts.append(start)
                if not answers:
                    continue  # an answer that is not in its context cannot be learned or scored
            examples.append(QAExample(str(qa["id"]), qa["question"], context, tuple(answers), tuple(starts)))
    return examples


def load_qa_file(path: Path) -> list[QAExample]:
    """FacQA CSV (.csv) or SQuAD-like JSON (anything else); QAFileError when it is neither."""
    if not path.is_file():
        raise QAFileError(f"{path}: no such file")
    if path.suffix == ".csv":
        try:
            return load_facqa(path)
        except (KeyError, ValueError, SyntaxError, UnicodeDecodeError) as error:
            raise QAFileError(f"{path}: not a FacQA CSV (question, passage, seq_label columns): {error!r}") from error
    return load_squad_like(path)
