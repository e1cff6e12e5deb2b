"""Assemble the answering service from settings: the index (built if missing) and the reader."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from bot.config import Settings
from bot.corpus.loading import LoadResult, load_articles
from bot.pipeline import QuestionAnswerer
from bot.reader.store import Calibration, load_reader
from bot.retrieval.dense import TextEmbedder, load_embedder
from bot.retrieval.index import IndexError_, PassageIndex

logger = logging.getLogger(__name__)


def build_index(paths: list[Path], index_dir: Path, progress: bool = True,
                embedder: TextEmbedder | None = None) -> tuple[PassageIndex, LoadResult]:
    """Read, clean and index the articles under `paths` into `index_dir` (replacing it)."""
    loaded = load_articles(paths)
    index = PassageIndex.build(list(loaded.articles), progress=progress, embedder=embedder)
    index.save(index_dir)
    return index, loaded


def open_index(settings: Settings, embedder: TextEmbedder | None = None) -> PassageIndex:
    """The persisted index; built from the configured corpus when it is missing, damaged, or lacks
    the passage vectors that dense retrieval needs."""
    try:
        index = PassageIndex.load(settings.index_dir)
        if embedder is not None and not index.has_vectors:
            logger.info("the index has no passage vectors yet; computing them for its %d passages", len(index.passages))
            index = PassageIndex.build(list(index.articles.values()), index.settings, embedder=embedder)
            index.save(settings.index_dir)
        return index
    except IndexError_ as error:
        if settings.index_dir.exists():
            logger.warning("%s; rebuilding from %s", error, ", ".join(map(str, settings.corpus_paths)))
        else:
            logger.info("no index yet; building it from %s", ", ".join(map(str, settings.corpus_paths)))
        started = time.perf_counter()
        index, loaded = build_index(list(settings.corpus_paths), settings.index_dir, progress=False, embedder=embedder)
        logger.info("indexed %d articles (%d passages) in %.1f s", len(index.articles), len(index.passages),
                    time.perf_counter() - started)
        return index


def open_answerer(settings: Settings) -> QuestionAnswerer:
    reader = load_reader(settings.data_dir, precision=settings.precision)
    embedder = None
    if settings.dense_retrieval:  # one copy of the word embeddings and of the tokenizer for both models
        embedder = load_embedder(settings.data_dir, shared_word=reader.model.word.weight, shared_tokenizer=reader.tokenizer,
                                  precision=settings.precision)
    index = open_index(settings, embedder)
    return QuestionAnswerer(index, reader, Calibration.load(), top_k=settings.top_k, embedder=embedder)
