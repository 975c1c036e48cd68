"""Language-neutral site files at the addresses crawlers and browsers expect (no /en/ twin)."""

from django.urls import URLPattern, URLResolver, path

from tabyin.core import views_pwa, views_site

urlpatterns: list[URLPattern | URLResolver] = [
    path("robots.txt", views_site.robots_txt, name="robots-txt"),
    path("sitemap.xml", views_site.sitemap, name="sitemap"),
    path("favicon.ico", views_site.favicon, name="favicon"),
    path("sw.js", views_pwa.service_worker, name="service-worker"),
    path("apple-touch-icon.png", views_site.apple_touch_icon, name="apple-touch-icon"),
]
