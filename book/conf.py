"""Sphinx settings of the course website, both editions (Jupyter Book 1.x's parts: MyST-NB, sphinx-book-theme).

``make book`` (see ``aigc_course/book.py``) copies this file into each edition's source folder with
the intro page, a generated ``_toc.yml``, the executed notebooks and ``_static/mathjax``, and runs
Sphinx there with the edition's ``language``, ``project`` and ``html_title`` given on the command line.
Nothing is executed, and no page loads a font, stylesheet or script from outside the site.
"""

import os

from aigc_course.web_assets import MATHJAX_CONFIG

project = "AIGC from Zero"
html_title = project
author = "the course's authors"
copyright = "the course's authors; code: MIT"
language = "en"  # the Chinese edition: zh_CN (its search splits words with jieba)

extensions = ["myst_nb", "sphinx_external_toc"]
external_toc_path = "_toc.yml"  # written from the executed notebooks found, in course order
external_toc_exclude_missing = False
exclude_patterns = ["_build", "**.ipynb_checkpoints"]

# The notebooks come executed from `make course`: never run them again here.
nb_execution_mode = "off"
nb_merge_streams = True
nb_ipywidgets_js = {}  # no widget scripts from the internet: widgets are made text when the book is assembled
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_update_mathjax = False  # MathJax 2 below, configured here, not MyST's MathJax 3 settings

# MathJax 2.7 from the site's own _static/mathjax (copied from jupyter-server-mathjax).
html_static_path = ["_static"]
mathjax_path = f"mathjax/MathJax.js?config={MATHJAX_CONFIG}"
mathjax2_config = {
    "tex2jax": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]], "processEscapes": True},
    "messageStyle": "none",
    # jupyter-server-mathjax ships the STIX-Web fonts only: without this, MathJax asks for its TeX fonts (404)
    "HTML-CSS": {"availableFonts": [], "preferredFont": None, "webFont": "STIX-Web", "imageFont": None},
}

# The Chinese search cuts text into words with jieba; the glossary's terms (written beside this file when
# the book is assembled) stay whole words, so that a search for 困惑度 finds the pages that use it.
_search_words = os.path.join(os.path.dirname(os.path.abspath(__file__)), "search_words.txt")
if os.path.isfile(_search_words):
    html_search_options = {"dict": _search_words}

html_theme = "sphinx_book_theme"
html_copy_source = True  # _sources/NAME.ipynb: the executed notebook behind the download button
html_sourcelink_suffix = ""
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "use_download_button": True,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "use_issues_button": False,
    "use_edit_page_button": False,
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "navigation_with_keys": False,
    "launch_buttons": {},
}


def setup(app):
    """Sphinx 9.0's Chinese search names its stemmer ``ChineseStemmer`` in the page's script but ships the
    English one (it stems the Latin words of Chinese text in English), so the Chinese search page stops
    with "ChineseStemmer is not defined". Name it after the script it ships, where that bug is present."""
    from sphinx.search import languages
    from sphinx.search.zh import SearchChinese

    if SearchChinese.js_stemmer_rawcode == "english-stemmer.js" and SearchChinese.language_name != "English":
        languages["zh"] = type("SearchChineseStemmedInEnglish", (SearchChinese,), {"language_name": "English"})
    return {"parallel_read_safe": True, "parallel_write_safe": True}
