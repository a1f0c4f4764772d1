"""The yardstick: a minimal stock Textual app that does what iotflow's dashboard does first.

It fetches a token and the connection list with httpx and shows them in a stock
``DataTable``, polling every 5 s and updating only the cells that changed (``update_cell``),
as a competent developer would write it in an afternoon. The benchmarks run it beside
``iotflow`` in the same run, on the same simulator, so every goal is a ratio that the
machine's speed and load cancel out of.

Run: ``python tests/benchmarks/stock_app.py BASE_URL TOKEN_URL {iot-flow|dx-core}``
(client ``demo`` / ``demo-secret``, the simulator's default account).
"""

from __future__ import annotations

import sys

import httpx
from textual.app import App, ComposeResult
from textual.widgets import DataTable

DX_PAGE_SIZE = 100
COLUMNS = ("name", "state", "connector", "startup")


class StockDashboard(App[None]):
    def __init__(self, base_url: str, token_url: str, flavour: str) -> None:
        super().__init__()
        self.base_url, self.token_url, self.flavour = base_url, token_url, flavour
        self.client = httpx.AsyncClient(timeout=10)
        self.token = ""
        self.rows: dict[str, tuple[str, ...]] = {}

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row")

    async def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for column in COLUMNS:
            table.add_column(column, key=column)
        self.run_worker(self.poll(), exclusive=True)
        self.set_interval(5, lambda: self.run_worker(self.poll(), exclusive=True))

    async def fetch(self) -> list[dict]:
        if not self.token:
            answer = await self.client.post(
                self.token_url,
                data={
                    "grant_type": "client_credentials",
                    "client_id": "demo",
                    "client_secret": "demo-secret",
                },
            )
            self.token = answer.json()["access_token"]
        headers = {"Authorization": f"Bearer {self.token}"}
        if self.flavour == "iot-flow":
            answer = await self.client.get(f"{self.base_url}/connections", headers=headers)
            return answer.json()
        items: list[dict] = []
        index = 1
        while True:
            answer = await self.client.get(
                f"{self.base_url}/connections",
                params={"pageIndex": index, "pageSize": DX_PAGE_SIZE},
                headers=headers,
            )
            page = answer.json()
            items += page
            if len(page) < DX_PAGE_SIZE:
                return items
            index += 1

    async def poll(self) -> None:
        table = self.query_one(DataTable)
        for item in await self.fetch():
            row = tuple(str(item.get(key) or "") for key in ("name", "state", "connectorId"))
            row += (str(item.get("startupTime") or ""),)
            key = str(item["id"])
            old = self.rows.get(key)
            if old is None:
                table.add_row(*row, key=key)
            elif old != row:
                for column, before, after in zip(COLUMNS, old, row, strict=True):
                    if before != after:
                        table.update_cell(key, column, after)
            self.rows[key] = row


if __name__ == "__main__":
    StockDashboard(*sys.argv[1:4]).run()
