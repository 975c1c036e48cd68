"""The fields of ``tabyin.config.env.TabyinEnv``, one class per sub-domain; ``env.py`` composes them
into the one settings class that ``load()`` validates."""
