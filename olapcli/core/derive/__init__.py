"""What is computed from the data, for people to read: the grids (TISF, synoptic
table, peers), the briefs the figures read, the Annexe 7 table and its label, the
statistics, the clearing of names. Pure functions over the models of
:mod:`olapcli.core.model`; nothing here reads files or prints.
"""
