"""Broken on purpose: backward() walks depth first from the root instead of in reverse
topological order, so a node can pass its grad on before all its users have added to it."""

import math


class Value:
    def __init__(self, data, _children=(), _op=""):
        self.data, self.grad = data, 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)  # a tuple: the same order on every run

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t ** 2) * out.grad
        out._backward = _backward
        return out

    def backward(self):
        # Depth first from the root, each node's _backward as soon as it is reached: a
        # node used twice passes its grad on before the second use has added to it.
        self.grad = 1.0
        stack, visited = [self], set()
        while stack:
            node = stack.pop()
            if node not in visited:
                visited.add(node)
                node._backward()
                stack.extend(node._prev)

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other
