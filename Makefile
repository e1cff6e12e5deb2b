# Two commands: `make run` starts the bot, `make test` runs the tests. Both set themselves up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test setup index evals clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

setup: $(VENV)/.installed

run: setup
	$(PY) -m bot run

test: setup
	$(PY) -m pytest

index: setup
	$(PY) -m bot index

# Every pipeline figure of the README's "Scores at a glance", one job at a time, into runs/$(TAG)/
# (needs ../shared beside the repository; about 10 minutes once the evaluation indexes are built).
TAG ?= latest
SHARED ?= ../shared
NEWS_SETS := tests/data/news_questions.jsonl tests/data/news_out_of_corpus.jsonl $(SHARED)/eval/seed_dev.jsonl tests/data/casual_seed_questions.jsonl
evals: setup
	mkdir -p runs/$(TAG)
	for q in tests/data/casual_seed_questions.jsonl tests/data/casual_probe_questions.jsonl tests/data/casual_fresh_questions.jsonl \
	    $(SHARED)/eval/seed_dev.jsonl tests/data/seed_questions.jsonl; do \
	  $(PY) -m bot eval $$q > runs/$(TAG)/seeds_$$(basename $$q .jsonl).txt; done
	$(PY) -m bot open-eval --corpus $(SHARED)/data/tydiqa_id/train.json $(SHARED)/data/tydiqa_id/valid.json \
	  --questions $(SHARED)/data/tydiqa_id/valid.json --answers > runs/$(TAG)/tydi_open.json
	$(PY) -m bot open-eval --corpus $(SHARED)/data/idk_mrc/valid.json --questions $(SHARED)/data/idk_mrc/valid.json \
	  --answers > runs/$(TAG)/idk_open.json
	for q in $(NEWS_SETS); do \
	  $(PY) -m bot open-eval --corpus seeds $(SHARED)/news/articles.jsonl --questions $$q --answers --verbose \
	    > runs/$(TAG)/news_$$(basename $$q .jsonl).json; done

clean:
	rm -rf $(VENV) data .pytest_cache
