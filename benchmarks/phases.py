"""Where a compiled step's time goes, what compiling costs, and the tape's memory.

One compiled step of the moons workload (``benchmarks.floor``) is split the way
``chainrule.nn.compiled.compiled_gradients`` runs it: the tape's forward over the batch,
the loss's own tape (``chainrule.nn.compiled_loss``: the batch's outputs in, the loss and
d loss / d output out, the penalty's share on the parameters), the model tape's backward,
and the optimizer's update.
Each phase: best of 7 blocks of 20, µs.
"""

from __future__ import annotations

import gc
import random
import time
import tracemalloc

import numpy as np
from chainrule.nn import MLP, SGD, linear_decay, train_step
from chainrule.nn.compiled import CompiledTraining, compiled_train_step, model_tape
from chainrule.nn.compiled_loss import loss_gradients

from benchmarks.floor import SEED, margin_loss, workloads
from benchmarks.numpy_step import layers_of, numpy_trainer


def _best_us(run, blocks: int = 7, repeats: int = 20) -> float:
    best = float("inf")
    for _ in range(blocks):
        gc.collect()
        start = time.perf_counter()
        for _ in range(repeats):
            run()
        best = min(best, (time.perf_counter() - start) / repeats * 1e6)
    return best


def phase_times() -> dict[str, float]:
    """µs per phase of one compiled step of MLP(2, [16, 16, 1]) on 100 moons points."""
    sizes, X, Y = workloads()["moons MLP(2, [16, 16, 1]), 100 points"]
    random.seed(SEED)
    model = MLP(2, sizes)
    optimizer = SGD(model.parameters(), lr=linear_decay(1.0, 0.1, 100))
    loss = margin_loss(model, Y)
    training = CompiledTraining(model, optimizer, X)
    training.step(X, Y, loss)
    training.step(X, Y, loss)  # the second step traces the loss's tape
    tape, parameters = training.tape, training.parameters
    where = parameters.positions(tape.parameters)
    outputs = tape.run(X.T, parameters.data[where])
    upstream = loss_gradients(model, loss, outputs, Y, parameters)[1]
    data, grad = parameters.data.copy(), parameters.grad.copy()
    numpy_step = numpy_trainer(layers_of(model), X.copy(), Y)
    phases = {"tape forward": _best_us(lambda: tape.run(X.T, parameters.data[where])),
              "loss tape forward + backward": _best_us(
                  lambda: loss_gradients(model, loss, outputs, Y, parameters)),
              "tape backward": _best_us(lambda: tape.gradients(upstream)),
              "optimizer update": _best_us(lambda: optimizer.update(data, grad))}
    step = _best_us(lambda: training.step(X, Y, loss))
    phases["the rest (gathers, glue)"] = max(step - sum(phases.values()), 0.0)
    phases["the whole NumPy step (floor)"] = _best_us(lambda: numpy_step(50))
    phases["writing the parameters back to the Values"] = _best_us(training.write)
    rows = X.tolist()
    compiled_train_step(model, rows, Y, loss, optimizer)
    phases["compiled_train_step (reads, checks, writes)"] = _best_us(
        lambda: compiled_train_step(model, rows, Y, loss, optimizer))
    return phases


def compile_cost() -> tuple[float, float, int, float, float]:
    """ms to trace + group MLP(2, [16, 16, 1]), ms per plain step, nodes, bytes per node.

    Memory: the traced tape, groups included (tracemalloc's peak while compiling), per
    node; and the values and gradients a forward + backward holds, per node and example.
    """
    sizes, X, Y = workloads()["moons MLP(2, [16, 16, 1]), 100 points"]
    rows = X.tolist()
    random.seed(SEED)
    models = [MLP(2, sizes) for _ in range(4)]
    times = []
    for model in models[:3]:
        start = time.perf_counter()
        model_tape(model, rows)
        times.append(time.perf_counter() - start)
    model = models[3]
    optimizer = SGD(model.parameters(), lr=0.1)
    start = time.perf_counter()
    train_step(model, rows, Y, margin_loss(model, Y), optimizer)
    plain = time.perf_counter() - start
    tracemalloc.start()
    random.seed(SEED)
    fresh = MLP(2, sizes)
    before = tracemalloc.get_traced_memory()[0]
    tape = model_tape(fresh, rows)
    kept = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    per_example = 2 * np.dtype(float).itemsize * tape._tape.n_slots / len(tape)
    return min(times) * 1e3, plain * 1e3, len(tape), kept / len(tape), per_example


def report() -> str:
    """The phases, the compile cost and the memory, as text."""
    phases = phase_times()
    floor = phases.pop("the whole NumPy step (floor)")
    write = phases.pop("writing the parameters back to the Values")
    per_call = phases.pop("compiled_train_step (reads, checks, writes)")
    total = sum(phases.values())
    lines = ["\none compiled step of moons MLP(2, [16, 16, 1]), by phase (µs, best of 7 x 20)"]
    lines += [f"  {name:<34}{us:>9.0f}  {us / total:>5.0%}" for name, us in phases.items()]
    lines.append(f"  {'sum':<34}{total:>9.0f}  = {total / floor:.1f}x the NumPy step "
                 f"({floor:.0f} µs)")
    lines.append(f"  writing the numbers and gradients back to the Values: {write:.0f} µs "
                 "(fit: once per epoch)")
    lines.append(f"  compiled_train_step, which also reads the Values, checks the model's "
                 f"structure and writes back every step: {per_call:.0f} µs")
    compile_ms, plain_ms, nodes, kept, per_example = compile_cost()
    lines.append(f"\ncompile (trace twice + group) MLP(2, [16, 16, 1]): {compile_ms:.1f} ms = "
                 f"{compile_ms / plain_ms:.2f} x one plain training step ({plain_ms:.0f} ms)")
    lines.append(f"tape memory: {kept:.0f} bytes per node ({nodes} nodes, groups included) "
                 f"+ {per_example:.0f} bytes per node per example (values and gradients)")
    return "\n".join(lines)
