"""httpx without its command-line client, imported first by ``tui.api``.

httpx's package imports its own command-line client (``httpx._main``), which pulls in
click, rich.console and pygments whenever they are installed (uvicorn brings click,
Textual brings Rich): about 40 % of httpx's import time, on every start, for a command
iotflow never runs. A ``None`` entry in ``sys.modules`` makes that one import fail, and
httpx then defines a stub ``main()`` in its place. ``tui.api`` is the only way into httpx
(its ``auth`` and ``client`` modules import it), and it imports this module first.
"""

import sys

sys.modules.setdefault("httpx._main", None)
