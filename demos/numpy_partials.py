"""A tutorial's 2-2-1 network with every partial derivative written out, checked one by one.

The tutorial: three sigmoid neurons h1, h2 (hidden) and o1 (output), six weights w1..w6
and three biases b1..b3, squared error on one example at a time, and the chain rule
spelled out by hand: dL/dw1 = d_L_d_ypred * d_ypred_d_h1 * d_h1_d_w1, and so on.
``check_backprop`` checks the nine products on each example's loss, then each factor on
its own (a partial of y_pred, h1 or h2), so a wrong factor is found by name. To show
it, the last part plants a classic slip: d_h1_d_w2 written with x0 instead of x1.

Run: ``.venv/bin/python demos/numpy_partials.py``.
"""

from __future__ import annotations

import numpy as np
from chainrule.autograd.handcheck import BackpropReport, check_backprop

DATA = np.array([[-1.0, -0.4], [1.5, 0.8], [0.9, 0.3], [-1.2, -1.0]])
LABELS = np.array([1.0, 0.0, 0.0, 1.0])
WEIGHTS = {"w1": 0.4, "w2": -0.7, "w3": 1.1, "w4": 0.3, "w5": -0.9, "w6": 0.6,
           "b1": 0.1, "b2": -0.2, "b3": 0.05}


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def deriv_sigmoid(x):
    """The slope of the sigmoid at x (the tutorial takes it of the sum, not the output)."""
    s = sigmoid(x)
    return s * (1 - s)


def feedforward(x, w1, w2, w3, w4, w5, w6, b1, b2, b3):
    """The sums and outputs of the three neurons, for numbers or Values."""
    sum_h1 = w1 * x[0] + w2 * x[1] + b1
    sum_h2 = w3 * x[0] + w4 * x[1] + b2
    h1, h2 = sigmoid(sum_h1), sigmoid(sum_h2)
    sum_o1 = w5 * h1 + w6 * h2 + b3
    return {"sum_h1": sum_h1, "sum_h2": sum_h2, "h1": h1, "h2": h2, "sum_o1": sum_o1,
            "y_pred": sigmoid(sum_o1)}


def hand_partials(x, y_true, p, slip: bool = False) -> dict[str, float]:
    """Every partial, by hand; ``slip`` writes d_h1_d_w2 with x[0], the planted mistake."""
    f = feedforward(x, **p)
    o1, s_h1, s_h2 = deriv_sigmoid(f["sum_o1"]), deriv_sigmoid(f["sum_h1"]), deriv_sigmoid(
        f["sum_h2"])
    return {"d_L_d_ypred": -2 * (y_true - f["y_pred"]),
            "d_ypred_d_w5": f["h1"] * o1, "d_ypred_d_w6": f["h2"] * o1, "d_ypred_d_b3": o1,
            "d_ypred_d_h1": p["w5"] * o1, "d_ypred_d_h2": p["w6"] * o1,
            "d_h1_d_w1": x[0] * s_h1, "d_h1_d_w2": (x[0] if slip else x[1]) * s_h1,
            "d_h1_d_b1": s_h1,
            "d_h2_d_w3": x[0] * s_h2, "d_h2_d_w4": x[1] * s_h2, "d_h2_d_b2": s_h2}


def chained(d: dict[str, float]) -> dict[str, float]:
    """dL/d(each weight): the tutorial's products of partials."""
    via_h1 = d["d_L_d_ypred"] * d["d_ypred_d_h1"]
    via_h2 = d["d_L_d_ypred"] * d["d_ypred_d_h2"]
    return {"w1": via_h1 * d["d_h1_d_w1"], "w2": via_h1 * d["d_h1_d_w2"],
            "b1": via_h1 * d["d_h1_d_b1"], "w3": via_h2 * d["d_h2_d_w3"],
            "w4": via_h2 * d["d_h2_d_w4"], "b2": via_h2 * d["d_h2_d_b2"],
            "w5": d["d_L_d_ypred"] * d["d_ypred_d_w5"],
            "w6": d["d_L_d_ypred"] * d["d_ypred_d_w6"], "b3": d["d_L_d_ypred"] * d["d_ypred_d_b3"]}


def check_example(k: int, slip: bool = False) -> BackpropReport:
    """The nine products dL/dw on example k's own loss (y_true - y_pred)^2."""
    x, y_true = DATA[k], LABELS[k]
    example_loss = lambda **p: (y_true - feedforward(x, **p)["y_pred"]) ** 2
    return check_backprop(example_loss, WEIGHTS, chained(hand_partials(x, y_true, WEIGHTS,
                                                                       slip)))


def check_factors(k: int, slip: bool = False) -> list[BackpropReport]:
    """Each factor on its own: a partial of L, of y_pred, of h1 and of h2."""
    x, y_true, p = DATA[k], LABELS[k], WEIGHTS
    d, f = hand_partials(x, y_true, p, slip), feedforward(x, **p)
    output = {"w5": p["w5"], "w6": p["w6"], "b3": p["b3"], "h1": f["h1"], "h2": f["h2"]}
    return [
        check_backprop(lambda y_pred: (y_true - y_pred) ** 2, {"y_pred": f["y_pred"]},
                       {"y_pred": d["d_L_d_ypred"]}),
        check_backprop(lambda w5, w6, b3, h1, h2: sigmoid(w5 * h1 + w6 * h2 + b3), output,
                       {n: d[f"d_ypred_d_{n}"] for n in output}, of="y_pred"),
        check_backprop(lambda w1, w2, b1: sigmoid(w1 * x[0] + w2 * x[1] + b1),
                       {n: p[n] for n in ("w1", "w2", "b1")},
                       {n: d[f"d_h1_d_{n}"] for n in ("w1", "w2", "b1")}, of="h1"),
        check_backprop(lambda w3, w4, b2: sigmoid(w3 * x[0] + w4 * x[1] + b2),
                       {n: p[n] for n in ("w3", "w4", "b2")},
                       {n: d[f"d_h2_d_{n}"] for n in ("w3", "w4", "b2")}, of="h2"),
    ]


def main(quick: bool = False) -> dict[str, object]:
    """Check the partials on every example, factor by factor, then catch the planted slip.

    ``quick`` changes nothing here (the demo takes well under a second).
    """
    print("== The nine products dL/dw, on each example's own loss ==")
    for k in range(len(DATA)):
        report = check_example(k)
        print(f"example {k}: {sum(r.ok for r in report.rows)} of {len(report.rows)} agree")
    print("\n== Each partial on its own, example 0 ==")
    for report in check_factors(0):
        names = ", ".join(f"d_{report.of}_d_{row.name}" for row in report.rows)
        print(f"{names}: {sum(r.ok for r in report.rows)} of {len(report.rows)} agree")
    print("\n== The same, with d_h1_d_w2 = x[0] * deriv_sigmoid(sum_h1) (should be x[1]) ==")
    slipped = check_example(0, slip=True)
    print(slipped)
    print()
    culprit = [r for r in check_factors(0, slip=True) if not r.ok]
    for report in culprit:
        print(report)
    return {"all_agree": all(check_example(k).ok for k in range(len(DATA))),
            "slip_rows": [row.name for row in slipped.rows if not row.ok],
            "slip_verdicts": [row.verdict for r in culprit for row in r.rows if not row.ok]}


if __name__ == "__main__":
    main()
