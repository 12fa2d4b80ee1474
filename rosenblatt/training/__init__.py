"""Training: the loop of fit / evaluate / predict (batch, mini-batch and stochastic gradient
descent), its callbacks (the notes' stopping rules) and its progress lines.
"""

from rosenblatt.training.loop import evaluate, fit, loss_and_gradient, predict

__all__ = ["evaluate", "fit", "loss_and_gradient", "predict"]
