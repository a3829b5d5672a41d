"""Beside the stages: accuracy against gold annotations (the `evaluate` commands): the corpus gold, figures, metadata, measures and the real development set (dev, dev_scores)."""
