"""What is computed from the data, for people to read: the grids (TISF, synoptic
table, peers), the briefs the figures read, the Annexe 7 table and its label, the
statistics, the clearing of names, the metrics document. Pure functions over the
models of :mod:`olapcli.core.model` and the briefs; nothing here reads files or prints.
They import the rest of :mod:`olapcli.core` and computing libraries (scipy), never
``io`` or above.
"""
