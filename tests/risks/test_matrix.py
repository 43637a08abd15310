"""Scoring is a pure function of (matrix, likelihood, impact); matrices are checked as data."""

import pytest

from apps.risks import matrix

# 3 likelihood levels × 4 impact levels: not square on purpose.
THREE_BY_FOUR = {
    "likelihood": [
        {"label": "Low", "min": 0, "max": 0.1},
        {"label": "Mid", "min": 0.1, "max": 0.5},
        {"label": "High", "min": 0.5, "max": 1},
    ],
    "impact": [{"label": "S"}, {"label": "M"}, {"label": "L"}, {"label": "XL"}],
    "grid": [
        ["low", "low", "medium", "high"],
        ["low", "medium", "high", "critical"],
        ["medium", "high", "critical", "critical"],
    ],
}


def test_scoring_on_a_non_square_matrix():
    matrix.validate(THREE_BY_FOUR)
    assert matrix.rate(THREE_BY_FOUR, 1, 4) == matrix.Rating(1, 4, 4, "high")
    assert matrix.rate(THREE_BY_FOUR, 3, 1) == matrix.Rating(3, 1, 3, "medium")
    assert matrix.rate(THREE_BY_FOUR, 2, 4).level == "critical"
    with pytest.raises(matrix.MatrixError, match="Likelihood is 1 to 3"):
        matrix.rate(THREE_BY_FOUR, 4, 1)
    with pytest.raises(matrix.MatrixError, match="Impact is 1 to 4"):
        matrix.rate(THREE_BY_FOUR, 1, 5)


def test_the_default_matrix_is_five_by_five_and_valid():
    definition = matrix.default_definition()
    matrix.validate(definition)
    assert matrix.rate(definition, 5, 5).level == "critical"
    assert matrix.rate(definition, 1, 1) == matrix.Rating(1, 1, 1, "low")


@pytest.mark.parametrize(
    "breakage,message",
    [
        (lambda d: d["grid"].pop(), "one row per likelihood"),
        (lambda d: d["grid"][0].pop(), "one cell per impact"),
        (lambda d: d["grid"][0].__setitem__(0, "severe"), "Unknown risk level"),
        (lambda d: d["grid"][0].__setitem__(1, "critical"), "falls as impact rises"),
        (lambda d: d["likelihood"][0].__setitem__("label", " "), "needs a label"),
        (lambda d: d["likelihood"][1].__setitem__("min", 0.01), "must rise"),
        (lambda d: d.__setitem__("impact", [{"label": "only"}]), "2 to 10 impact"),
    ],
)
def test_broken_definitions_are_refused_with_the_reason(breakage, message):
    import copy

    definition = copy.deepcopy(THREE_BY_FOUR)
    breakage(definition)
    with pytest.raises(matrix.MatrixError, match=message):
        matrix.validate(definition)


def test_mapping_keeps_the_relative_position_when_there_are_no_bounds():
    assert [matrix.map_position(p, 5, 3) for p in range(1, 6)] == [1, 2, 2, 3, 3]
    assert [matrix.map_position(p, 3, 5) for p in range(1, 4)] == [2, 4, 5]
    assert matrix.map_position(5, 5, 4) == 4  # the top stays the top


def test_mapping_uses_numeric_bounds_when_both_axes_have_them():
    five = matrix.default_definition()
    # Default likelihood "Possible" is 20–50 %: midpoint 35 % falls in THREE_BY_FOUR's "Mid".
    mapped = matrix.map_rating(five, THREE_BY_FOUR, 3, 5)
    assert mapped.likelihood == 2
    # Impact has no bounds on the new matrix: position 5 of 5 → 4 of 4.
    assert mapped.impact == 4 and mapped.level == "critical"
