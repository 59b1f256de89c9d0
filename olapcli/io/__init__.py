"""The I/O layer: the only code that touches the disk, Git or the network.

Modules here may import :mod:`olapcli.core` (types, the model), :mod:`olapcli.errors`
and :mod:`olapcli.i18n`; nothing above them (``app``, ``render``, ``cli``).
"""
