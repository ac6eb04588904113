PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV := $(VENV)/.dev
TRAIN := $(VENV)/.train
PIP_LOG := $(VENV)/pip.log

# pip's own output goes to $(PIP_LOG): make shows a line a step, and on a failure pip's last
# lines and the log's name. (An argument with a comma would need a variable: $(call) splits there.)
pip_install = $(PY) -m pip install --disable-pip-version-check $(1) >>$(PIP_LOG) 2>&1 \
	|| { tail -n 15 $(PIP_LOG) >&2; echo "make: pip install $(1) failed; pip's output is in $(PIP_LOG)" >&2; exit 1; }

.PHONY: run test index bench eval train-reader reader-pack clean

# What the bot needs to run, and nothing else (make run).
$(STAMP): pyproject.toml
	@echo "make: installing Verbatim in $(VENV) (pip's output: $(PIP_LOG))"
	@$(PYTHON) -m venv $(VENV)
	@$(call pip_install,--upgrade pip)
	@$(call pip_install,-e .)
	@touch $(STAMP)

# Tests and evaluations: pytest, hypothesis, rouge-score.
$(DEV): $(STAMP)
	@echo "make: installing the test tools (pip's output: $(PIP_LOG))"
	@$(call pip_install,-e '.[dev]')
	@touch $(DEV)

# Training the reader and exporting the embedder: PyTorch, transformers and onnx.
$(TRAIN): $(DEV)
	$(PY) -m pip install --quiet -e '.[dev,train,postgres,archives]'
	touch $(TRAIN)

# Retrain and recalibrate the shipped reader (about an hour on two cores; see index/answering/reader/model/CARD.md).
train-reader: $(TRAIN)
	$(PY) -m index train-reader
	$(PY) -m index calibrate-reader

# The reader's training examples and base encoder in .pack/, to train on a GPU machine (see the model card).
reader-pack: $(TRAIN)
	$(PY) -m index train-reader --pack .pack

# Build the index only when there is none yet; `python -m index build` rebuilds on purpose.
index: $(STAMP)
	@$(PY) -m index build --if-missing

run: index
	@$(PY) -m bot --console-if-no-token

# The tests cover the reader's training, the embedder's export, the PostgreSQL store and archives' graphs too.
test: $(TRAIN)
	$(PY) -m pytest

bench: index
	$(PY) -m bench

# The evaluation data lives outside the repository, in ../shared (see README, Evaluation).
EVAL_DATA ?= ../shared/eval/article_dev.jsonl
eval: index $(DEV)
	@test -f $(EVAL_DATA) || { echo "make eval: $(EVAL_DATA) is missing; the evaluation data is expected in ../shared/eval (set EVAL_DATA=FILE)"; exit 2; }
	$(PY) -m index eval $(EVAL_DATA)

clean:
	rm -rf $(VENV) data
