"""Reception (سنجش دریافت): did the public understand us?

Feature packages, each with the same inner files (models, services, selectors, forms, views,
urls, templates as it needs them): ``plainlang/`` (the plain-language checker, pure code plus a
page and an API), ``polls/`` (comprehension polls), ``meetings/`` (public meetings and
commitments). See docs/modules/reception.md.
"""
