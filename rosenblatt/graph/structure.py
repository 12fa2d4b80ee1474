"""The shape of a neuron graph g = {N, E}: its nodes, checked, and grouped into levels.

A node's depth is 0 for an input and ``1 + max depth(j)`` over its edges j -> i otherwise, so
every edge goes from a lower level to a higher one and a level's nodes can all be computed at
once from the levels below it (lecture 004: "nodes that share the same input are grouped into
layers"). Within a level, nodes with the same activation sit side by side, so that each
activation is applied to one slice.

>>> shape = GraphShape.of([(1, 3), (2, 3), (3, 4), (1, 4)], inputs=[1, 2], outputs=[4],
...                       activations={3: "sigmoid", 4: "sigmoid"})
>>> [level.nodes for level in shape.levels]
[(3,), (4,)]
>>> shape.levels[1].blocks   # node 4 reads block 0 (the inputs) and block 1 (node 3)
(0, 1)
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from dataclasses import dataclass

from rosenblatt.base.checks import describe


@dataclass(frozen=True)
class Level:
    """One level: its nodes in order, their activation names as (name, start, stop) slices,
    the blocks (0 = inputs, k = level k) it reads, and where each of its edges sits in its
    kernel: ``{(j, i): (row, column)}``."""

    nodes: tuple
    groups: tuple
    blocks: tuple
    rows: int
    places: dict


@dataclass(frozen=True)
class GraphShape:
    """The checked graph: inputs, outputs, edges, every node's activation, and the levels."""

    inputs: tuple
    outputs: tuple
    edges: tuple
    activations: dict
    levels: tuple
    where: dict  # node -> (block, column)
    dangling: tuple

    @classmethod
    def of(cls, edges, inputs, outputs, activations, default="sigmoid") -> GraphShape:
        """Check the graph (each mistake is a ValueError or TypeError naming the argument)
        and group its nodes into levels; dangling hidden nodes are reported with a warning."""
        inputs = _node_list(inputs, "inputs")
        outputs = _node_list(outputs, "outputs")
        edges = _edge_list(edges)
        nodes = list(dict.fromkeys([*inputs, *(n for edge in edges for n in edge)]))
        known = set(nodes)
        for node in outputs:
            if node not in known:
                raise ValueError(f"outputs: node {node!r} is not in the graph (no edge names it)")
            if node in inputs:
                raise ValueError(f"outputs: node {node!r} is an input; an output must be computed")
        for j, i in edges:
            if i in inputs:
                raise ValueError(f"edges: edge ({j!r}, {i!r}) goes into the input node {i!r}; "
                                 "inputs take their values from outside")
        chosen = _activations(activations, known, set(inputs))
        parents = {node: [] for node in nodes}
        for j, i in edges:
            parents[i].append(j)
        depth = _depths(nodes, parents, set(inputs))
        reached = _reachable(inputs, edges)
        for node in outputs:
            if node not in reached:
                raise ValueError(f"outputs: node {node!r} cannot be reached from the inputs")
        for node in nodes:
            if node not in inputs and not parents[node]:
                raise ValueError(f"edges: node {node!r} has no incoming edge and is not an "
                                 "input; list it in inputs if it takes a value from outside")
        dangling = _dangling(nodes, edges, inputs, outputs, reached)
        if dangling:
            warnings.warn(f"graph: hidden node(s) {', '.join(map(repr, dangling))} do not lie on "
                          "a path from an input to an output; they are computed but change no "
                          "output", stacklevel=3)
        names = {node: chosen.get(node, default) for node in nodes if node not in inputs}
        levels, where = _levels(nodes, inputs, parents, depth, names)
        return cls(tuple(inputs), tuple(outputs), tuple(edges), names, tuple(levels), where,
                   tuple(dangling))

    @property
    def nodes(self) -> tuple:
        """Every node: the inputs, then level by level."""
        return (*self.inputs, *(n for level in self.levels for n in level.nodes))


def _node_list(nodes, name: str) -> list:
    if isinstance(nodes, (str, bytes)) or not hasattr(nodes, "__iter__"):
        raise TypeError(f"{name}: expected a list of node names, got {describe(nodes)}")
    nodes = list(nodes)
    if not nodes:
        raise ValueError(f"{name}: expected at least one node, got an empty list")
    for node in nodes:
        if not isinstance(node, Hashable):
            raise TypeError(f"{name}: node names must be hashable, got {describe(node)}")
    repeated = [n for k, n in enumerate(nodes) if n in nodes[:k]]
    if repeated:
        raise ValueError(f"{name}: node {repeated[0]!r} is listed twice")
    return nodes


def _edge_list(edges) -> list:
    if isinstance(edges, (str, bytes, dict)) or not hasattr(edges, "__iter__"):
        raise TypeError(f"edges: expected a list of (j, i) pairs, got {describe(edges)}")
    out, seen = [], set()
    for edge in edges:
        if not isinstance(edge, (tuple, list)) or len(edge) != 2:
            raise TypeError(f"edges: expected (j, i) pairs meaning j -> i, got {edge!r}")
        j, i = edge
        if not isinstance(j, Hashable) or not isinstance(i, Hashable):
            raise TypeError(f"edges: node names must be hashable, got {edge!r}")
        if (j, i) in seen:
            raise ValueError(f"edges: the edge ({j!r}, {i!r}) is listed twice")
        seen.add((j, i))
        out.append((j, i))
    return out


def _activations(activations, known: set, inputs: set) -> dict:
    if activations is None:
        return {}
    if not isinstance(activations, dict):
        raise TypeError(f"activations: expected a dict {{node: activation}}, got "
                        f"{describe(activations)}")
    for node in activations:
        if node not in known:
            raise ValueError(f"activations: node {node!r} is not in the graph; its nodes are "
                             f"{', '.join(map(repr, sorted(known, key=repr)))}")
        if node in inputs:
            raise ValueError(f"activations: node {node!r} is an input, which has no activation")
    return dict(activations)


def _depths(nodes, parents: dict, inputs: set) -> dict:
    """Each node's depth, iteratively; a cycle is a ValueError naming its nodes."""
    depth, state = {}, {}
    for start in nodes:
        stack = [start]
        while stack:
            node = stack[-1]
            if node in depth:
                stack.pop()
                continue
            state[node] = "open"
            waiting = [p for p in parents[node] if p not in depth]
            for p in waiting:
                if state.get(p) == "open":
                    cycle = stack[stack.index(p):]
                    raise ValueError(f"edges: the graph has a cycle through nodes "
                                     f"{' -> '.join(map(repr, [*cycle, p]))}")
            if waiting:
                stack.extend(waiting)
                continue
            stack.pop()
            state[node] = "done"
            depth[node] = 0 if node in inputs else 1 + max(
                (depth[p] for p in parents[node]), default=0)
    return depth


def _reachable(starts, edges) -> set:
    children: dict = {}
    for j, i in edges:
        children.setdefault(j, []).append(i)
    seen, stack = set(starts), list(starts)
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def _dangling(nodes, edges, inputs, outputs, reached) -> list:
    backward = _reachable(outputs, [(i, j) for j, i in edges])
    return [n for n in nodes if n not in inputs and n not in outputs
            and (n not in reached or n not in backward)]


def _levels(nodes, inputs, parents, depth, names):
    where = {node: (0, k) for k, node in enumerate(inputs)}
    widths = [len(inputs)]
    levels = []
    for d in range(1, max(depth.values()) + 1):
        members = [n for n in nodes if depth[n] == d]
        order = list(dict.fromkeys(names[n] for n in members))
        members.sort(key=lambda n: order.index(names[n]))
        groups, start = [], 0
        for name in order:
            count = sum(names[n] == name for n in members)
            groups.append((name, start, start + count))
            start += count
        blocks = tuple(sorted({where[p][0] for n in members for p in parents[n]}))
        offsets, rows = {}, 0
        for block in blocks:
            offsets[block] = rows
            rows += widths[block]
        places = {}
        for column, node in enumerate(members):
            for p in parents[node]:
                block, k = where[p]
                places[(p, node)] = (offsets[block] + k, column)
            where[node] = (d, column)
        widths.append(len(members))
        levels.append(Level(tuple(members), tuple(groups), blocks, rows, places))
    return levels, where
