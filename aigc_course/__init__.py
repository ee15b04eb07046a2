"""AIGC from Zero: the companion package of an offline-first course on generative AI.

The notebooks in ``notebooks/`` explain; this package keeps the reusable code.
Modules are small and import one way: lesson modules (``text``, ``ngram``, ``gpt``,
``gan``, ``vae``, ``career``...) lean on ``config``, ``data`` and ``plotting``,
never the reverse. Importing the package itself is cheap (no torch import).
"""

__version__ = "0.1.0"
