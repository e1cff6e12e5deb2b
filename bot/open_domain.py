"""Open-domain evaluation: a corpus and gold questions in, retrieval recall and answer quality out.

Two shapes of input:
- reading-comprehension files (SQuAD-like JSON, FacQA CSV): every distinct context becomes one
  article of the corpus, and each question's gold article is its own context (the protocol of
  the retrieval issue: "every distinct paragraph indexed as one article");
- a real corpus (folders / JSONL of articles, e.g. seeds/ + ../shared/news/) with questions in
  the seed_dev JSONL format, whose "articles" list the gold article ids.

Indexes with vectors take minutes to build, so they are cached under `cache_dir`, keyed by the
corpus files and the index settings.
"""

from __future__ import annotations

import hashlib
import json
import logging
import statistics
from dataclasses import asdict, dataclass
from pathlib import Path

from bot.corpus.cleaning import CLEANING_VERSION
from bot.corpus.loading import load_articles
from bot.evaluation import GoldQuestion, cites_gold, is_gold_article, load_gold
from bot.records import Article, Hit
from bot.retrieval.dense import TextEmbedder
from bot.retrieval.fusion import FusionSettings
from bot.retrieval.index import IndexError_, IndexSettings, PassageIndex

logger = logging.getLogger(__name__)

RC_SUFFIXES = (".json", ".csv")


def rc_corpus(paths: list[Path]) -> tuple[list[Article], dict[str, list[GoldQuestion]]]:
    """Articles from the distinct contexts of reading-comprehension files; questions per file."""
    from bot.reader.qa_data import load_qa_file

    ids: dict[str, str] = {}
    questions: dict[str, list[GoldQuestion]] = {}
    for path in paths:
        rows = []
        for example in load_qa_file(path):
            article_id = ids.setdefault(example.context, f"ctx{len(ids)}")
            rows.append(GoldQuestion(example.id, example.question, example.answers, (article_id,)))
        questions[str(path)] = rows
    articles = [Article(i, "", "", None, None, context) for context, i in ids.items()]
    return articles, questions


def load_corpus(paths: list[Path]) -> list[Article]:
    """Articles of a corpus given as reading-comprehension files or as article folders/JSONL."""
    if paths and all(p.suffix in RC_SUFFIXES for p in paths):
        return rc_corpus(paths)[0]
    return list(load_articles(paths).articles)


def load_questions(path: Path, corpus_paths: list[Path]) -> list[GoldQuestion]:
    """Gold questions: seed_dev JSONL, or the questions of an RC file (gold article: its context)."""
    if path.suffix == ".jsonl":
        return load_gold(path)
    _, per_file = rc_corpus(list(dict.fromkeys([*corpus_paths, path])))
    return per_file[str(path)]


def cached_index(corpus_paths: list[Path], settings: IndexSettings, embedder: TextEmbedder | None,
                 cache_dir: Path) -> PassageIndex:
    """The index of this corpus, built once into `cache_dir/<key>` (with vectors when an embedder is given)."""
    stamp = [(str(p.resolve()), p.stat().st_size if p.is_file() else sorted(f.name for f in p.iterdir()))
             for p in corpus_paths]
    vectors = None if embedder is None else str(embedder.encoder.embedding_norm.weight.dtype)  # bf16 and fp32 differ a little
    key = hashlib.sha256(json.dumps([stamp, asdict(settings), vectors, CLEANING_VERSION]).encode()).hexdigest()[:16]
    folder = cache_dir / key
    try:
        return PassageIndex.load(folder)
    except IndexError_:
        logger.info("building the evaluation index into %s", folder)
        index = PassageIndex.build(load_corpus(corpus_paths), settings, progress=True, embedder=embedder)
        index.save(folder)
        return index


@dataclass(frozen=True)
class RecallReport:
    questions: int
    recall: dict[int, float]  # k -> share of answerable questions whose gold article is in the top k

    def as_dict(self) -> dict:
        return {"questions": self.questions, **{f"recall@{k}": round(100 * v, 1) for k, v in self.recall.items()}}


def gold_rank(hits: list[Hit], gold: GoldQuestion) -> int | None:
    """1-based rank of the first hit from a gold article (None: not retrieved)."""
    for rank, hit in enumerate(hits, start=1):
        if is_gold_article(hit.passage.article_id, gold):
            return rank
    return None


def recall(ranks: list[int | None], ks: tuple[int, ...]) -> RecallReport:
    return RecallReport(len(ranks), {k: statistics.fmean(r is not None and r <= k for r in ranks) if ranks else 0.0
                                     for k in ks})


def retrieval_report(index: PassageIndex, embedder: TextEmbedder | None, questions: list[GoldQuestion],
                     fusions: dict[str, FusionSettings], ks: tuple[int, ...] = (1, 3, 5, 10, 20, 100),
                     normalize=None) -> dict[str, dict]:
    """Recall@k of the gold article for BM25 alone, dense alone and each fusion setting."""
    answerable = [q for q in questions if q.answerable and q.articles]
    texts = [normalize(q.question) if normalize else q.question for q in answerable]
    vectors = embedder.queries(texts) if embedder is not None and index.has_vectors else None
    depth = max(ks)
    ranks: dict[str, list[int | None]] = {"bm25": []}
    if vectors is not None:
        ranks["dense"] = []
        ranks.update({name: [] for name in fusions})
    for n, (q, text) in enumerate(zip(answerable, texts)):
        ranks["bm25"].append(gold_rank(index.search(text, depth), q))
        if vectors is None:
            continue
        ranks["dense"].append(gold_rank(index.search(text, depth, vectors[n], FusionSettings(dense_weight=1.0)), q))
        for name, fusion in fusions.items():
            ranks[name].append(gold_rank(index.search(text, depth, vectors[n], fusion), q))
    return {name: recall(r, ks).as_dict() for name, r in ranks.items()}


def gold_cited_share(questions: list[GoldQuestion], answers: list) -> float:
    pairs = [(q, a) for q, a in zip(questions, answers) if q.answerable]
    return 100 * statistics.fmean(cites_gold(a, q) for q, a in pairs) if pairs else 0.0


def parse_fusion(spec: str) -> FusionSettings:
    """"linear:0.5" (dense weight), "rrf" or "rrf:60" (rank constant)."""
    method, _, value = spec.partition(":")
    if method == "rrf":
        return FusionSettings(method="rrf", rrf_k=int(value or 60))
    if method == "linear":
        return FusionSettings(method="linear", dense_weight=float(value or 0.5))
    raise ValueError(f"unknown fusion {spec!r}: use linear:W or rrf[:K]")


def run_open_eval(settings, args) -> dict:
    """`python -m bot open-eval`: retrieval recall (BM25, dense, fused) and, with --answers, the pipeline."""
    from bot.evaluation import score_pipeline
    from bot.pipeline import QuestionAnswerer, as_read
    from bot.reader.store import Calibration, load_reader
    from bot.retrieval.dense import load_embedder

    corpus_paths = [Path(p) for p in args.corpus]
    reader = load_reader(settings.data_dir, precision=settings.precision) if args.answers else None
    shared = {"shared_word": reader.model.word.weight, "shared_tokenizer": reader.tokenizer} if reader else {}
    embedder = load_embedder(settings.data_dir, **shared, precision=settings.precision) if settings.dense_retrieval else None
    index_settings = IndexSettings(title_in_vectors=args.title_in_vectors == "on")
    index = cached_index(corpus_paths, index_settings, embedder, Path(args.cache_dir))
    questions = load_questions(Path(args.questions), corpus_paths)[: args.limit]
    fusions = {spec: parse_fusion(spec) for spec in args.fusion}
    normalize = None
    if args.normalize:
        normalize = lambda q: as_read(index, q)  # noqa: E731
    out: dict = {"corpus": [str(p) for p in corpus_paths], "articles": len(index.articles),
                 "passages": len(index.passages), "questions": len(questions),
                 "retrieval": retrieval_report(index, embedder, questions, fusions, normalize=normalize)}
    if reader is not None:
        answerer = QuestionAnswerer(index, reader, Calibration.load(), top_k=settings.top_k, embedder=embedder,
                                    fusion=parse_fusion(args.fusion[0]) if args.fusion else FusionSettings())
        answers = []
        for start in range(0, len(questions), 8):
            answers.extend(answerer.answer_many([q.question for q in questions[start : start + 8]]))
        scores = score_pipeline(questions, answers).as_dict()
        out["answers"] = {**scores, "gold_cited": round(gold_cited_share(questions, answers), 1)}
        if args.verbose:
            out["per_question"] = [{"id": q.id, "answer": a.text, "gold": list(q.answers),
                                    "article": a.article.id if a.article else None, "score": round(a.score, 3)}
                                   for q, a in zip(questions, answers)]
    return out
