"""L28 (lecture 004): AND as one sigmoid unit, h(x) = g(-30 + 20 x1 + 20 x2).

The four rows give g(-30), g(-10), g(-10), g(10): below 1e-4 for the first three and above
0.9999 for the last.

Run: python examples/L28_sigmoid_and.py
"""

from rosenblatt.classic import gate


def main(argv=None):
    """Print the table; return the four outputs h(x) for 00, 01, 10, 11."""
    g = gate("and_sigmoid_L28")
    table = g.truth_table()
    print(f"h(x) = {g.formula}")
    print(table.format(output_name="h(x)"))
    return table.outputs.tolist()


if __name__ == "__main__":
    main()
