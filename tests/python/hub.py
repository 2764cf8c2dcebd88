"""A real hub for the Python checks: `suhbat hub serve` on 127.0.0.1 (random port, HTTPS with
the hub's own authority), enrolment codes and revocation through the same CLI, and an HTTPS
transport (urllib) that trusts only the hub's authority certificate.

The CLI is found through SUHBAT_CLI (tests/tests/python.rs sets it); a missing CLI is an
error, never a skip.
"""

import json
import os
import ssl
import subprocess
import threading
import urllib.request

STARTUP_SECONDS = 60


class Hub:
    """One running hub with its data folder."""

    def __init__(self, data):
        self.cli = os.environ["SUHBAT_CLI"]
        self.data = data
        self.process = subprocess.Popen(
            # Every test enrols its own phones from this one address: more than a base point's
            # default enrolment burst.
            [self.cli, "hub", "serve", "--data", data, "--listen", "127.0.0.1:0", "--enrol-burst", "40"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        # A hub that never says it is ready is killed, which ends the loop below.
        watchdog = threading.Timer(STARTUP_SECONDS, self.process.kill)
        watchdog.start()
        said = []
        try:
            for line in self.process.stdout:
                said.append(line.rstrip())
                if line.startswith("stop with Ctrl-C"):
                    break
        finally:
            watchdog.cancel()
        # Keep reading what the hub says, so that it never blocks on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()
        fields = dict(line.split(":", 1) for line in said if ":" in line and not line.startswith("hub "))
        listening = [line for line in said if line.startswith("hub listening on ")]
        if not listening or "SHA-256 fingerprint" not in fields:
            self.stop()
            raise RuntimeError("the hub did not start over HTTPS:\n" + "\n".join(said))
        self.url = listening[0].removeprefix("hub listening on ").strip()
        self.fingerprint = fields["SHA-256 fingerprint"].strip()
        with open(fields["authority certificate"].strip(), encoding="ascii") as f:
            self.ca_pem = f.read()

    def _drain(self):
        for _ in self.process.stdout:
            pass

    def _cli(self, *args):
        done = subprocess.run([self.cli, "hub", *args, "--data", self.data], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"suhbat hub {args[0]} failed: {done.stdout}{done.stderr}")
        return done.stdout.strip()

    def code(self, person, role="inspector", scope="Navbahor"):
        """A one-time enrolment code, as a supervisor makes it."""
        return self._cli("enrol", "--person", person, "--role", role, "--scope", scope)

    def accessed(self, record_id):
        """Who accessed a record, as the devices' audit chains reported it (JSON entries)."""
        return json.loads(self._cli("accessed", record_id, "--json"))

    def revoke(self, device_id):
        """Revokes a device: it is refused from now on and told to wipe."""
        self._cli("revoke", device_id)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def post(url, ca_pem, path, body):
    """POSTs a frame to the hub at `url` over HTTPS trusting only `ca_pem`; returns the answer."""
    context = ssl.create_default_context(cadata=ca_pem)
    request = urllib.request.Request(url + path, data=body, method="POST",
                                     headers={"Content-Type": "application/octet-stream"})
    with urllib.request.urlopen(request, context=context, timeout=60) as response:
        return response.read()


def enrol(app, hub_url, ca_pem, code):
    """Enrols a `Suhbat` store, as the shells do: keep the hub's address and certificate,
    send the signed request, hand the answer to the core. Returns (fingerprint, enrolment)."""
    fingerprint = app.set_hub(hub_url, ca_pem)
    answer = post(app.hub_url(), app.hub_ca_pem(), "/v1/enrol", app.enrol_request(code))
    return fingerprint, app.complete_enrolment(answer)


def sync(app):
    """One sync of a `Suhbat` store with its hub, as the shells run it; returns the report."""
    url, ca_pem = app.hub_url(), app.hub_ca_pem()
    session = app.start_sync()
    while (request := session.next_request()) is not None:
        session.handle_response(post(url, ca_pem, "/v1/sync", request))
    return session.report()


def transfer_files(app):
    """Moves attached files after a sync, as the shells do; returns the transfer's progress."""
    url, ca_pem = app.hub_url(), app.hub_ca_pem()
    files = app.start_file_transfer()
    while (request := files.next_request()) is not None:
        files.handle_response(post(url, ca_pem, "/v1/file", request))
    return files.progress()
