"""The benchmark suites still run and report every row (tiny sizes; nothing is timed here).

Speed itself is measured by ``make bench``, never asserted by a test.
"""

from __future__ import annotations

import random

import numpy as np
from chainrule.autograd.arrays import data_of, wrap
from chainrule.nn import MLP, SGD, linear_decay, train_step

from benchmarks import compiled, engine, floor, numpy_step, numpy_xor, stepper
from benchmarks.__main__ import in_fresh_process


def test_engine_suite_reports_every_row_for_chainrule():
    table = engine.rows(["--nodes", "300", "--depth", "300", "--repeats", "1",
                          "--op-repeats", "1000"])
    assert [row.title for row in table] == [
        "graph build+backward, 300 nodes (µs/node)", "  the same inside gc_paused() (µs/node)",
        "chain of 300 + backward (s)", "one op a + b (µs)", "memory (bytes/node)"]
    assert all(row.results["chainrule"] > 0 for row in table)


def test_moons_suite_trains_both_chainrule_engines_in_a_fresh_process():
    table = in_fresh_process(compiled.rows, ["--steps", "2"])
    seconds, accuracy = table
    assert seconds.title == "moons demo, 2 steps (s/step)"
    assert seconds.results["chainrule"] > 0 and seconds.results["chainrule compiled"] > 0
    # the two chainrule engines make the same predictions (the same steps, to 1e-9)
    assert accuracy.results["chainrule"] == accuracy.results["chainrule compiled"]


def test_the_table_prints_a_ratio_only_where_both_engines_have_a_number():
    table = [engine.Row("one op a + b (µs)", {"chainrule": 0.25, "micrograd": 1.0}),
             engine.Row("chain (s)", {"chainrule": 2.0, "micrograd": "RecursionError"})]
    lines = engine.format_table(table).splitlines()
    assert lines[2].split()[-2:] == ["4.0x", "-"]
    assert lines[3].split()[-3:] == ["RecursionError", "-", "-"]


def test_the_numpy_floor_takes_the_same_step_as_chainrule():
    # the floor is only a floor if it computes the same thing: one step from the same
    # weights lands on the same weights (hand-derived gradients vs backprop)
    for sizes, X, Y in floor.workloads().values():
        if sizes[0] > 16:
            continue  # the wide network: the same code, only slower on Values
        random.seed(floor.SEED)
        model = MLP(2, sizes)
        layers = numpy_step.layers_of(model)
        numpy_step.numpy_trainer(layers, X, Y)(0)
        optimizer = SGD(model.parameters(), lr=linear_decay(1.0, 0.1, 100))
        train_step(model, X.tolist(), Y, floor.margin_loss(model, Y), optimizer)
        for (W, b), (W_ours, b_ours) in zip(layers, numpy_step.layers_of(model), strict=True):
            np.testing.assert_allclose(W, W_ours, rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(b, b_ours, rtol=1e-9, atol=1e-12)


def test_the_floor_table_prints_each_engine_over_the_numpy_step():
    text = floor.format_race({"moons": {"numpy": 0.001, "compiled": 0.002, "chainrule": 0.1}})
    assert text.splitlines()[2].split()[-3:] == ["2.0x", "100.0x", "-"]


def test_numpy_xor_suite_times_the_three_ways_and_splits_the_object_array_epoch():
    table = numpy_xor.rows(["--epochs", "2", "--repeats", "1"])
    assert set(table[0].results) == set(numpy_xor.COLUMNS)
    assert all(seconds > 0 for seconds in table[0].results.values())
    assert [row.title for row in table[1:]] == [
        "  object arrays: forward (µs)", "  object arrays: backward (µs)",
        "  object arrays: update (µs)", "  nodes in one epoch's graph"]
    assert "arrays/NumPy" in numpy_xor.format_table(table)


def test_numpy_xor_object_array_epoch_takes_the_tutorials_step():
    floats, arrays = numpy_xor.initial(), {n: wrap(v, n) for n, v in numpy_xor.initial().items()}
    numpy_xor.float_epoch(floats)
    numpy_xor.array_epoch(arrays)
    for name, value in floats.items():
        np.testing.assert_allclose(data_of(arrays[name]), value, rtol=1e-12, atol=1e-15)


def test_the_stepper_suite_reports_time_and_size_for_every_graph(capsys):
    stepper.main(["--sizes", "3", "--timeout", "120"])
    rows = capsys.readouterr().out.splitlines()
    assert [row[:14].strip() for row in rows[1:4]] == ["product of 3", "sum of 3", "MLP(4, [8])"]
    assert all(row.count(" s") >= 3 and " MB" in row for row in rows[1:4])


def test_every_suite_prints_its_ratios_with_the_one_table_helper():
    import doctest

    from benchmarks import table
    assert doctest.testmod(table).failed == 0
    text = numpy_xor.format_table([engine.Row("epoch", {"NumPy floats": 2.0,
                                                        "chainrule MLP": 8.0})])
    assert text.splitlines()[2].split()[-3:] == ["-", "4.0x", "-"]
