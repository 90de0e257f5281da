"""Printable documents: PDF requests, their background rendering (WeasyPrint) and
download. The kinds come from the features (``<pkg>.documents``)."""
