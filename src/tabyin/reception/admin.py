"""The reception app in the administrators' back office: each feature registers its models."""

from tabyin.reception.plainlang import admin as plainlang_admin

__all__ = ["plainlang_admin"]
