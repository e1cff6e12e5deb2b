"""The passage index: articles, their passages, the BM25 matrix and dense vectors, in one folder."""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from scipy import sparse
from tqdm import tqdm

from bot.corpus.sentences import passages
from bot.language.casing import CorpusNames
from bot.records import Article, Hit, Passage
from bot.retrieval.analyzer import Analyzer, words
from bot.retrieval.bm25 import SparseBM25
from bot.retrieval.dense import TextEmbedder
from bot.retrieval.fusion import FusionSettings, fuse

logger = logging.getLogger(__name__)

FORMAT_VERSION = 3


def passage_similarities(vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Cosine of the query with every passage (rows are unit vectors).

    float16 rows go through torch's half-precision matrix-vector product: half the memory
    traffic of float32, 2.7 ms instead of 6.0 ms at 100k passages (numpy has no fast float16 path).
    """
    if vectors.dtype == np.float16:
        return torch.mv(torch.from_numpy(vectors), torch.from_numpy(query.astype(np.float16))).float().numpy()
    return vectors @ query.astype(vectors.dtype)


class IndexError_(RuntimeError):
    """The index folder is missing or damaged (rebuild it with `python -m bot index`)."""


@dataclass(frozen=True)
class IndexSettings:
    stemming: str = "both"  # measured: recall@1 0.94 -> 1.00 on the seed questions (see README)
    passage_words: int = 60  # measured: 60 cites the right article more often than 90 and reads faster
    overlap_sentences: int = 1
    title_in_passages: bool = False  # True: BM25 sees "title + passage" (measured: no better on the seeds)
    title_in_vectors: bool = True  # the dense vector of a passage is computed from "title + passage"


def vector_text(title: str, passage: Passage, settings: IndexSettings) -> str:
    """What a passage's dense vector is computed from: its article's title and its text, or
    (`title_in_vectors` off) the text alone."""
    return f"{title}\n{passage.text}" if settings.title_in_vectors else passage.text


class PassageIndex:
    """Articles, passages, BM25 weights and (optionally) passage vectors; searches without the disk."""

    def __init__(self, articles: list[Article], passages_: list[Passage], bm25: SparseBM25,
                 settings: IndexSettings, lexicon: frozenset[str], vectors: np.ndarray | None = None) -> None:
        if vectors is not None and vectors.shape[0] != len(passages_):
            raise IndexError_(f"{vectors.shape[0]} passage vectors for {len(passages_)} passages")
        self.articles = {a.id: a for a in articles}
        self.passages = passages_
        self.bm25 = bm25
        self.settings = settings
        self.lexicon = lexicon  # every word of the corpus: the stemmer's dictionary
        self.names = CorpusNames.learn(a.body for a in articles)  # how it writes "Taliban"
        self.analyzer = Analyzer(settings.stemming, lexicon)
        self.vectors = vectors  # float16, one unit row per passage (as on disk); None: BM25 only
        self._ranges: dict[str, tuple[int, int]] = {}
        for p in passages_:  # an article's passages are consecutive
            first, _ = self._ranges.get(p.article_id, (p.id, p.id))
            self._ranges[p.article_id] = (first, p.id)

    @classmethod
    def build(cls, articles: list[Article], settings: IndexSettings = IndexSettings(), progress: bool = False,
              embedder: TextEmbedder | None = None, known_vectors: dict[tuple[str, int, int, str], np.ndarray] | None = None,
              ) -> PassageIndex:
        """Split, analyse and weigh `articles`; with an embedder, also compute passage vectors.

        `known_vectors` (from `extended`) are reused for passages whose article, offsets and
        title are unchanged, so adding articles embeds only the new passages.
        """
        all_passages: list[Passage] = []
        for article in tqdm(articles, desc="splitting", unit="article", disable=not progress):
            all_passages.extend(passages(article, len(all_passages), settings.passage_words, settings.overlap_sentences))
        titles = {a.id: a.title for a in articles}
        texts = [f"{titles[p.article_id]}\n{p.text}" if settings.title_in_passages else p.text for p in all_passages]
        lexicon = frozenset(w for text in texts for w in words(text))
        analyzer = Analyzer(settings.stemming, lexicon)
        analysed = [analyzer(t) for t in tqdm(texts, desc="analysing", unit="passage", disable=not progress)]
        vectors = None
        if embedder is not None:
            vectors = cls._vectors(all_passages, titles, settings, embedder, known_vectors or {}, progress).astype(np.float16)
        return cls(list(articles), all_passages, SparseBM25.build(analysed), settings, lexicon, vectors)

    @staticmethod
    def _vectors(all_passages: list[Passage], titles: dict[str, str], settings: IndexSettings,
                 embedder: TextEmbedder, known: dict, progress: bool) -> np.ndarray:
        vectors = np.zeros((len(all_passages), embedder.dimension), dtype=np.float32)
        todo = []
        for i, p in enumerate(all_passages):
            old = known.get((p.article_id, p.start, p.end, titles[p.article_id]))
            if old is None:
                todo.append(i)
            else:
                vectors[i] = old
        texts = [vector_text(titles[all_passages[i].article_id], all_passages[i], settings) for i in todo]
        if todo:
            vectors[todo] = embedder.passages(texts, progress=progress)
        return vectors

    def extended(self, new_articles: list[Article], progress: bool = False,
                 embedder: TextEmbedder | None = None) -> PassageIndex:
        """A new index holding these articles too (an article with a known id replaces the old one).

        This index is left untouched, so questions being answered on it can finish while the new
        one is built; swap the new one in when it is ready. Vectors of unchanged passages are kept.
        """
        if embedder is None and self.vectors is not None:
            raise ValueError("this index has passage vectors: extending it needs the embedder")
        new_ids = {a.id for a in new_articles}
        articles = [a for a in self.articles.values() if a.id not in new_ids] + list(new_articles)
        known = {}
        if self.vectors is not None:
            known = {(p.article_id, p.start, p.end, self.articles[p.article_id].title): self.vectors[p.id]
                     for p in self.passages if p.article_id not in new_ids}
        return PassageIndex.build(articles, self.settings, progress=progress, embedder=embedder, known_vectors=known)

    def article_range(self, article_id: str) -> tuple[int, int]:
        """First and last passage id of an article."""
        return self._ranges[article_id]

    @property
    def has_vectors(self) -> bool:
        return self.vectors is not None

    def search(self, question: str, k: int = 5, query_vector: np.ndarray | None = None,
               fusion: FusionSettings = FusionSettings()) -> list[Hit]:
        """The k best passages: BM25 alone, or BM25 and dense similarity fused when a vector is given."""
        if not self.passages:
            return []
        terms = self.analyzer(question)
        bm25 = self.bm25.scores(terms) if terms else np.zeros(len(self.passages))
        dense = None
        if query_vector is not None and self.vectors is not None:
            dense = passage_similarities(self.vectors, query_vector)
        elif not terms:
            return []
        ranked = fuse(bm25, dense, k, fusion)
        return [Hit(self.passages[i], score, float(bm25[i]), None if dense is None else float(dense[i]))
                for i, score in ranked]

    def save(self, folder: Path) -> None:
        """Write the index next to `folder` and swap it in, so a crash never leaves half an index."""
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        with (tmp / "articles.jsonl").open("w", encoding="utf-8") as handle:
            for article in self.articles.values():
                handle.write(json.dumps(asdict(article), ensure_ascii=False) + "\n")
        order = {article_id: i for i, article_id in enumerate(self.articles)}
        np.savez(
            tmp / "passages.npz",
            article=np.array([order[p.article_id] for p in self.passages], dtype=np.int32),
            start=np.array([p.start for p in self.passages], dtype=np.int32),
            end=np.array([p.end for p in self.passages], dtype=np.int32),
        )
        sparse.save_npz(tmp / "bm25.npz", self.bm25.weights)
        (tmp / "vocabulary.json").write_text(json.dumps(list(self.bm25.vocabulary), ensure_ascii=False))
        (tmp / "lexicon.json").write_text(json.dumps(sorted(self.lexicon), ensure_ascii=False))
        if self.vectors is not None:
            np.save(tmp / "vectors.npy", self.vectors.astype(np.float16))  # already float16 unless set by hand
        meta = {"format": FORMAT_VERSION, "settings": asdict(self.settings), "articles": len(self.articles),
                "passages": len(self.passages), "vectors": self.vectors is not None,
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        (tmp / "meta.json").write_text(json.dumps(meta, indent=2))
        old = folder.with_name(folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            os.replace(folder, old)
        os.replace(tmp, folder)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> PassageIndex:
        try:
            meta = json.loads((folder / "meta.json").read_text())
            if meta.get("format") != FORMAT_VERSION:
                raise IndexError_(f"index format {meta.get('format')} is not {FORMAT_VERSION}")
            settings = IndexSettings(**meta["settings"])
            with (folder / "articles.jsonl").open(encoding="utf-8") as handle:
                articles = [Article(**json.loads(line)) for line in handle]
            arrays = np.load(folder / "passages.npz")
            weights = sparse.load_npz(folder / "bm25.npz").tocsr()
            vocabulary = {term: i for i, term in enumerate(json.loads((folder / "vocabulary.json").read_text()))}
            lexicon = frozenset(json.loads((folder / "lexicon.json").read_text()))
            vectors = np.load(folder / "vectors.npy").astype(np.float16) if meta.get("vectors") else None
        except IndexError_:
            raise
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise IndexError_(f"index at {folder} is missing or damaged: {error}") from error
        all_passages = []
        for n, (a, s, e) in enumerate(zip(arrays["article"], arrays["start"], arrays["end"])):
            article = articles[a]
            all_passages.append(Passage(n, article.id, int(s), int(e), article.body[s:e]))
        if (len(all_passages) != meta["passages"] or weights.shape != (len(vocabulary), len(all_passages))
                or (vectors is not None and (vectors.shape[0] != len(all_passages) or not np.isfinite(vectors).all()))):
            raise IndexError_(f"index at {folder} is inconsistent; rebuild it")
        return cls(articles, all_passages, SparseBM25(vocabulary, weights), settings, lexicon, vectors)
