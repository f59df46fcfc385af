"""Plotting: pure functions that draw into a given matplotlib figure or axes.

One submodule per topic (``gru_book.plots.retention``, …); none of them calls ``plt.show`` or
keeps global state, so a widget can redraw into the same figure.
"""
