"""httpx without its command-line client, imported first by ``tui.api``.

httpx's package imports its own command-line client (``httpx._main``), which pulls in
click, rich.console and pygments whenever they are installed (uvicorn brings click,
Textual brings Rich): about 40 % of httpx's import time, on every start, for a command
iotflow never runs. A ``None`` entry in ``sys.modules`` makes that one import fail, and
httpx then defines a stub ``main()`` in its place. ``tui.api`` is the only way into httpx
(its ``auth`` and ``client`` modules import it), and it imports this module first.

httpcore asks ``import sniffio`` which async library runs, several times per request
(each lock and cancellation shield it sets up). Without sniffio installed (anyio no
longer needs it) every one of those imports searches the whole ``sys.path`` and fails:
about 45 µs each, some 150 a minute on an idle dashboard. Looked up once here, a missing
sniffio is recorded as missing, so those imports fail at once and httpcore takes asyncio,
as it does without sniffio. An installed sniffio is left alone (its import is cached).
"""

import sys
from importlib.util import find_spec

sys.modules.setdefault("httpx._main", None)
if "sniffio" not in sys.modules and find_spec("sniffio") is None:
    sys.modules["sniffio"] = None
