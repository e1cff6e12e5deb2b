"""The passage index: articles, their passages and the BM25 matrix, persisted in one folder."""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from tqdm import tqdm

from bot.corpus.sentences import passages
from bot.records import Article, Hit, Passage
from bot.retrieval.analyzer import Analyzer, words
from bot.retrieval.bm25 import SparseBM25

logger = logging.getLogger(__name__)

FORMAT_VERSION = 2


class IndexError_(RuntimeError):
    """The index folder is missing or damaged (rebuild it with `python -m bot index`)."""


@dataclass(frozen=True)
class IndexSettings:
    stemming: str = "both"  # measured: recall@1 0.94 -> 1.00 on the seed questions (see README)
    passage_words: int = 60  # measured: 60 cites the right article more often than 90 and reads faster
    overlap_sentences: int = 1
    title_in_passages: bool = False  # True: BM25 sees "title + passage" (measured: no better on the seeds)


class PassageIndex:
    """Articles, passages and BM25 weights; answers `search` without touching the disk."""

    def __init__(self, articles: list[Article], passages_: list[Passage], bm25: SparseBM25,
                 settings: IndexSettings, lexicon: frozenset[str]) -> None:
        self.articles = {a.id: a for a in articles}
        self.passages = passages_
        self.bm25 = bm25
        self.settings = settings
        self.lexicon = lexicon  # every word of the corpus: the stemmer's dictionary
        self.analyzer = Analyzer(settings.stemming, lexicon)

    @classmethod
    def build(cls, articles: list[Article], settings: IndexSettings = IndexSettings(), progress: bool = False) -> PassageIndex:
        all_passages: list[Passage] = []
        texts: list[str] = []
        for article in tqdm(articles, desc="splitting", unit="article", disable=not progress):
            for passage in passages(article, len(all_passages), settings.passage_words, settings.overlap_sentences):
                all_passages.append(passage)
                texts.append(f"{article.title}\n{passage.text}" if settings.title_in_passages else passage.text)
        lexicon = frozenset(w for text in texts for w in words(text))
        analyzer = Analyzer(settings.stemming, lexicon)
        analysed = [analyzer(t) for t in tqdm(texts, desc="analysing", unit="passage", disable=not progress)]
        return cls(list(articles), all_passages, SparseBM25.build(analysed), settings, lexicon)

    def extended(self, new_articles: list[Article], progress: bool = False) -> PassageIndex:
        """A new index holding these articles too (an article with a known id replaces the old one).

        This index is left untouched, so questions being answered on it can finish while the new
        one is built; swap the new one in when it is ready.
        """
        new_ids = {a.id for a in new_articles}
        articles = [a for a in self.articles.values() if a.id not in new_ids] + list(new_articles)
        return PassageIndex.build(articles, self.settings, progress=progress)

    def search(self, question: str, k: int = 5) -> list[Hit]:
        terms = self.analyzer(question)
        if not terms or not self.passages:
            return []
        return [Hit(self.passages[i], score) for i, score in self.bm25.top_k(terms, k)]

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
        meta = {"format": FORMAT_VERSION, "settings": asdict(self.settings), "articles": len(self.articles),
                "passages": len(self.passages), "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
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
        except IndexError_:
            raise
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise IndexError_(f"index at {folder} is missing or damaged: {error}") from error
        all_passages = []
        for n, (a, s, e) in enumerate(zip(arrays["article"], arrays["start"], arrays["end"])):
            article = articles[a]
            all_passages.append(Passage(n, article.id, int(s), int(e), article.body[s:e]))
        if len(all_passages) != meta["passages"] or weights.shape != (len(vocabulary), len(all_passages)):
            raise IndexError_(f"index at {folder} is inconsistent; rebuild it")
        return cls(articles, all_passages, SparseBM25(vocabulary, weights), settings, lexicon)
