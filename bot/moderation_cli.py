"""Review and export from a terminal, for moderators who do not use Telegram for it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bot.answer_log import LABELS, AnswerLog
from bot.config import Settings

KEYS = {"c": "correct", "a": "wrong_answer", "w": "wrong_article"}


async def review(settings: Settings) -> int:
    """Walk through unreviewed answers (👎 first); label each with c/a/w, s to skip, q to quit."""
    log = await AnswerLog.open(settings.answer_log)
    skipped: list[int] = []
    try:
        while (item := await log.next_for_review(skip=skipped)) is not None:
            print(f"\n#{item.answer_id}  👍{item.upvotes} 👎{item.downvotes}  score={item.score}")
            print(f"Q: {item.question}\nA: {item.answer if item.answer is not None else '(abstained)'}")
            if item.sentence:
                print(f"Sentence: {item.sentence}")
            if item.article_title:
                print(f"Article: {item.article_title} ({item.article_source}, {item.article_date})")
            choice = (await asyncio.to_thread(input, "[c]orrect, wrong [a]nswer, wrong a[r]ticle=w, [s]kip, [q]uit: ")).strip().lower()
            if choice == "q":
                break
            if choice not in KEYS:
                skipped.append(item.answer_id)
                continue
            correction = None
            if KEYS[choice] != "correct":
                correction = (await asyncio.to_thread(input, "Corrected answer (empty for none): ")).strip() or None
            await log.review(item.answer_id, 0, KEYS[choice], corrected_answer=correction)
        else:
            print("Nothing left to review.")
    except EOFError:
        pass
    finally:
        await log.close()
    return 0


async def export(settings: Settings, out_dir: Path) -> int:
    """Write answers.csv and corrections.squad.json into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    log = await AnswerLog.open(settings.answer_log)
    try:
        rows = await log.export_csv(out_dir / "answers.csv")
        squad = await log.export_squad()
    finally:
        await log.close()
    (out_dir / "corrections.squad.json").write_text(json.dumps(squad, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {rows} answers to {out_dir / 'answers.csv'} and the reviewed corrections to "
          f"{out_dir / 'corrections.squad.json'} (labels: {', '.join(LABELS)})")
    return 0
