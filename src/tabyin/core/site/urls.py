"""Language-neutral site files at the addresses crawlers and browsers expect (no /en/ twin)."""

from django.urls import URLPattern, URLResolver, path

from tabyin.core.site import views, views_pwa

urlpatterns: list[URLPattern | URLResolver] = [
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sw.js", views_pwa.service_worker, name="service-worker"),
    path("apple-touch-icon.png", views.apple_touch_icon, name="apple-touch-icon"),
]
