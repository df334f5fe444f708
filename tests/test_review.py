import re

import pytest
from outputs_fixture import make_result

from linkage.review import differences, highlight, side_by_side


def test_side_by_side_puts_custody_first_then_candidates_by_rank():
    table = side_by_side(make_result(), "C1")
    assert list(table.columns) == ["C1", "1 · F1 (>99%)", "2 · F2 (41%)", "3 · F4 (<1%)"]
    assert table.loc["Nombre como está escrito"].tolist() == [
        "GARCIA LOPEZ, MARIA",
        "María García López",
        "Mariela García",
        '=HYPERLINK("http://example.invalid")',
    ]
    assert table.loc["Fecha de nacimiento"].tolist() == [
        "1985-04-03",
        "1985-03-04",
        "1985-04-03",
        "",
    ]
    assert table.loc["Municipio"].tolist() == [
        "Huehuetenango",
        "Huehuetenango",
        "Chiantla",
        "Lejamaní",
    ]


def test_differences_mark_disagreement_and_missing_values():
    marks = differences(side_by_side(make_result(), "C1"))
    assert marks.loc["Nombre(s)"].tolist() == ["", "", "different", ""]
    assert marks.loc["Segundo apellido"].tolist() == ["", "", "missing", "missing"]
    assert marks.loc["Fecha de nacimiento"].tolist() == ["", "different", "", "missing"]
    assert marks.loc["Nombre como está escrito"].tolist() == ["", "", "", ""], "not compared"


def test_highlight_colours_the_cells_that_differ():
    html = highlight(side_by_side(make_result(), "C1")).set_uuid("t").to_html()
    rules = dict(re.findall(r"\s*([^{}]+?)\s*\{\s*([^}]*?);?\s*\}", html))
    cells = re.compile(r"#T_t_row\d+_col\d+")
    red = {sel for sels, css in rules.items() if "#f8d7d3" in css for sel in cells.findall(sels)}
    grey = {sel for sels, css in rules.items() if "#888" in css for sel in cells.findall(sels)}
    # rows: 1 given names (F2 differs), 5 date of birth (F1 swapped); 3 second surname missing
    assert {"#T_t_row1_col2", "#T_t_row5_col1"} <= red
    assert {"#T_t_row3_col2", "#T_t_row3_col3"} <= grey
    assert "#T_t_row1_col1" not in red | grey


def test_side_by_side_in_english_and_unknown_language():
    table = side_by_side(make_result(), "C2", lang="en")
    assert table.index[0] == "Name as written"
    assert list(table.columns) == ["C2", "1 · F3 (>99%)"]
    with pytest.raises(ValueError):
        side_by_side(make_result(), "C2", lang="fr")
