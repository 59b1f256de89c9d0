"""Git's front door: ``python -m olapcli.mergedriver %O %A %B %P`` (see olap setup).

Git starts one process per file to merge, so this imports only the merge itself
(:mod:`olapcli.app.merge`): neither the command line nor pydantic.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    """Merge, say why a learner file was merged as text, exit 0 (merged) or 1 (conflict)."""
    if len(argv) != 4:
        print("usage: python -m olapcli.mergedriver BASE OURS THEIRS PATH", file=sys.stderr)
        return 2
    from olapcli.app.merge import merge
    from olapcli.errors import UserError

    try:
        code, said = merge(Path(argv[0]), Path(argv[1]), Path(argv[2]), argv[3])
    except UserError as exc:  # the merged file cannot be written (disk full…): a conflict
        print(exc.message, file=sys.stderr)
        return 1
    if said:
        print(said, file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
