"""Fit the bot's decision on validation questions: which read passage gives the answer, how
many passages to read, when to stop reading early, and whether to answer or abstain.

Each fitting set is a reading-comprehension file run as an open-domain task: its contexts are
the corpus, and every question is retrieved and its top MAX_K passages read, as the bot does.
Every question is asked as written; every answerable one is also asked

- with its gold context taken out of the hits ("gold removed"): then the corpus really does not
  hold the answer, while the question still shares words with it, which is what out-of-corpus
  questions from users look like (IDK-MRC adds its own unanswerable questions);
- as people type it in chat (a rule-based casual rewrite, `casual_rewrite.py`, which the bot's
  normaliser then reads back, as it does for users), so that casual wording is not mistaken
  for a question the corpus cannot answer;
- with one of its names (a capitalised word its gold context holds) swapped for a name from
  another question of the set that the gold context lacks ("name swapped"): the question users
  ask about another country's president or minister, which the corpus does not answer although
  it holds a passage on the very same topic.

From the read passages, fitting chooses in turn:

1. the passage pick: score = (1 - w) * retrieval score / best + w * reader margin, and how many
   passages to read (top_k): the pair with the best F1 on the answerable questions;
2. the answer-or-abstain model (logistic regression over `Evidence` of the picked span; an
   answer is right when its F1 is at least 0.5) and its threshold, which maximises the mean of
   the F1 over answerable questions and the share of unanswerable ones declined;
3. the early exit: the lowest top-passage margin from which the other passages need not be
   read, costing at most EARLY_EXIT_TOLERANCE points of that mean.

TyDi QA-ID valid is held out and reported with the chosen settings.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import random
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from tqdm import tqdm

from bot.answerability import AnswerabilityModel, Evidence, evidence
from bot.evaluation import GoldQuestion
from bot.metrics import token_f1
from bot.open_domain import cached_index, load_corpus, load_questions
from bot.pipeline import QuestionAnswerer, answer_candidates, as_read, fused_score, ruled_out, span_to_answer
from bot.reader.casual_rewrite import casual_question
from bot.retrieval.index import IndexSettings

logger = logging.getLogger(__name__)

RIGHT_F1 = 0.5  # an answer at least this close to a gold answer counts as right
MAX_K = 5  # passages read per question while fitting (top_k is chosen among 1..MAX_K)
TOP_K_GRID = (3, 5)
FUSION_GRID = (0.9, 0.5, 0.2, 0.1, 0.07, 0.05, 0.03, 0.02, 0.01)  # w; retrieval weighs (1 - w) / w reader logits
EARLY_EXIT_TOLERANCE = 0.5


@dataclass(frozen=True)
class FitSet:
    name: str
    corpus: tuple[str, ...]  # under the data folder
    questions: str


FIT_SETS = (
    FitSet("facqa_valid", ("facqa/train_preprocess.csv", "facqa/valid_preprocess.csv"), "facqa/valid_preprocess.csv"),
    FitSet("idk_mrc_valid", ("idk_mrc/valid.json",), "idk_mrc/valid.json"),
)
HELD_OUT = FitSet("tydiqa_id_valid", ("tydiqa_id/train.json", "tydiqa_id/valid.json"), "tydiqa_id/valid.json")


@dataclass(frozen=True)
class Candidate:
    """One read passage: its retrieval score (relative to the question's best hit), the evidence
    for its best span of the asked type, and that span's F1 (0 when the question is unanswerable)."""

    retrieval: float
    found: Evidence
    f1: float
    ruled_out: bool = False  # its span is not the time or quantity asked, or a person titled otherwise (never picked)


def group_name(set_name: str, casual: bool, gold_removed: bool, swapped: bool = False) -> str:
    """How a set's questions are reported: "facqa_valid casual", "idk_mrc_valid gold removed", …"""
    return (set_name + (" casual" if casual else "") + (" gold removed" if gold_removed else "")
            + (" name swapped" if swapped else ""))


_NAME = re.compile(r"\b[A-Z][\w-]*(?: [A-Z][\w-]*)*")


def question_names(question: str) -> list[str]:
    """Capitalised words and runs of them after the question's first word (names, places)."""
    return [m.group() for m in _NAME.finditer(question) if m.start() > 0]


def name_swapped(question: str, context: str, pool: list[str], rng: random.Random) -> str | None:
    """The question with a name its context holds replaced by a name from `pool` the context
    lacks, or None when it names nothing its context holds."""
    lower = context.lower()
    own = [n for n in question_names(question) if n.lower() in lower]
    others = [n for n in pool if n.lower() not in lower]
    if not own or not others:
        return None
    name = rng.choice(own)
    return question.replace(name, rng.choice(others), 1)


@dataclass(frozen=True)
class Case:
    """One question as the decision sees it: its read passages in rank order, and what abstaining scores."""

    set_name: str
    question_id: str
    gold_removed: bool
    casual: bool
    candidates: tuple[Candidate, ...]
    abstained_f1: float  # 1 for an unanswerable question, else 0
    swapped: bool = False

    @property
    def group(self) -> str:
        return group_name(self.set_name, self.casual, self.gold_removed, self.swapped)

    @property
    def unanswerable(self) -> bool:
        return self.abstained_f1 == 1.0


@dataclass(frozen=True)
class Pick:
    """How the passage that answers is chosen."""

    fusion_weight: float
    top_k: int
    early_exit: float = math.inf


def picked(case: Case, pick: Pick) -> Candidate | None:
    """The candidate the pipeline answers from (None: nothing with a span was read)."""
    read = case.candidates[: pick.top_k]
    if not read:
        return None
    if read[0].found.margin >= pick.early_exit and not read[0].ruled_out:
        read = read[:1]
    read = [c for c in read if not c.ruled_out]
    if not read:
        return None
    best = max(read, key=lambda c: fused_score(c.retrieval, c.found.margin, pick.fusion_weight))
    return best if math.isfinite(best.found.margin) else None


def answered(model: AnswerabilityModel | None, case: Case, pick: Pick) -> float:
    """What the case scores under the pick and the model (None: always answer)."""
    chosen = picked(case, pick)
    if chosen is None or (model is not None and not model.answers(chosen.found)):
        return case.abstained_f1
    return chosen.f1


def balanced_f1(model: AnswerabilityModel | None, cases: list[Case], pick: Pick) -> float:
    """Mean of the F1 over answerable cases and the share of unanswerable ones declined."""
    scores = np.array([answered(model, c, pick) for c in cases])
    unanswerable = np.array([c.unanswerable for c in cases])
    return float(np.mean(scores[~unanswerable]) + np.mean(scores[unanswerable])) / 2


def collect(answerer: QuestionAnswerer, questions: list[GoldQuestion], set_name: str, *,
            gold_removed: bool, casual: bool, swapped: bool = False, batch: int = 8) -> list[Case]:
    """Retrieve and read each question's top MAX_K passages; with `gold_removed`, skip its gold
    article; with `swapped`, ask it with a name swapped (questions naming nothing are left out)."""
    index = answerer.index
    if swapped:
        pool = list(dict.fromkeys(n for q in questions for n in question_names(q.question)))
        rewritten = [(q, name_swapped(q.question, index.articles[q.articles[0]].body, pool, random.Random(q.id)))
                     for q in questions]
        questions = [replace(q, question=text) for q, text in rewritten if text]
    cases = []
    for start in tqdm(range(0, len(questions), batch), desc=group_name(set_name, casual, gold_removed, swapped),
                      unit="batch", mininterval=10):
        chunk = questions[start : start + batch]
        unanswerable = [gold_removed or swapped or not q.answerable for q in chunk]
        texts = [casual_question(q.question, random.Random(q.id)) if casual else q.question for q in chunk]
        asked = [as_read(index, t) for t in texts]
        hits, best = [], []
        for q, a, found in zip(chunk, asked, answerer.retrieve(index, asked, k=MAX_K + 20)):
            if gold_removed:
                found = [h for h in found if h.passage.article_id not in q.articles]
            hits.append(answer_candidates(index, a, found[:MAX_K]))  # what the bot reads of them
            best.append(found[0].score if found else 1.0)
        pairs = [(i, h) for i, found in enumerate(hits) for h in found]
        readings = answerer.reader.read([asked[i] for i, _ in pairs], [h.passage.text for _, h in pairs])
        per_question: list[list[Candidate]] = [[] for _ in chunk]
        for (i, hit), reading in zip(pairs, readings):
            s, e = span_to_answer(index, asked[i], hit, reading)
            text = hit.passage.text[s:e] if math.isfinite(reading.margin) else ""
            relative = hit.score / (best[i] or 1.0)
            f1 = 0.0 if unanswerable[i] or not text else token_f1(text, chunk[i].answers)
            span = (s, e) if text else None
            found = evidence(index, asked[i], hit.passage.id, reading.margin, hit.dense, relative, span)
            per_question[i].append(Candidate(relative, found, f1, ruled_out(index, asked[i], hit, (s, e))))
        for q, candidates, no_answer in zip(chunk, per_question, unanswerable):
            cases.append(Case(set_name, q.id, gold_removed, casual, tuple(candidates), float(no_answer), swapped))
    return cases


def fit_model(cases: list[Case], pick: Pick, l2: float = 1.0) -> AnswerabilityModel:
    """Logistic regression of "the picked answer is right" on its evidence, and the best threshold."""
    usable = [p for p in (picked(c, pick) for c in cases) if p is not None]
    x = np.array([p.found.vector() for p in usable])
    y = np.array([p.f1 >= RIGHT_F1 for p in usable], dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = params[:-1], params[-1]
        p = 1 / (1 + np.exp(-(z @ w + b)))
        eps = 1e-9
        value = -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)) + l2 * np.sum(w**2) / len(y)
        grad_logits = (p - y) / len(y)
        return value, np.append(z.T @ grad_logits + 2 * l2 * w / len(y), grad_logits.sum())

    result = minimize(loss, np.zeros(z.shape[1] + 1), jac=True, method="L-BFGS-B")
    model = AnswerabilityModel(tuple(map(float, result.x[:-1])), float(result.x[-1]), tuple(map(float, mean)),
                               tuple(map(float, scale)), threshold=0.5)
    best, best_f1 = 0.5, -1.0
    for t in np.linspace(0.02, 0.98, 97):
        f1 = balanced_f1(replace(model, threshold=float(t)), cases, pick)
        if f1 > best_f1 + 1e-12:
            best, best_f1 = float(t), f1
    return replace(model, threshold=best)


def choose_pick(cases: list[Case]) -> tuple[Pick, dict]:
    """The fusion weight and top_k with the best F1 on the answerable cases, always answering."""
    answerable = [c for c in cases if not c.unanswerable]
    table = {}
    for k in TOP_K_GRID:
        for w in FUSION_GRID:
            table[(k, w)] = 100 * float(np.mean([answered(None, c, Pick(w, k)) for c in answerable]))
    best = max(table, key=lambda key: (round(table[key], 1), -key[0]))  # fewer passages on a tie
    return Pick(best[1], best[0]), {f"top{k} w={w}": round(f, 2) for (k, w), f in table.items()}


def choose_early_exit(model: AnswerabilityModel, cases: list[Case], pick: Pick) -> tuple[float, float]:
    """The lowest top-passage margin from which reading stops, within tolerance (every higher one too)."""
    full = balanced_f1(model, cases, pick)
    margins = sorted({c.candidates[0].found.margin for c in cases if c.candidates
                      and math.isfinite(c.candidates[0].found.margin)}, reverse=True)
    chosen = math.inf
    for candidate in margins[::max(1, len(margins) // 200)]:
        if 100 * (full - balanced_f1(model, cases, replace(pick, early_exit=candidate))) > EARLY_EXIT_TOLERANCE:
            break
        chosen = candidate
    stops = float(np.mean([bool(c.candidates) and c.candidates[0].found.margin >= chosen for c in cases]))
    return chosen, stops


def report(model: AnswerabilityModel | None, cases: list[Case], pick: Pick) -> dict:
    """Per group: F1 on answerable questions, share declined of unanswerable ones, overall F1."""
    out = {}
    for group in dict.fromkeys(c.group for c in cases):
        members = [c for c in cases if c.group == group]
        scores = [answered(model, c, pick) for c in members]
        answerable = [s for c, s in zip(members, scores) if not c.unanswerable]
        declined = [s for c, s in zip(members, scores) if c.unanswerable]
        out[group] = {
            "questions": len(members),
            "answerable_f1": round(100 * float(np.mean(answerable)), 1) if answerable else None,
            "unanswerable_declined": round(100 * float(np.mean(declined)), 1) if declined else None,
            "overall_f1": round(100 * float(np.mean(scores)), 1),
        }
    return out


def fitting_cases(make_answerer, data_dir: Path, cache_dir: Path, embedder, stamp: str,
                  sets: tuple[FitSet, ...] = FIT_SETS, casual: bool = True,
                  distractors: tuple[Path, ...] = ()) -> list[Case]:
    """Cases from every set; `make_answerer(index)` builds the pipeline over a set's corpus.

    With `distractors` (e.g. a news archive), each set's contexts are added to that corpus's
    index instead of standing alone: a question then meets as many plausible passages as a
    bot serving thousands of articles does, and a gold-removed question usually finds one.
    Collecting cases reads tens of thousands of passages, so each set's cases are kept in
    `cache_dir` under `stamp` (reader version and settings): refitting after that takes seconds.
    """
    cases = []
    scale = ""
    if distractors:
        scale = "-among-" + hashlib.sha256(json.dumps([str(p.resolve()) for p in distractors]).encode()).hexdigest()[:8]
    for fit_set in sets:
        name = fit_set.name + (" among distractors" if distractors else "")
        saved = cache_dir / f"decision-cases-{fit_set.name}{scale}-{stamp}.json"
        if saved.exists():
            cases += [_case(row) for row in json.loads(saved.read_text())]
            continue
        corpus = [data_dir / c for c in fit_set.corpus]
        if distractors:
            base = cached_index(list(distractors), IndexSettings(), embedder, cache_dir)
            index = base.extended(load_corpus(corpus), embedder=embedder)
        else:
            index = cached_index(corpus, IndexSettings(), embedder, cache_dir)
        answerer = make_answerer(index)
        questions = load_questions(data_dir / fit_set.questions, corpus)
        answerable = [q for q in questions if q.answerable]
        found = collect(answerer, questions, name, gold_removed=False, casual=False)
        found += collect(answerer, answerable, name, gold_removed=True, casual=False)
        if casual:
            found += collect(answerer, answerable, name, gold_removed=False, casual=True)
        found += collect(answerer, answerable, name, gold_removed=False, casual=False, swapped=True)
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(json.dumps([asdict(c) for c in found]))
        cases += found
    return cases


def _case(row: dict) -> Case:
    candidates = tuple(Candidate(c["retrieval"], Evidence(**c["found"]), c["f1"], c.get("ruled_out", False))
                       for c in row["candidates"])
    return Case(**{**row, "candidates": candidates})


def run(settings, data_dir: Path, cache_dir: Path, out: Path, distractors: tuple[Path, ...] = ()) -> dict:
    """`python -m bot fit-answerability`: fit on FacQA + IDK-MRC valid, check on TyDi QA-ID valid, save.

    With `distractors`, the fitting sets are run both on their own and among those articles.
    """
    from bot.answerability import FEATURES
    from bot.reader.precision import compute_dtype, precision_name
    from bot.reader.store import CALIBRATION, Calibration, load_reader, model_version, serving_weights
    from bot.retrieval.dense import load_embedder

    reader = load_reader(data_dir=settings.data_dir, weights=serving_weights(settings.data_dir), precision=settings.precision)
    if not settings.dense_retrieval:
        raise SystemExit("fit-answerability fits the hybrid pipeline's decision: turn BOT_DENSE_RETRIEVAL on")
    embedder = load_embedder(settings.data_dir, shared_word=reader.model.word.weight, shared_tokenizer=reader.tokenizer,
                              precision=settings.precision)
    calibration = replace(Calibration.load(), answerability=None)

    def make_answerer(index):
        return QuestionAnswerer(index, reader, calibration, top_k=MAX_K, embedder=embedder)

    computes_in = precision_name(compute_dtype(settings.precision))  # bf16 and fp32 readings differ a little
    stamp = hashlib.sha256(json.dumps([model_version(serving_weights(settings.data_dir)), computes_in, MAX_K, FEATURES,
                                       "casual-v1", "swapped-v1", "one-sentence-v1",
                                       "names-v4", "casing-v5", "titles-v4", "strict-kinds-v2", "word-order-v2",
                                       "comma-tail-v1", "asked-noun-v1", "naming-v1", "year-v1", "time-clause-v1", "length-v1",
                                       "duration-v1", "countries-v1", "titles-and-v1", "no-office-v1", "whole-number-v1", "office-di-v1", "name-piece-v1", "short-spans-v1", "siapa-count-v1", "appositive-v1",
                                       "ordinary-words-v2", "death-toll-v1", "titled-as-asked-v1", "stan-v1", "name-filler-v1", "cover-forms-v1", "whose-count-v1"]).encode()).hexdigest()[:12]
    fitted = fitting_cases(make_answerer, data_dir, cache_dir, embedder, stamp)
    if distractors:
        fitted += fitting_cases(make_answerer, data_dir, cache_dir, embedder, stamp, distractors=distractors)
    pick, pick_table = choose_pick(fitted)
    model = fit_model(fitted, pick)
    early_exit, stops = choose_early_exit(model, fitted, pick)
    pick = replace(pick, early_exit=early_exit)
    held_out = fitting_cases(make_answerer, data_dir, cache_dir, embedder, stamp, (HELD_OUT,))
    old = Pick(calibration.fusion_weight, 3, calibration.early_exit)
    record = {
        "fitted_on": [s.name for s in FIT_SETS] + ["(each answerable question also with its gold context removed, "
                                                   "casually rewritten, and with a name swapped)"]
        + ([f"the same sets again among the articles of {', '.join(map(str, distractors))}"] if distractors else []),
        "pick": {**asdict(pick), "early_exit": None if math.isinf(early_exit) else early_exit,
                 "share_stopping_early": round(stops, 3), "answerable_f1_always_answering": pick_table},
        "fit": {"model": report(model, fitted, pick), "always_answering_top3_old_weight": report(None, fitted, old)},
        "held_out": {"model": report(model, held_out, pick), "always_answering_top3_old_weight": report(None, held_out, old)},
    }
    path = out if out.exists() else CALIBRATION
    values = json.loads(path.read_text()) if path.exists() else {}
    values["answerability"] = {**model.as_dict(), "fusion_weight": pick.fusion_weight, "top_k": pick.top_k,
                               "early_exit": record["pick"]["early_exit"]}
    values["answerability_record"] = record
    out.write_text(json.dumps(values, indent=2) + "\n")
    return record
