"""Probability in FinStoch: determinism, conditionals, Bayesian inversion, supports, independence, statistics.
"""
