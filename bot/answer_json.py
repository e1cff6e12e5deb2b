"""The JSON shape of an answer printed by `ask --json` and `ask --jsonl` (the CLI contract)."""

from __future__ import annotations

import math

from bot.records import Answer


def answer_json(answer: Answer, question_id: str | None = None) -> dict:
    return {
        "id": question_id,
        "question": answer.question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "score": round(answer.score, 4) if math.isfinite(answer.score) else None,
        "reader_score": round(answer.reader_score, 4) if answer.reader_score is not None and math.isfinite(answer.reader_score) else None,
        "retrieval_score": round(answer.retrieval_score, 4) if answer.retrieval_score is not None else None,
        "article": answer.article.citation() if answer.article else None,
        "passage": answer.sentence,
        "sentence_start": answer.sentence_span.start if answer.sentence_span else None,
        "sentence_end": answer.sentence_span.end if answer.sentence_span else None,
        "start": answer.span.start if answer.span else None,
        "end": answer.span.end if answer.span else None,
        "related": [a.citation() for a in answer.related],
        "mode": answer.mode,
        "day": answer.day,
        "latency_ms": round(answer.latency_ms, 1),
    }
