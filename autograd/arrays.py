"""NumPy arrays of Values: the tutorials' matrix code, unchanged, building a chainrule graph.

NumPy runs on arrays of ``dtype=object`` element by element, calling each element's
own operators and methods: ``np.dot``, ``@``, ``np.exp``, ``np.tanh``, ``np.sum``, ``.T``
and broadcasting all work on an array of Values, and so record a graph. ``wrap`` turns a
float array into such an array of labelled leaves; ``data_of`` and ``grad_of`` read the
numbers back out as float arrays.

>>> import numpy as np
>>> W = wrap(np.array([[0.5, -1.0]]), "W")          # shape (1, 2): leaves W[0,0], W[0,1]
>>> x = np.array([[2.0], [3.0]])
>>> out = np.sum(np.tanh(W @ x))                    # tanh(0.5*2 - 1*3) = tanh(-2)
>>> round(out.data, 4)
-0.964
>>> out.backward()
>>> grad_of(W).round(4)                             # (1 - tanh(-2)^2) * x.T
array([[0.1413, 0.212 ]])

NumPy functions that need a method a Value does not have (``np.logaddexp``, ``np.std``,
``np.log1p``, ...) raise a TypeError; ``UNSUPPORTED`` lists them with what to write instead.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from chainrule.autograd.numbers import as_real
from chainrule.autograd.value import Value

# NumPy functions that work on arrays of Values, gradients included. (Tested, each one,
# against float NumPy and finite differences: tests/autograd/test_arrays.py.)
SUPPORTED: tuple[str, ...] = (
    "np.dot", "@", "np.outer", "np.einsum", "np.sum", "np.mean", "np.exp", "np.log",
    "np.sqrt", "np.square", "**", "np.tanh", "np.sin", "np.cos", "np.abs", "np.maximum",
    "np.minimum", "np.clip", "np.where", ".reshape", ".T", "np.transpose", "broadcasting",
)

# What arrays of Values cannot do, and what to write instead. (Tested: each one really
# raises, and each alternative really works.)
UNSUPPORTED: dict[str, str] = {
    "np.logaddexp(a, b)": "np.maximum(a, b) + np.log(1 + np.exp(-abs(a - b)))",
    "np.log1p(x)": "np.log(1 + x)",
    "np.expm1(x)": "np.exp(x) - 1",
    "np.exp2(x)": "2 ** x",
    "np.log2(x)": "np.log(x) / np.log(2)",
    "np.std(x)": "np.sqrt(np.mean((x - np.mean(x)) ** 2))",
    "np.var(x)": "np.mean((x - np.mean(x)) ** 2)",
    "np.fabs(x)": "np.abs(x)",
    "np.heaviside(x, 0)": "(x > 0) * 1.0, a constant: no gradient flows through a step",
}


def wrap(array: object, name: str) -> np.ndarray | Value:
    """A float array as an object array of leaf Values labelled ``name[i,j]``.

    A number (or a 0-d array) becomes one Value labelled ``name``; the labels are what
    ``explain``, ``why`` and ``draw_graph`` show. The input is copied, never changed.

    >>> W1 = wrap(np.zeros((2, 3)), "W1")
    >>> W1.shape, W1.dtype, W1[0, 2].label
    ((2, 3), dtype('O'), 'W1[0,2]')
    >>> wrap(0.5, "w1")
    Value(data=0.5, grad=0.0, label='w1')
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"wrap needs a non-empty str name such as 'W1', got {name!r}.")
    numbers = as_float_array(array, f"wrap({name!r})")
    if numbers.ndim == 0:
        return Value(float(numbers), name)
    out = np.empty(numbers.shape, dtype=object)
    for index in np.ndindex(numbers.shape):
        out[index] = Value(float(numbers[index]), f"{name}[{','.join(map(str, index))}]")
    return out


def data_of(values: object) -> np.ndarray:
    """The ``.data`` of every entry, as a float array; plain numbers pass through.

    An entry may be a plain number where NumPy picked a constant (``np.maximum(0, x)``).

    >>> a = wrap(np.array([1.0, -2.0]), "a")
    >>> data_of(np.maximum(a, 0))
    array([1., 0.])
    """
    return _read(values, "data")


def grad_of(values: object) -> np.ndarray:
    """The ``.grad`` of every entry, as a float array (0 for plain numbers).

    >>> a = wrap(np.array([1.0, -2.0]), "a")
    >>> np.sum(a * a).backward()
    >>> grad_of(a)                                   # d(sum a²)/da = 2a
    array([ 2., -4.])
    """
    return _read(values, "grad")


def zero_grad(*arrays: object) -> None:
    """Set ``.grad`` of every Value in the arrays to 0 (leaves accumulate otherwise).

    >>> a = wrap(np.array([3.0]), "a")
    >>> np.sum(a * 2).backward(); np.sum(a * 2).backward()
    >>> grad_of(a)                                   # two passes added up
    array([4.])
    >>> zero_grad(a); grad_of(a)
    array([0.])
    """
    for entry in _entries(arrays):
        if isinstance(entry, Value):
            entry.grad = 0.0


def as_scalar(result: object, who: str) -> Value:
    """The one Value a loss function returned (a Value, or an array holding exactly one).

    >>> a = wrap(np.array([[2.0]]), "a")
    >>> as_scalar(a * 3, "loss").data
    6.0
    """
    if isinstance(result, np.ndarray) and result.size == 1:
        result = result.reshape(()).item()
    if isinstance(result, Value):
        return result
    shape = f"an array of shape {result.shape}" if isinstance(result, np.ndarray) else (
        f"{type(result).__name__} {result!r}")
    raise TypeError(
        f"{who} must return one Value (a scalar loss), got {shape}. Reduce it with "
        "np.mean(...) or np.sum(...); if it is a plain number, the loss does not use the "
        "wrapped parameters (compute it from the arrays it was given).")


def _read(values: object, field: str) -> np.ndarray:
    if isinstance(values, Value):
        return np.array(getattr(values, field))
    array = np.asarray(values, dtype=object)
    out = np.empty(array.shape, dtype=float)
    for index in np.ndindex(array.shape):
        entry = array[index]
        number = getattr(entry, field) if isinstance(entry, Value) else (
            0.0 if field == "grad" else as_real(entry, "data_of"))
        out[index] = number.data if isinstance(number, Value) else number  # create_graph
    return out


def _entries(arrays: Iterable[object]) -> Iterable[object]:
    for array in arrays:
        if isinstance(array, Value):
            yield array
        else:
            yield from np.asarray(array, dtype=object).flat


def as_float_array(array: object, who: str) -> np.ndarray:
    """``array`` as a finite float ndarray, or a TypeError/ValueError that says why not.

    >>> as_float_array([[1, 2]], "W1")
    array([[1., 2.]])
    >>> as_float_array([1.0, float("nan")], "W1")
    Traceback (most recent call last):
    ...
    ValueError: W1 needs finite numbers, got NaN/inf at [1]; replace them first.
    """
    try:
        numbers = np.asarray(array, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{who} needs numbers (a float array, a list of lists or a number), "
                        f"got {type(array).__name__} {array!r:.80}.") from None
    if np.asarray(array).dtype == bool:
        raise TypeError(f"{who} needs numbers, got a bool array; use .astype(float).")
    if not np.all(np.isfinite(numbers)):
        raise ValueError(f"{who} needs finite numbers, got NaN/inf at "
                         f"{np.argwhere(~np.isfinite(numbers))[0].tolist()}; replace them first.")
    return numbers
