"""What ``olap validate`` checks: one function per rule, in a named, ordered registry.

Errors are facts that make the data wrong (a reference to nothing, a date order that
cannot be); fidelity lints (SPEC §4) are warnings by default, errors with
``--strict``: they say where the data shows the method distorted. One module per
family (:mod:`.identity`, :mod:`.references`, :mod:`.dates`, :mod:`.fidelity`), the
registry in :mod:`.registry`, what they share in :mod:`.base`, what learner files are
checked against (the cohort's facts) in :mod:`.facts`. Checks read the data only (no
disk: the loader gathers what they need to know of files); they import the rest of
:mod:`olapcli.core`, never ``io`` or above.
"""
