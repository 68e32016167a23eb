"""Long work's progress, one mechanism for every app: a job is a small record in the cache
(owner, state, done/total, result) that the task updates as it goes and the owner's page polls
(statistics "generate now", roster imports). Only the user who started a job may read it."""

from __future__ import annotations

import uuid

from django.core.cache import cache

__all__ = ["JOB_TTL", "job_for", "job_progress", "job_start", "progress_every"]

JOB_TTL = 24 * 3600
STATES = ("queued", "running", "done", "failed")


def _key(job_id):
    return f"job:{job_id}"


def job_start(*, user, task: str, **payload) -> str:
    """Record a new queued job of `task` (what it does) owned by `user` and return its id (32 hex digits)."""
    job_id = uuid.uuid4().hex
    state = {"id": job_id, "task": task, "user": user.pk, "state": "queued", "done": 0, "total": 0, "error": ""}
    cache.set(_key(job_id), {**state, **payload}, JOB_TTL)
    return job_id


def job_progress(job_id: str, **changes) -> dict | None:
    """A job's state (updated first when `changes` are given); None if unknown or expired."""
    state = cache.get(_key(job_id))
    if state is not None and changes:
        state.update(changes)
        cache.set(_key(job_id), state, JOB_TTL)
    return state


def job_for(job_id: str, user, task: str | None = None) -> dict | None:
    """The job if `user` started it (and it is a `task` job, when given); None otherwise."""
    state = cache.get(_key(job_id))
    if state is None or state["user"] != user.pk or (task is not None and state["task"] != task):
        return None
    return state


def progress_every(job_id: str, step: int):
    """A `progress(done, total, **extra)` callback (extra: e.g. the `stage`) that writes to the
    cache every `step` items and at the end of each pass, not on every item."""

    def progress(done, total, **extra):
        if done == total or done % step == 0:
            job_progress(job_id, done=done, total=total, **extra)

    return progress
