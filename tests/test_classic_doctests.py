"""The examples in the docstrings of rosenblatt.classic run and print what they claim."""

import doctest
import importlib

import pytest

MODULES = ["_common", "interval", "linear", "logic", "neurons", "perceptron"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"rosenblatt.classic.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
