"""A damaged or missing index or model directory is rebuilt at start, not crashed on."""

from __future__ import annotations

import shutil
from dataclasses import replace

from bot.reader.store import load_reader, model_version
from bot.retrieval.index import PassageIndex
from bot.service import open_index


def test_missing_and_damaged_index_are_rebuilt(settings, tmp_path):
    own = replace(settings, data_dir=tmp_path)
    assert len(open_index(own).articles) == 5  # missing: built from the corpus
    (own.index_dir / "passages.npz").write_bytes(b"garbage")
    assert len(open_index(own).passages) == len(PassageIndex.load(own.index_dir).passages)  # damaged: rebuilt


def test_damaged_model_directory_is_rebuilt(answerer, settings, tmp_path):
    model_dir = tmp_path / "models" / model_version()
    shutil.copytree(settings.data_dir / "models" / model_version(), model_dir)
    (model_dir / "model.safetensors").write_bytes(b"\x00" * 100)
    reader = load_reader(tmp_path)
    reading = reader.read(["Siapa Sekretaris Jenderal CSTO?"], ["Sekretaris Jenderal CSTO Stanislav Zas menyatakan hal itu."])[0]
    assert reading.end > reading.start
    assert (model_dir / "model.safetensors").stat().st_size > 1_000_000
