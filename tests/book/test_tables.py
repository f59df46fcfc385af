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


def test_framework_table_has_one_row_per_entry_and_says_why_a_row_did_not_run():
    from gru_book.tables import FRAMEWORK_HEADER, framework_cells, framework_table

    rows = [
        {
            "name": "X GRU",
            "status": "agrees",
            "version": "x 1.0 (its evaluator)",
            "update": "admit",
            "reset": "before",
            "gate_order": "z,r,h",
            "bias": "input",
            "max_abs_diff_float32": 1.6e-7,
            "max_abs_diff_float64": None,
            "float64_note": "refused: no double",
        },
        {"name": "Y on a GPU", "status": "not run here", "why": "no GPU"},
    ]
    cells = framework_cells(rows)
    assert [len(c) for c in cells] == [len(FRAMEWORK_HEADER)] * 2
    assert cells[0] == ["X GRU", "x 1.0", "admit", "before", "z, r, h", "input", "2e-07, refused"]
    assert cells[1][2] == "not run here: no GPU"
    assert framework_table(rows).count("<tr") == 3
    with pytest.raises(ValueError, match="'name' and 'status'"):
        framework_cells([{"name": "no status"}])
    with pytest.raises(TypeError, match="rows must be a list"):
        framework_cells("PyTorch")
