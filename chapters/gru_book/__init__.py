"""gru_book: the book's own helpers, kept beside the chapters.

Plots and their style, the retention chapter's live demos (``demos``: one JavaScript drawing code
for the website and Jupyter), retention helpers, the training task, tables,
the floating-point experiments and chapter-specific numerics. Chapters import from here and from
:mod:`gru_lib`; :mod:`gru_lib` never imports this package. The data the chapters read (outputs that
real frameworks computed) ships in ``gru_book/data`` as package data; see :mod:`gru_book.data`.
"""
