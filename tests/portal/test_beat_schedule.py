"""The Celery beat schedule names only tasks that exist, and calls them with arguments they accept."""

import inspect

import pytest
from celery.schedules import crontab
from django.conf import settings

from portal.celery import app


@pytest.fixture(scope="module")
def tasks():
    app.autodiscover_tasks(force=True)
    return app.tasks


def test_the_beat_schedule_is_not_empty():
    assert settings.CELERY_BEAT_SCHEDULE


def test_the_celery_app_reads_the_schedule_from_the_settings():
    assert app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_scheduled_task_is_a_registered_task(tasks, entry):
    name = settings.CELERY_BEAT_SCHEDULE[entry]["task"]
    assert name in tasks, f"{entry}: {name} is not a registered task"


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_scheduled_task_accepts_the_arguments_it_is_scheduled_with(tasks, entry):
    config = settings.CELERY_BEAT_SCHEDULE[entry]
    task = tasks[config["task"]]
    inspect.signature(task.run).bind(*config.get("args", ()), **config.get("kwargs", {}))


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_schedule_is_a_crontab_or_a_positive_interval(entry):
    schedule = settings.CELERY_BEAT_SCHEDULE[entry]["schedule"]
    assert isinstance(schedule, crontab) or (isinstance(schedule, int | float) and schedule > 0), entry
