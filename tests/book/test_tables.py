"""gru_book.tables: HTML tables for chapter outputs."""
import pytest

from gru_book.tables import html_table


def test_cells_are_formatted_and_escaped():
    t = html_table(["t", "h<sub>t</sub>", "note"], [(1, 0.5, "<b>")], formats=["d", "+.2f", "s"])
    assert "<th>h<sub>t</sub></th>" in t
    assert "<td>1</td><td>+0.50</td><td>&lt;b&gt;</td>" in t
    assert t._repr_html_() == str(t) and t.count("<tr>") == 2


def test_row_and_format_lengths_are_checked():
    with pytest.raises(ValueError, match="row 0 must have 2 cells like the header; got 3"):
        html_table(["a", "b"], [(1, 2, 3)])
    with pytest.raises(ValueError, match=r"one entry per column \(2\); got 1"):
        html_table(["a", "b"], [(1, 2)], formats=["d"])
