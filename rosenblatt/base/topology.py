"""Ordering a computational graph: every node after all of the nodes it is computed from.

One iterative depth-first walk serves the autodiff ``Tensor``, the scalar ``Value`` and the
functional API's symbolic graph, so graphs of any depth work without a recursion limit.
"""

from __future__ import annotations


def topological_order(roots, parents) -> list:
    """Nodes reachable from ``roots``, each listed after every node in ``parents(node)``.

    Args:
        roots: the nodes to start from (e.g. a loss, or a model's outputs).
        parents: ``parents(node)`` -> the nodes it is computed from.

    >>> edges = {"y": ["a", "b"], "a": ["x"], "b": ["x"], "x": []}
    >>> topological_order(["y"], edges.__getitem__)
    ['x', 'b', 'a', 'y']
    """
    order, visited = [], set()
    stack = [(node, False) for node in roots]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        stack.extend((p, False) for p in parents(node) if id(p) not in visited)
    return order
