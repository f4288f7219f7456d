"""Newslens analysis engine: from a raw news article to a cleaned, analysed, stored article.

Importable without Streamlit. The stages, each a module:

- ``decode``: bytes → text (UTF-8/BOM, UTF-16, cp1252), refusing binary and oversized input
- ``clean``: text, HTML or Markdown → ``CleanedArticle`` (headline variants with roles,
  body paragraphs, removed boilerplate, metadata)
- ``entities``: spaCy NER merged into canonical entities with aliases
- ``tone``: TextBlob polarity/subjectivity, VADER and the project's ``tone``
- ``targeted``: tone toward one target mention in a sentence
- ``quotes``: direct, partial and reported quotes with resolved speakers
- ``headlines``: headline variants compared with each other and the body
- ``pipeline``: all of the above, once per article (``analyze_text``, ``analyze_many``)
- ``store``: the SQLite store and the DataFrames the dashboard reads
- ``figures``: Plotly figure builders (frames in, figure out)
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
