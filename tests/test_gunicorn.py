"""The web server's settings (config/gunicorn.py) and what its master does before forking."""

from __future__ import annotations

import runpy
from pathlib import Path

from django.template import engines
from django.utils.translation import trans_real

from config.wsgi import warm_up

GUNICORN = Path(__file__).resolve().parent.parent / "config" / "gunicorn.py"


def served(monkeypatch, **environment: str) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_BIND", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN))


def test_workers_and_threads_come_from_the_environment(monkeypatch):
    settings = served(monkeypatch, WEB_CONCURRENCY="3", GUNICORN_THREADS="4", PORT="8123")
    assert (settings["workers"], settings["threads"], settings["worker_class"]) == (3, 4, "gthread")
    assert settings["bind"] == "127.0.0.1:8123"


def test_by_default_one_sync_worker_per_half_core_and_one_more(monkeypatch):
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 2)
    settings = served(monkeypatch)
    assert (settings["workers"], settings["threads"], settings["worker_class"]) == (5, 1, "sync")
    assert settings["bind"] == "127.0.0.1:8000" and settings["preload_app"] is True
    assert settings["when_ready"].__name__ == "when_ready"


def test_the_master_loads_the_catalogues_and_templates_before_forking(monkeypatch):
    monkeypatch.setattr(trans_real, "_translations", {})
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    warm_up()
    assert {"ar", "zh-hans", "en", "fr", "ru", "es"} <= set(trans_real._translations)
    assert {"base.html", "reporting/submission_edit.html"} <= set(loader.get_template_cache)
