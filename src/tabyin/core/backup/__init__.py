"""Backup and restore: the whole site (database and data directory) in one sealed archive.

The feature's layers are ``services_restore`` (`tabyin restore`) → ``services`` (`tabyin backup`,
and the site's parts both commands share) → ``archive`` (the sealed archive format, pure). None of
them needs Django: the CLI calls them on a machine where Tabyin may never have started.
"""
