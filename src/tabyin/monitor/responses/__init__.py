"""Rumors and answers: staff draft, review and publish an answer to a rumor; the public reads the
answers (clarifications) and sends tips through the tipline.

``views``/``views_public``/``tasks`` → ``forms``/``forms_public`` → ``services`` (the answer's
workflow) → ``services_tips`` (the tipline) → ``services_publish`` (posting to the organization's
own channels) → ``selectors``.
"""
