"""What one simulated staff member does in bench/load.py, and the run that reports the figures.

Imported only by bench/load.py after the service is up: importing Locust patches the standard
library for gevent.
"""
from __future__ import annotations

import itertools
import random
import re
import statistics

import gevent
from locust import HttpUser, between, events, task
from locust.clients import HttpSession
from locust.env import Environment

from tests.signing.drawing import signature_post

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
LINK = re.compile(r'/s/([A-Z0-9]{8})"')
DOC = re.compile(r"/archive/([0-9a-f]{32})$")
SESSION = re.compile(r"/signing/([^/?#]+)$")
ISSUING = ("issue: web form", "issue: API")
FOLD = str.maketrans("ąćęłńóśźż", "acelnoszz")
STROKE = signature_post()


def csrf(html: str) -> str:
    """The CSRF token of the first form on a page (Flask-WTF: one per session, reusable)."""
    match = CSRF.search(html)
    if not match:
        raise ValueError("no csrf_token on the page")
    return match.group(1) or match.group(2)


class Staff(HttpUser):
    """An assistant: logs in through the form, then issues for their families, looks up, searches,
    reads their families' files and has documents signed."""

    network_timeout = 120.0
    connection_timeout = 10.0
    accounts: list[dict] = []
    data: dict = {}
    pause: tuple[float, float] = (2.0, 6.0)

    def on_start(self) -> None:
        self.account = self.accounts.pop()
        self.families: list[dict] = self.account["families"]  # assigned to this assistant by the seed
        self.docs: list[str] = []       # issued by this person, newest last
        self.unsigned: list[str] = []   # family consents nobody has started signing yet
        self.case_signs: list[str] = []
        for _attempt in range(3):  # a person whose login failed tries again (each failure counts)
            form = self.client.get("/login", name="page: login").text
            with self.client.post("/login", name="login", allow_redirects=False, catch_response=True, data={
                    "csrf_token": csrf(form), "login": self.account["login"],
                    "password": self.account["password"]}) as answer:
                if answer.status_code == 302:
                    return
                answer.failure(f"HTTP {answer.status_code}")
            gevent.sleep(random.uniform(*self.pause))

    # --- reading ---------------------------------------------------------------------------------

    @task(3)
    def start_page(self) -> None:
        self.client.get("/", name="page: start")

    @task(3)
    def document_page(self) -> None:
        if not self.docs:
            return self.issue_web()
        doc = random.choice(self.docs[-20:])
        self.client.get(f"/archive/{doc}", name="page: document")
        if random.random() < 0.3:
            self.client.get(f"/archive/{doc}/pdf", name="download: PDF")

    @task(3)
    def archive_search(self) -> None:
        query = random.choice([{}, {"type": random.choice(self.slugs)},
                               {"case": self.case_signs[-1][:12] if self.case_signs else "MOPS"}])
        self.client.get("/archive", params=query, name="page: archive search")

    @task(1)
    def api_document(self) -> None:
        if self.docs:
            self.client.get(f"/api/documents/{random.choice(self.docs)}", name="API: document",
                            headers=self.bearer)

    @task(1)
    def api_family(self) -> None:
        family = random.choice(self.families)
        self.client.get(f"/api/families/{family['id']}", name="API: family file", headers=self.bearer)

    @task(1)
    def api_family_search(self) -> None:
        # a surname as typed in a hurry: lower case, without Polish letters
        surname = random.choice(self.families)["name"].split()[-1].lower().translate(FOLD)
        self.client.get("/api/families", params={"q": surname}, name="API: family search", headers=self.bearer)

    # --- issuing ---------------------------------------------------------------------------------

    @task(2)
    def issue_web(self) -> None:
        family = random.choice(self.families)
        slug = family["slug"]
        page = self.client.get(f"/documents/new/{slug}", params={"case": family["case_id"]}, name="page: form").text
        fields = dict(self.data["forms"][slug], csrf_token=csrf(page), case_id=family["case_id"])
        with self.client.post(f"/documents/new/{slug}", data=fields, name="issue: web form",
                              allow_redirects=False, catch_response=True) as answer:
            location = answer.headers.get("Location", "")
            match = DOC.search(location)
            if answer.status_code != 302 or not match:
                return answer.failure(f"HTTP {answer.status_code} {location}".rstrip())
            self._issued(match.group(1), slug)

    @task(2)
    def issue_api(self) -> None:
        family = random.choice(self.families)
        slug = family["slug"]
        body = {**self.data["api"][slug], "family_id": family["id"]}  # the rest comes from the family's file
        with self.client.post(f"/api/documents/{slug}", json=body, headers=self.bearer,
                              name="issue: API", catch_response=True) as answer:
            if answer.status_code != 201:
                return answer.failure(f"HTTP {answer.status_code}: {answer.text[:200]}")
            body = answer.json()
            self.case_signs.append(body["case_sign"])
            self._issued(body["id"], slug)

    def _issued(self, doc: str, slug: str) -> None:
        self.docs.append(doc)
        if slug == "family_consent":
            self.unsigned.append(doc)

    # --- signing on another device -------------------------------------------------------------

    @task(1)
    def have_it_signed(self) -> None:
        if not self.unsigned:
            return self.issue_web()
        doc = self.unsigned.pop()
        page = self.client.get(f"/archive/{doc}", name="page: document").text
        with self.client.post(f"/archive/{doc}/signing", data={"csrf_token": csrf(page), "mode": "remote"},
                              name="signing: start", allow_redirects=False, catch_response=True) as answer:
            location = answer.headers.get("Location", "")
            match = SESSION.search(location)
            if answer.status_code != 302 or not match:
                return answer.failure(f"HTTP {answer.status_code} {location}".rstrip())
        session_id = match.group(1)
        handoff = self.client.get(f"/archive/{doc}/signing/{session_id}", name="page: signing handoff").text
        code = LINK.search(handoff)
        if code is None:
            return
        tablet = HttpSession(self.host, self.environment.events.request, self)
        opened = tablet.get(f"/s/{code.group(1)}", name="tablet: open link")
        form = csrf(opened.text)
        tablet.get(f"/podpis/{session_id}/strona/1.png", name="tablet: page image")
        status = f"/archive/{doc}/signing/{session_id}/status"
        signers = len(self.client.get(status, name="signing: status").json()["signers"])
        for position in range(signers):
            last = position == signers - 1
            with tablet.post(f"/podpis/{session_id}", allow_redirects=False, catch_response=True,
                             name="tablet: sign (last: evidence, seal)" if last else "tablet: sign",
                             data={"csrf_token": form, "position": position, "read_confirmed": "y",
                                   **STROKE}) as answer:
                if answer.status_code != 302:
                    return answer.failure(f"HTTP {answer.status_code}")
            if not last:
                gevent.sleep(random.uniform(*self.pause))  # the tablet passes to the next person
        with self.client.get(status, name="signing: status", catch_response=True) as answer:
            if answer.json().get("state") != "complete":
                answer.failure(f"not complete: {answer.json().get('state')}")

    @property
    def slugs(self) -> list[str]:
        return list(self.data["forms"])

    @property
    def bearer(self) -> dict:
        return {"Authorization": f"Bearer {self.account['token']}"}


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank), as bench/pipeline.py."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def run(base: str, data: dict, *, users: int, seconds: float, wait: tuple[float, float]) -> dict:
    """Runs `users` staff against `base` for `seconds`; prints and returns the figures (ms)."""
    Staff.accounts = list(data["staff"])
    Staff.data = data
    Staff.wait_time = between(*wait)
    Staff.pause = wait
    times: dict[str, list[float]] = {}
    failures: dict[str, int] = {}

    @events.request.add_listener
    def collect(name, response_time, exception, **_):
        # every response time of its own: Locust's own percentiles are rounded into buckets
        times.setdefault(name, []).append(response_time)
        if exception is not None:
            failures[name] = failures.get(name, 0) + 1

    env = Environment(user_classes=[Staff], events=events, host=base)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=max(1.0, users / 5))
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()

    total = sum(len(v) for v in times.values())
    report = {"users": users, "seconds": seconds, "requests": total, "rps": total / seconds,
              "errors": sum(failures.values()), "kinds": {}}
    print(f"\n{users} staff, {seconds:.0f} s, pause {wait[0]:g}–{wait[1]:g} s (ms)")
    print(f"{'kind of request':<38}{'count':>7}{'errors':>8}{'median':>9}{'p95':>9}")
    for name in sorted(times, key=lambda n: (n not in ISSUING, n)):
        values = times[name]
        row = {"count": len(values), "errors": failures.get(name, 0),
               "median": statistics.median(values), "p95": percentile(values, 95)}
        report["kinds"][name] = row
        print(f"{name:<38}{row['count']:>7}{row['errors']:>8}{row['median']:>9.0f}{row['p95']:>9.0f}")
    issuing = list(itertools.chain.from_iterable(times.get(n, []) for n in ISSUING))
    if issuing:
        report["issuing_p95"] = percentile(issuing, 95)
        print(f"{'issuing, both ways':<38}{len(issuing):>7}{'':>8}{statistics.median(issuing):>9.0f}"
              f"{report['issuing_p95']:>9.0f}")
    # an exception inside a task (a page without the expected link, say) is an error as well
    report["task_exceptions"] = sum(e["count"] for e in runner.exceptions.values())
    report["errors"] += report["task_exceptions"]
    print(f"\nrequests per second: {report['rps']:.1f}   errors: {report['errors']}")
    for error in env.stats.errors.values():
        print(f"  {error.occurrences} × {error.method} {error.name}: {error.error}")
    for error in runner.exceptions.values():
        print(f"  {error['count']} × exception in a task: {error['msg']}")
    return report
