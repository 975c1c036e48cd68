"""The processes' capacity and pace: web workers and threads, cached responses, background tasks
and their heartbeat."""

from __future__ import annotations

from pydantic import Field

from tabyin.config.env_groups.base import EnvGroup, env_var


class RuntimeEnv(EnvGroup):
    web_workers: int = Field(
        default=0,
        ge=0,
        le=64,
        validation_alias=env_var("TABYIN_WEB_WORKERS"),
        description="Web server worker processes for `tabyin serve` and `tabyin demo`. 0 means one "
        "per CPU core (at most 4) in embedded mode and 2 × CPU cores + 1 in scaled mode.",
    )
    web_threads: int = Field(
        default=0,
        ge=0,
        le=64,
        validation_alias=env_var("TABYIN_WEB_THREADS"),
        description="Threads per web worker process. 0 means 2 in embedded mode and 4 in scaled mode.",
    )
    response_cache: bool = Field(
        default=True,
        validation_alias=env_var("TABYIN_RESPONSE_CACHE"),
        description="Serve public pages and open-data API reads from a cache of whole responses, "
        "rendered once per data version (per web process in embedded mode, once for all in scaled "
        "mode). Turn off only to measure the uncached cost.",
    )
    response_cache_entries: int = Field(
        default=1000,
        ge=10,
        le=100_000,
        validation_alias=env_var("TABYIN_RESPONSE_CACHE_ENTRIES"),
        description="Embedded mode: how many responses each web process keeps in memory (the "
        "largest, an indicator page, is about 100 KB). Scaled mode keeps them in Redis instead.",
    )
    cache_version_ttl_ms: int = Field(
        default=1000,
        ge=0,
        le=60_000,
        validation_alias=env_var("TABYIN_CACHE_VERSION_TTL_MS"),
        description="How long, in milliseconds, a web process trusts the publish counters it last "
        "read before reading them again (ADR 0019): the longest another process can keep serving "
        "a page from before a release. The publishing process sees its own change at once. 0 reads "
        "them for every cached answer.",
    )
    task_threads: int = Field(
        default=2,
        ge=1,
        le=32,
        validation_alias=env_var("TABYIN_TASK_THREADS"),
        description="Threads that run background tasks inside the web process in embedded mode.",
    )
    tasks_eager: bool = Field(
        default=False,
        validation_alias=env_var("TABYIN_TASKS_EAGER"),
        description="Run background tasks synchronously right after the transaction commits "
        "(tests and debugging). Ignored when REDIS_URL is set.",
    )
    task_visibility_seconds: int = Field(
        default=3600,
        ge=5,
        le=86400,
        validation_alias=env_var("TABYIN_TASK_VISIBILITY_SECONDS"),
        description="Scaled mode: seconds after which Redis hands a task whose worker died "
        "(never acknowledged) to another worker. Longer than the slowest task.",
    )
    task_lost_after_seconds: int = Field(
        default=120,
        ge=1,
        le=86400,
        validation_alias=env_var("TABYIN_TASK_LOST_AFTER_SECONDS"),
        description="An alert delivery or report notice still unsent this long after it was queued "
        "or claimed is queued again by the periodic sweep (its task was lost in a restart).",
    )
    heartbeat_seconds: int = Field(
        default=60,
        ge=5,
        le=3600,
        validation_alias=env_var("TABYIN_HEARTBEAT_SECONDS"),
        description="How often a background job records that workers are alive (shown on the "
        "System page and in /healthz).",
    )
