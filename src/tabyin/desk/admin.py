"""The desk in the administrators' back office: each feature registers its models."""

from tabyin.desk.intake import admin as intake_admin

__all__ = ["intake_admin"]
