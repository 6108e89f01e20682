"""explain, why and gradcheck reports show in a notebook as HTML tables with the text's numbers.

Each ``_repr_html_`` is parsed with the standard library's html.parser, as a browser
would read it, and its cells are compared with the terminal text.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import pickle

from chainrule.autograd import OPS, Value, apply_op, gradcheck, gradgradcheck
from chainrule.autograd.html import table
from chainrule.autograd.paths import why
from chainrule.autograd.steps import backprop_steps, explain, number
from html_reading import all_text, read_html

SCRIPT = "<script>alert(1)</script>"


def neuron() -> tuple[Value, Value, Value]:
    x, w = Value(0.5, "x"), Value(-1.5, "w")
    return (x * w).tanh(), x, w


def test_explain_stays_terminal_text_and_shows_both_passes_as_tables():
    root, x, w = neuron()
    text = explain(root)
    assert str(text) == text and "forward pass (evaluation order)" in text
    forward, backward = read_html(text._repr_html_()).tables
    assert forward[-1] == ["n2", "tanh(n1)", "tanh(-0.75)", "-0.6351"]  # tanh(0.5 × -1.5)
    steps = backprop_steps(root)
    assert len(backward) == 1 + len(steps)  # the header, then one row per step
    for row, step in zip(backward[1:], steps, strict=True):
        # step 2: x.grad += d(x * w)/dx = w = -1.5 × upstream 0.5966 = -0.8949
        assert row[:3] == [str(step.index), f"{step.parent_name}.grad", step.local_text()]
        assert row[4] == f"= {number(step.contribution)}"
        assert row[3] in text and row[2] in text  # the same cells as the text table


def test_explain_survives_copy_and_pickle_with_its_tables():
    text = explain(neuron()[0])
    for again in (copy.deepcopy(text), pickle.loads(pickle.dumps(text))):
        assert again == text and again._repr_html_() == text._repr_html_()


def test_explain_html_ends_with_the_gradients_line_of_the_text():
    root, *_ = neuron()
    text = explain(root)
    assert all_text(text._repr_html_()).endswith(text.splitlines()[-1])


def test_why_html_lists_each_path_with_its_product_and_the_sum():
    x = Value(3.0, "x")
    answer = why(x * x + x, x)  # 2x + 1 = 7: paths 3 × 1, 3 × 1 and 1
    reading = read_html(answer._repr_html_())
    rows = reading.tables[0][1:]
    assert [row[2] for row in rows] == ["3.0", "3.0", "1.0"]
    assert [row[1] for row in rows] == ["3.0 × 1.0", "3.0 × 1.0", "1.0"]
    assert "sum = 7.0 = x.grad" in all_text(answer._repr_html_())


def test_why_html_with_too_many_paths_says_so_without_a_table():
    x = Value(1.0, "x")
    y = x
    for _ in range(6):
        y = y * y  # 2^6 = 64 paths
    reading = read_html(why(y, x)._repr_html_())
    assert reading.tables == [] and "more than 20" in "".join(reading.text)


def test_gradcheck_html_has_one_row_per_input_with_the_numbers_of_the_text():
    report = gradcheck(lambda x, w: (x * w).tanh(), [0.5, -1.5])
    reading = read_html(report._repr_html_())
    header, *rows = reading.tables[0]
    assert header[:4] == ["input", "value", "analytic", "numeric"]
    for row, check in zip(rows, report.rows, strict=True):
        assert float(row[2]) == float(f"{check.analytic:.10g}")  # -0.8948787124 for x
        assert row[6] == "yes" and " ".join(row[:3]) in " ".join(str(report).split())
    assert reading.marked_rows == []
    assert "gradcheck passed" in all_text(report._repr_html_())


def test_gradcheck_html_marks_failing_rows_and_names_the_culprit():
    wrong_tanh = dataclasses.replace(OPS["tanh"], local_grads=lambda x, out: (1 - out,))
    report = gradcheck(lambda x, w: apply_op(wrong_tanh, x * w), [0.5, -1.5])
    reading = read_html(report._repr_html_())
    assert not report.ok and len(reading.marked_rows) == 2  # both inputs pass through tanh
    assert all(row[6].startswith("NO") for row in reading.marked_rows)
    text = all_text(report._repr_html_())
    assert "gradcheck FAILED" in text and f"culprit: {report.culprit}" in text


def test_gradgradcheck_html_has_one_row_per_pair():
    report = gradgradcheck(lambda x, y: x * x * y, [3.0, 2.0])  # [[2y, 2x], [2x, 0]]
    rows = read_html(report._repr_html_()).tables[0][1:]
    assert [float(row[2]) for row in rows] == [4.0, 6.0, 6.0, 0.0]


def test_every_label_is_escaped_in_every_html_display():
    x, w = Value(0.5, SCRIPT), Value(-1.5, "w")
    root = (x * w).tanh()
    displays = [explain(root)._repr_html_(), why(root, x)._repr_html_(),
                gradcheck(lambda a, b: (a * b).tanh(), [x, w])._repr_html_()]
    for html in displays:
        reading = read_html(html)
        assert "script" not in reading.tags
        assert SCRIPT in "".join(reading.text)  # shown as text, for the reader to see


def test_table_escapes_header_caption_and_cells():
    reading = read_html(table([SCRIPT], [[SCRIPT]], caption=SCRIPT))
    assert "script" not in reading.tags and reading.tables == [[[SCRIPT], [SCRIPT]]]


def failing_engine_report(engine: str = "my_engine.Value", formula: str = "tanh(x0)"):
    from chainrule.autograd.engine_report import EngineReport, LeafGrads, Mismatch

    # their tanh rule is wrong: x0.grad 0.0 where ours is 1 - tanh(1)^2 = 0.42
    leaf = LeafGrads("x0", 1.0, theirs=0.0, ours=1 - math.tanh(1.0) ** 2)
    mismatch = Mismatch(formula, math.tanh(1.0), math.tanh(1.0), (leaf,), None,
                        "tanh's rule is wrong")
    return EngineReport(engine, ("tanh(a)",), (), 2, mismatch)


def test_engine_report_html_compares_yours_and_ours_and_marks_what_differs():
    report = failing_engine_report()
    reading = read_html(report._repr_html_())
    header, value, grad = reading.tables[0]
    assert value[:3] == ["value", number(math.tanh(1.0)), number(math.tanh(1.0))]  # 0.7616
    assert grad[:3] == ["x0.grad", "0.0", number(1 - math.tanh(1.0) ** 2)]  # 0.42
    assert reading.marked_rows == [grad]
    text = all_text(report._repr_html_())
    table_lines = ("yours", "value", "x0.grad")  # the text's table, shown as the table above
    for line in str(report).splitlines():
        if not line.strip().startswith(table_lines):
            assert line.strip() in text


def test_engine_report_html_of_a_pass_has_no_table():
    from chainrule.autograd.engine_report import EngineReport

    reading = read_html(EngineReport("micrograd.engine.Value", ("a + b",), (), 50, None)
                        ._repr_html_())
    assert reading.tables == [] and "passed" in "".join(reading.text)


def test_engine_report_html_escapes_the_engine_and_the_formula():
    reading = read_html(failing_engine_report(SCRIPT, SCRIPT)._repr_html_())
    assert "script" not in reading.tags and SCRIPT in "".join(reading.text)
