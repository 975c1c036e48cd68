"""Tabyin's one display kit: how numbers and charts are shown to a person.

* :mod:`tabyin.core.display.numbers` — numbers, percentages, signed changes and durations, with
  Persian digits and separators on Persian pages and ASCII on English pages;
* :mod:`tabyin.core.display.svg` — the server-side SVG chart toolkit (accessible opener, linear
  scales, round ticks, reading-direction anchors, legends) whose labels go through ``numbers``.

Data (CSV, JSON, APIs, stored values) never goes through this package: it stays ASCII.
"""
