"""ipywidgets front ends, one module per lesson (``widgets.ngram``, ``widgets.gpt``...).

Every widget has a plain-function twin in its lesson module (or here) that the
notebook also calls, so exported HTML and CI show real results. Widgets import the
lesson modules, never the reverse.
"""
