"""L19 (lecture 002): 4 inputs, 3 hidden neurons, 1 output: 15 + 4 = 19 learnable parameters.

Each layer has (inputs + 1) * units parameters: 3 * (4 + 1) = 15 and 1 * (3 + 1) = 4.

Run: python examples/L19_parameter_count.py
"""

from rosenblatt.layers import Dense

from rosenblatt import Sequential


def main(argv=None):
    """Print the summary; return ``{'count_params': int, 'summary': str}``."""
    model = Sequential(
        [Dense(3, activation="sigmoid", input_dim=4), Dense(1, activation="sigmoid")]
    )
    summary = model.summary()
    return {"count_params": model.count_params(), "summary": summary}


if __name__ == "__main__":
    main()
