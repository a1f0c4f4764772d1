"""An embedded ThingPark X IoT Flow simulator: a real HTTP service for demos and tests.

Must not import Textual.
"""

from .catalogue import CatalogueError, load_catalogue
from .clock import Clock, ManualClock, SystemClock
from .examples import example_configuration
from .faults import Faults
from .server import SimulatorServer
from .simulator import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Simulator
from .states import ALL_STATES

__all__ = [
    "ALL_STATES",
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "CatalogueError",
    "Clock",
    "Faults",
    "ManualClock",
    "Simulator",
    "SimulatorServer",
    "SystemClock",
    "example_configuration",
    "load_catalogue",
]
