"""Open-data pages and files under /data/ (inside the language prefix, namespace ``portal``).

The file addresses end in their format (``/data/services.csv``) so that a saved file has the
right name and type. ``datapackage`` is reserved: an indicator with that code would be shadowed
by the dataset's package. The package's CSV lives at ``/data/<slug>/data/<slug>.csv``, the
relative path ``data/<slug>.csv`` that the package descriptor points to.
"""

from django.urls import URLPattern, URLResolver, path, re_path

from tabyin.portal.cache_scope import one_dataset, page
from tabyin.portal.opendata import views as views_data

_CODE = r"[-a-zA-Z0-9_]+"
_FORMAT = r"csv|xlsx|json"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", page()(views_data.datasets), name="datasets"),
    re_path(
        rf"^(?P<slug>{_CODE})\.(?P<fmt>{_FORMAT})$", views_data.dataset_download, name="dataset-download"
    ),
    path("<slug:slug>/", page(one_dataset)(views_data.dataset), name="dataset"),
    path("<slug:slug>/datapackage.json", views_data.datapackage, name="datapackage"),
    path("<slug:slug>/data/<slug:file>.csv", views_data.datapackage_csv, name="datapackage-csv"),
    re_path(
        rf"^(?P<slug>{_CODE})/(?P<indicator>{_CODE})\.(?P<fmt>{_FORMAT})$",
        views_data.indicator_download,
        name="indicator-download",
    ),
]
