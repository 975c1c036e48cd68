"""The jury's arithmetic, pure Python (no Django): who reviews which entry, how rubric scores
become one fair score per entry, the final order with its published tie rule, the pairwise
Bradley-Terry option, inter-rater agreement (ICC), and the published inputs from which anyone can
recompute the ranking. The method in plain Persian: templates/ideas/jury/method_fa.html; the
decisions: docs/adr/0023-jury-assignment-normalization-and-ranking.md.

Layers (import-linter): ``inputs`` over ``assign | ranking | agreement`` over ``normalize`` over
``types``.
"""
