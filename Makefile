# mesra — two commands on a fresh machine: `make briefs` and `make test`.
# Uses the active environment (virtualenv or conda) when there is one,
# otherwise creates .venv with the system python3.

SHELL := /bin/bash
ifneq ($(strip $(VIRTUAL_ENV)$(CONDA_PREFIX)),)
  PYTHON := python
  STAMP := .mesra-env-active.stamp
else
  PYTHON := .venv/bin/python
  STAMP := .venv/.mesra-installed
endif
DATA ?= data
OUT ?= reports
WORKERS ?=
PYTEST_ARGS ?=

.PHONY: help env browser check briefs test lint lab benchmarks clean

help:
	@echo "make briefs   valider le corpus et produire les notes dans $(OUT)/"
	@echo "make test     lancer les tests (pytest + nbval)"
	@echo "make check    valider le corpus seulement"
	@echo "make lint     vérifier le style du code (ruff)"
	@echo "make lab      ouvrir JupyterLab à la racine du projet (notebooks/, data/, reports/)"
	@echo "make benchmarks  mesurer (long ; voir benchmarks/README.md)"

$(STAMP): pyproject.toml
	@if [ "$(PYTHON)" = ".venv/bin/python" ] && [ ! -x .venv/bin/python ]; then \
	  echo "Création de l'environnement .venv (python3 -m venv)…"; python3 -m venv .venv; fi
	@echo "Installation de mesra et de ses dépendances dans $(if $(filter .venv/bin/python,$(PYTHON)),.venv,l'environnement actif) :"
	@echo "  pip, puis mesra (modifiable) avec pandas, matplotlib, networkx, igraph, papermill, JupyterLab,"
	@echo "  nbconvert, openpyxl, Dask, WeasyPrint (PDF) et les outils de test (voir pyproject.toml)."
	@echo "  Compter 1 à 3 minutes la première fois (téléchargements) ; les fois suivantes, rien à faire."
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)
	@echo "Environnement prêt."

env: $(STAMP)

check: env
	$(PYTHON) -m mesra check $(DATA)

briefs: env
	$(PYTHON) -m mesra briefs --data $(DATA) --out $(OUT) $(if $(WORKERS),--workers $(WORKERS),)

# The browser tests need Chromium: installed here when missing and possible (root with apt-get).
browser:
	@if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installation de Chromium pour les tests du navigateur (apt-get install chromium)…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium est nécessaire aux tests du navigateur : installez-le (sudo apt-get install chromium)." >&2; exit 1; \
	  fi; \
	fi

test: env browser
	$(PYTHON) -m pytest $(PYTEST_ARGS)

# JupyterLab's root is the project: notebooks/, data/ and reports/ can all be browsed.
# Jupyter refuses to start as root unless told: containers usually run as root.
lab: env
	@if [ "$$(id -u)" = "0" ]; then \
	  echo "Vous êtes root (cas courant dans un conteneur) : JupyterLab est lancé avec --allow-root."; \
	  $(PYTHON) -m jupyter lab --allow-root --ServerApp.root_dir="$(CURDIR)"; \
	else $(PYTHON) -m jupyter lab --ServerApp.root_dir="$(CURDIR)"; fi

benchmarks: env
	$(PYTHON) benchmarks/network_scale.py
	$(PYTHON) benchmarks/brief_cost.py
	$(PYTHON) benchmarks/import_scale.py
	$(PYTHON) benchmarks/check_scale.py
	$(PYTHON) benchmarks/warm_batch.py

clean:
	rm -rf .venv .mesra-env-active.stamp .pytest_cache

lint: env
	$(PYTHON) -m ruff check mesra tests benchmarks scripts
	$(PYTHON) -m ruff format --check mesra tests benchmarks scripts
