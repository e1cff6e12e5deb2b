"""The `learn` command: gather the corrections, run the loop, print what it decided and why."""

from __future__ import annotations

import asyncio
import sys
from argparse import Namespace
from pathlib import Path

from bot.answer_log import AnswerLog
from bot.config import Settings
from bot.learning.corrections import Corrections, from_answer_log, from_squad_file
from bot.learning.loop import Learner, LearnSettings
from bot.reader.qa_data import QAFileError
from bot.reader.store import uninstall_reader


async def _from_log(settings: Settings) -> Corrections:
    from bot.service import open_index

    index = open_index(settings)
    async with await AnswerLog.open(settings.answer_log) as log:
        return await from_answer_log(log, index)


def learn(settings: Settings, args: Namespace) -> int:
    if args.reset:
        print("serving the shipped reader again" if uninstall_reader(settings.data_dir) else "no installed reader: the shipped one is served")
        return 0
    try:
        corrections = from_squad_file(Path(args.corrections)) if args.corrections else asyncio.run(_from_log(settings))
    except QAFileError as error:
        print(f"cannot learn: {error}", file=sys.stderr)
        return 2
    learn_settings = LearnSettings(
        qa_data=Path(args.data), min_corrections=args.min_corrections, held_back_fraction=args.held_back,
        replay_ratio=args.replay_ratio, correction_repeats=args.correction_repeats, epochs=args.epochs,
        blend_shares=tuple(args.blend_shares),
        learning_rate=args.lr, layers=args.layers, val_limit=args.val_limit, max_drop=args.max_drop, progress=not args.quiet)
    record = Learner(settings.data_dir, learn_settings).run(corrections)
    decision = record["decision"]
    for reason in decision["reasons"]:
        print(f"- {reason}")
    if decision.get("refused"):
        print(f"refused before training; record: {record['record_path']}", file=sys.stderr)
        return 1
    current, candidate = record["current"], record["candidate"]
    for name in current["validation"]:
        print(f"{name:16} F1 {current['validation'][name]['f1']:6.2f} -> {candidate['validation'][name]['f1']:6.2f}")
    print(f"{'held back':16} F1 {current['held_back']['f1']:6.2f} -> {candidate['held_back']['f1']:6.2f} "
          f"({current['held_back']['right']} -> {candidate['held_back']['right']} of {current['held_back']['count']} right)")
    if record["installed"]:
        print(f"installed {record['installed']} (the bot serves it from its next start); record: {record['record_path']}")
    else:
        print(f"kept {current['version']}; record: {record['record_path']}")
    return 0
