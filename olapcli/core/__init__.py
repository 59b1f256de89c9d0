"""The method, pure: the file format (model), its rules, the checks of ``olap validate``
and what is derived from the data (grids, briefs, figures, statistics, redaction).

Nothing here touches the disk, Git or the network, and nothing here prints. Modules
here import only each other, :mod:`olapcli.errors`, :mod:`olapcli.i18n` and libraries
that compute (pydantic, scipy): never ``olapcli.io``, ``render``, ``app`` or ``cli``.
"""
