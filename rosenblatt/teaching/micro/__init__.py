"""A scalar reverse-mode autodiff engine (``Value``) and its tiny MLP (``nn``), for teaching.

>>> from rosenblatt.micro import Value
>>> a = Value(3.0)
>>> (a * a).backward()
>>> (a * a).backward()     # gradients add up until zero_grad
>>> a.grad
12.0
"""

from rosenblatt.teaching.micro import nn
from rosenblatt.teaching.micro.engine import Value, zero_grad

__all__ = ["Value", "nn", "zero_grad"]
