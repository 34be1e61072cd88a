"""The simulated users of `make load` (bench/load.py): signed in, opening pages and updating their own action."""

import json
import os
import random
import re

from locust import HttpUser, between, task

SESSIONS = json.loads(open(os.environ["LOAD_SESSIONS"], encoding="utf-8").read())  # noqa: SIM115
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
STATUSES = ("open", "in_progress")


class TableMember(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        self.me = SESSIONS.pop()
        self.client.cookies.set("sessionid", self.me["session"])

    @task(4)
    def overview(self):
        self.client.get("/", name="overview")

    @task(3)
    def municipality(self):
        code = random.choice([self.me["municipality"], "GM0193", "GM0150", "GM0166"])
        self.client.get(f"/gemeente/{code}/", name="municipality page")

    @task(1)
    def export(self):
        self.client.get("/export/huisvesting.csv", name="export csv")

    @task(1)
    def edit(self):
        path = f"/regietafel/acties/{self.me['action']}/"
        page = self.client.get(path, name="action page").text
        token, version = CSRF.search(page).group(1), VERSION.search(page).group(1)
        status = random.choice(STATUSES)
        with self.client.post(
            path,
            data={**self.me["form"], "csrfmiddlewaretoken": token, "version": version, "status": status},
            headers={"Referer": f"{self.host}{path}"},
            name="action edit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"edit not saved: HTTP {response.status_code}")
