"""The shared graph ordering used by Tensor, Value and the functional API."""

from rosenblatt.base.topology import topological_order


def test_every_node_comes_after_its_parents_once():
    edges = {"loss": ["h", "w"], "h": ["x", "w"], "w": [], "x": []}
    order = topological_order(["loss"], edges.__getitem__)
    assert sorted(order) == sorted(edges)  # each node once, shared 'w' included
    for node, parents in edges.items():
        assert all(order.index(p) < order.index(node) for p in parents)


def test_deep_chain_needs_no_recursion():
    n = 100_000
    order = topological_order([n], lambda k: [k - 1] if k else [])
    assert order == list(range(n + 1))
