"""The site's own files: robots.txt, the sitemap over the apps' registered sections, the icons,
and the installable web app (manifest, service worker, offline page).

The feature's layers are ``urls`` (the language-neutral addresses, no /en/ twin) → ``views`` |
``views_pwa`` → ``sitemaps`` (the sitemap built from the registry). The service worker's code is
``core/pwa/service-worker.js``; the manifest and the offline page are routed by ``core/urls.py``.
"""
