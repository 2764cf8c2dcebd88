"""The generated Python module against the built library: the scenario of the Kotlin checks,
then enrolment and sync of several devices through a real hub (see hub.py).

Run by tests/tests/python.rs with SUHBAT_PY_BINDINGS pointing at a directory that holds the
generated `suhbat_ffi.py` next to the built library, and SUHBAT_CLI at the `suhbat` CLI.
"""

import json
import os
import secrets
import uuid
import ssl
import sys
import tempfile
import unittest

from hub import Hub, enrol, sync, transfer_files

sys.path.insert(0, os.environ["SUHBAT_PY_BINDINGS"])

import suhbat_ffi as s  # noqa: E402  (the module is found through SUHBAT_PY_BINDINGS)
from test_forms import FormKindTests  # noqa: E402,F401  (every form kind; run with these tests)
from test_exchange import ExchangeTests  # noqa: E402,F401  (exchange, reports, duplicates)


class DictKeys(s.KeyProvider):
    """A key provider written in Python: keys in a dict, with a count of every request."""

    def __init__(self):
        self.keys = {}
        self.asked = 0

    def get_or_create_key(self, key_id):
        self.asked += 1
        return self.keys.setdefault(key_id, secrets.token_bytes(32))

    def destroy_key(self, key_id):
        return self.keys.pop(key_id, None) is not None


class RecordingNotifier(s.Notifier):
    """Keeps every batch of reminders the core hands over."""

    def __init__(self):
        self.batches = []

    def replace_all(self, reminders):
        self.batches.append(reminders)
        return len(reminders)


def field_input(field):
    return s.FieldInput(key=field.key, value=field.value, selected=field.selected, items=field.items)


def submit(suhbat, form, **values):
    """Submits every field of `form`, with `values` (key with '/' written as '__') changed."""
    changed = {k.replace("__", "/"): v for k, v in values.items()}
    inputs = []
    for field in form.fields:
        given = field_input(field)
        if field.key in changed:
            given.value = changed[field.key]
        inputs.append(given)
    return suhbat.submit_form(form.kind, form.record_id, form.item_id, form.version, inputs)


def field(form, key):
    return next(f for f in form.fields if f.key == key)


class Device:
    """One phone: a store in a temporary directory."""

    def __init__(self, root, name, role=s.Role.INSPECTOR, keys=None, notifier=None):
        self.keys = keys or DictKeys()
        self.path = os.path.join(root, f"{name}.db")
        profile = s.DeviceProfile(person=name, role=role, scopes=["Navbahor"])
        self.app = s.Suhbat.open_or_create(self.path, self.keys, profile, notifier)
        self.app.set_locale(s.Locale.EN)

    def add_person(self, last):
        result = submit(self.app, self.app.person_form(None), name_latn__last=last, name_latn__first="Jasur",
                        birth_date="2008-04-02", address__district="Chilonzor")
        assert result.saved, result.form.errors
        return result.form.record_id

    def add_conversation(self, person_id, **values):
        form = self.app.conversation_form(None, person_id)
        values = {"started_at": "2025-09-01 10:00", "place": "School 141", "next_follow_up": "2025-09-15",
                  "consent_by": "parent", "consent_note": "The mother agreed", **values}
        return submit(self.app, form, **values)


def send(a, b):
    """Sends what `a` has that `b` lacks, as two phones do with bundles."""
    return b.app.import_bundle(a.app.export_bundle(b.app.summary()))


class BindingTests(unittest.TestCase):
    def setUp(self):
        self._dir = tempfile.TemporaryDirectory()
        self.root = self._dir.name

    def tearDown(self):
        self._dir.cleanup()

    def test_key_provider_in_python_is_called(self):
        keys = DictKeys()
        device = Device(self.root, "aziz", keys=keys)
        device_id = device.app.device().device_id
        self.assertGreaterEqual(keys.asked, 1)
        del device
        asked = keys.asked
        reopened = s.Suhbat.open(os.path.join(self.root, "aziz.db"), keys, None)
        self.assertEqual(reopened.device().device_id, device_id)
        self.assertEqual(keys.asked, asked + 1)
        with self.assertRaises(s.SuhbatError.WrongKey):
            s.Suhbat.open(os.path.join(self.root, "aziz.db"), DictKeys(), None)

    def test_person_and_conversation_make_a_worklist_item(self):
        notifier = RecordingNotifier()
        device = Device(self.root, "aziz", notifier=notifier)
        person_id = device.add_person("Qodirov")
        self.assertTrue(device.add_conversation(person_id).saved)
        worklist = device.app.worklist()
        # The conversation's +1/+3/+6-month effectiveness checks (held in 2025) are overdue too.
        self.assertEqual([i.kind for i in worklist.items], [s.WorkKind.FOLLOW_UP] + [s.WorkKind.EFFECTIVENESS_CHECK] * 3)
        item = worklist.items[0]
        self.assertEqual(item.kind, s.WorkKind.FOLLOW_UP)
        self.assertEqual(item.urgency, s.Urgency.OVERDUE)
        self.assertEqual(item.title, "Qodirov Jasur")
        self.assertTrue(item.reason.startswith("Follow-up: overdue by "), item.reason)
        device.app.set_locale(s.Locale.UZ_CYRL)
        self.assertTrue(device.app.worklist().items[0].reason.startswith("Назорат суҳбати: "))
        self.assertEqual([r.title for r in notifier.batches[-1]], ["Reminder: Qodirov Jasur"] * 4)
        self.assertEqual(len(device.app.person_list("Қодиров").rows), 1)

    def test_follow_up_results_feed_effectiveness_reports_and_risk_weights(self):
        device = Device(self.root, "aziz")
        person_id = device.add_person("Qodirov")
        talk = device.add_conversation(person_id)
        self.assertTrue(talk.saved)
        conversation_id = talk.form.record_id
        device.app.record_follow_up(conversation_id, "m1", "2025-10-01", "improved", True, 1, ["study"], "good", "")
        view = device.app.effectiveness("2025-09-01", "2025-12-31", None)
        # The 1- and 3-month checks fall due in the period; the first was done on its date.
        self.assertEqual((view.total.due, view.total.done, view.total.done_on_time, view.total.reoffences), (2, 1, 1, 1))
        self.assertEqual(view.by_inspector[0].name, "aziz")
        with self.assertRaises(s.SuhbatError.Invalid) as raised:
            device.app.record_follow_up(conversation_id, "m3", "2025-12-01", None, False, 0, [], "good", "")
        self.assertIn("Behaviour change is required", str(raised.exception))
        with self.assertRaises(s.SuhbatError.BadInput):
            device.app.record_follow_up(conversation_id, "m3", "2025-12-01", "better", False, 0, [], "good", "")
        csv = device.app.district_report_csv("2025-09-01", "2025-12-31", "Navbahor")
        self.assertTrue(csv.startswith("Conversations by kind and month\r\n"), csv)
        report = device.app.district_report("2025-09-01", "2025-12-31", None)
        self.assertEqual(report.sections[0].rows[0][0], s.Cell.TEXT(text="2025-09"))
        self.assertEqual(len(device.app.incident_trends(12).months), 12)
        device.app.set_risk_weight("online_risk", 7)
        weights = {row.factor: row.weight for row in device.app.risk_weights().rows}
        self.assertEqual(weights["online_risk"], 7)
        with self.assertRaises(s.SuhbatError.Invalid):
            device.app.set_risk_weight("online_risk", 11)

    def test_duplicates_are_listed_merged_and_unmerged(self):
        device = Device(self.root, "aziz")
        keep = device.add_person("Qodirov")
        dup = device.add_person("Kodirov")
        self.assertTrue(device.add_conversation(dup).saved)
        listed = device.app.duplicate_list(None)
        self.assertEqual(listed.count_label, "Pairs: 1")
        self.assertEqual(listed.rows[0].reasons, ["Same name and birth date"])
        self.assertEqual({listed.rows[0].keep.id, listed.rows[0].duplicate.id}, {keep, dup})
        card = device.app.merge_persons(keep, dup)
        self.assertEqual([m.id for m in card.merged_persons], [dup])
        self.assertEqual(len(card.history), 1, "the duplicate's conversation shows on the survivor")
        self.assertEqual([r.id for r in device.app.person_list("").rows], [keep])
        with self.assertRaises(s.SuhbatError.BadInput):
            device.app.merge_persons(keep, keep)
        restored = device.app.unmerge_person(dup)
        self.assertIsNone(restored.merged_into)
        self.assertEqual(len(device.app.person_list("").rows), 2)

    def test_validation_errors_are_readable_and_translated(self):
        device = Device(self.root, "aziz")
        person_id = device.add_person("Qodirov")
        result = device.add_conversation(person_id, place="")
        self.assertFalse(result.saved)
        self.assertEqual(result.message, "Please correct the errors")
        self.assertEqual(field(result.form, "place").error, "Place is required")
        device.app.set_locale(s.Locale.RU)
        result = device.add_conversation(person_id, place="", next_follow_up="31.31.2025")
        self.assertEqual(field(result.form, "place").error, "Поле «Место» обязательно")
        self.assertEqual(field(result.form, "next_follow_up").error, "«Дата следующей проверки»: неверная дата (31.31.2025)")
        with self.assertRaises(s.SuhbatError.Invalid) as raised:
            device.app.put_record(s.RecordKind.PERSON, "{}", "")
        self.assertIn("Поле «Фамилия» обязательно", str(raised.exception))
        with self.assertRaises(s.SuhbatError.BadInput):
            device.app.put_record(s.RecordKind.PERSON, "[", "")

    def test_conflict_between_two_stores_is_listed_and_resolved(self):
        aziz = Device(self.root, "Aziz")
        dilnoza = Device(self.root, "Dilnoza", role=s.Role.SUPERVISOR)
        person_id = aziz.add_person("Qodirov")
        send(aziz, dilnoza)
        for device, street in ((aziz, "Bunyodkor 5"), (dilnoza, "Qatortol 12")):
            self.assertTrue(submit(device.app, device.app.person_form(person_id), address__street=street).saved)
        report = send(dilnoza, aziz)
        self.assertEqual(report.records_in_conflict, 1)
        rows = aziz.app.conflicts().rows
        self.assertEqual([(r.field_label, r.record_title) for r in rows], [("Street", "Qodirov Jasur")])
        shown = sorted((o.display, o.author) for o in rows[0].options)
        self.assertEqual(shown, [("Bunyodkor 5", "Aziz (Inspector)"), ("Qatortol 12", "Dilnoza (Supervisor)")])
        keep = next(o for o in rows[0].options if o.display == "Qatortol 12")
        aziz.app.resolve_conflict(rows[0].record_id, rows[0].path, keep.value_json)
        self.assertEqual(aziz.app.conflicts().rows, [])
        with self.assertRaises(s.SuhbatError.NoSuchConflict):
            aziz.app.resolve_conflict(rows[0].record_id, rows[0].path, keep.value_json)
        send(aziz, dilnoza)
        self.assertEqual(dilnoza.app.conflicts().rows, [])
        status = dilnoza.app.sync_status()
        self.assertTrue(status.last_sync_label.startswith("Last sync: "), status.last_sync_label)

    def test_history_lists_both_values_with_authors_and_restores_an_earlier_one(self):
        aziz = Device(self.root, "Aziz")
        dilnoza = Device(self.root, "Dilnoza", role=s.Role.SUPERVISOR)
        person_id = aziz.add_person("Qodirov")
        send(aziz, dilnoza)
        self.assertTrue(submit(dilnoza.app, dilnoza.app.person_form(person_id), address__street="Qatortol 12").saved)
        send(dilnoza, aziz)
        view = aziz.app.record_history(person_id)
        streets = [(e.display, e.author) for e in view.entries if e.path == "address/street"]
        self.assertEqual(streets[0], ("Qatortol 12", "Dilnoza (Supervisor)"), streets)
        self.assertEqual(streets[-1][1], "Aziz (Inspector)", streets)
        oldest = [e for e in view.entries if e.path == "address/street"][-1]
        self.assertTrue(aziz.app.restore_field(person_id, oldest.path, oldest.value_json))
        self.assertFalse(aziz.app.restore_field(person_id, oldest.path, oldest.value_json))
        shown = json.loads(aziz.app.get_record(person_id))
        self.assertEqual(shown["address"]["street"], json.loads(oldest.value_json))
        before = aziz.app.record_as_of(person_id, "2000-01-01")
        self.assertFalse(before.existed)
        self.assertEqual(before.record_json, "")
        aziz.app.set_locale(s.Locale.RU)
        with self.assertRaises(s.SuhbatError.BadInput) as raised:
            aziz.app.record_as_of(person_id, "3 March")
        self.assertIn("YYYY-MM-DD", str(raised.exception))

    def test_kept_aside_is_empty_and_put_record_with_an_empty_version_stores_a_new_record(self):
        device = Device(self.root, "aziz")
        aside = device.app.kept_aside()
        self.assertEqual((aside.title, aside.rows, aside.empty_text), ("Kept aside", [], "Nothing kept aside"))
        self.assertTrue(aside.explanation)
        self.assertFalse(device.app.discard_kept_aside(1))

        person_id = str(uuid.uuid4())
        self.assertEqual(device.app.record_version(person_id), "", "not stored yet")
        person = {"id": person_id, "name_latn": {"last": "Rahimova", "first": "Malika"}, "birth_date": "2009-05-01",
                  "registered_on": "2025-09-01", "address": {"district": "Chilonzor", "mahalla": "Navbahor"},
                  "notes": "Lives with her aunt."}
        self.assertTrue(device.app.put_record(s.RecordKind.PERSON, json.dumps(person), ""))
        self.assertEqual([r.name for r in device.app.person_list("Rahimova").rows], ["Rahimova Malika"])
        version = device.app.record_version(person_id)
        self.assertNotEqual(version, "")
        # An edit of what was read, at the version it was read.
        stored = json.loads(device.app.get_record(person_id))
        stored["address"]["street"] = "Bunyodkor 5"
        self.assertTrue(device.app.put_record(s.RecordKind.PERSON, json.dumps(stored), version))
        self.assertFalse(device.app.put_record(s.RecordKind.PERSON, json.dumps(stored), device.app.record_version(person_id)))
        self.assertEqual(json.loads(device.app.get_record(person_id))["address"]["street"], "Bunyodkor 5")
        self.assertEqual(device.app.kept_aside().rows, [])



class HubSyncTests(unittest.TestCase):
    """Devices enrol with and sync through a real hub (`suhbat hub serve`, HTTPS on 127.0.0.1);
    Python carries the frames with urllib, as the shells do with OkHttp and URLSession."""

    @classmethod
    def setUpClass(cls):
        cls._dir = tempfile.TemporaryDirectory()
        cls.hub = Hub(os.path.join(cls._dir.name, "hub"))

    @classmethod
    def tearDownClass(cls):
        cls.hub.stop()
        cls._dir.cleanup()

    def device(self, name, role="inspector"):
        """A new phone enrolled with the hub under a one-time code."""
        device = Device(self._dir.name, name)
        fingerprint, enrolment = enrol(device.app, self.hub.url, self.hub.ca_pem, self.hub.code(name, role))
        self.assertEqual(fingerprint, self.hub.fingerprint)
        self.assertEqual(s.ca_fingerprint(self.hub.ca_pem), self.hub.fingerprint)
        self.assertEqual((enrolment.person, enrolment.scopes), (name, ["navbahor"]))
        self.assertTrue(enrolment.label.startswith(f"Connected as {name} ("), enrolment.label)
        self.assertEqual(device.app.hub_id(), enrolment.hub_id)
        return device

    def test_a_form_saved_after_a_sync_keeps_what_the_sync_brought(self):
        # Phone A opens a person form; phone B edits the person and syncs; A syncs while its
        # form is open, then saves the form it opened before: every field as the form showed it,
        # with the house number changed and a sentence added to the notes.
        gulnora, hamid = self.device("Gulnora"), self.device("Hamid")
        created = submit(gulnora.app, gulnora.app.person_form(None), name_latn__last="Yusupov", name_latn__first="Sardor",
                         birth_date="2009-03-14", address__district="Chilonzor", address__street="Bunyodkor 5",
                         address__house="3", notes="Lives with his grandmother.")
        self.assertTrue(created.saved, created.form.errors)
        person_id = created.form.record_id
        self.assertEqual(sync(gulnora.app).rejected, [])
        sync(hamid.app)

        # Phone A opens the form and keeps it (with its version) while the user types.
        open_form = gulnora.app.person_form(person_id)
        self.assertNotEqual(open_form.version, "")
        self.assertEqual(field(open_form, "address/street").value, "Bunyodkor 5")

        # Phone B moves the person to another street, adds to the notes and syncs.
        form_b = hamid.app.person_form(person_id)
        saved_b = submit(hamid.app, form_b, address__street="Qatortol 12",
                         notes=field(form_b, "notes").value + " Moved to his aunt in March.")
        self.assertTrue(saved_b.saved, saved_b.form.errors)
        self.assertEqual(sync(hamid.app).rejected, [])

        # B's change arrives on A while A's form is open.
        arrived = sync(gulnora.app)
        self.assertGreaterEqual(arrived.records_changed, 1)
        self.assertEqual(field(gulnora.app.person_form(person_id), "address/street").value, "Qatortol 12")
        self.assertEqual(field(open_form, "address/street").value, "Bunyodkor 5", "the open form still shows the old street")

        # A saves the form it opened before the sync, sending every field as the form showed it.
        saved_a = submit(gulnora.app, open_form, address__house="17",
                         notes=field(open_form, "notes").value + " Goes to school 141 again.")
        self.assertTrue(saved_a.saved, saved_a.form.errors)
        self.assertEqual(field(saved_a.form, "address/street").value, "Qatortol 12", "the save kept B's street")
        self.assertNotEqual(saved_a.form.version, open_form.version)
        sync(gulnora.app)
        sync(hamid.app)

        for device in (gulnora, hamid):
            form = device.app.person_form(person_id)
            notes = field(form, "notes").value
            self.assertEqual(field(form, "address/street").value, "Qatortol 12", device.path)
            self.assertEqual(field(form, "address/house").value, "17", device.path)
            for sentence in ("Lives with his grandmother.", "Moved to his aunt in March.", "Goes to school 141 again."):
                self.assertIn(sentence, notes, device.path)
            self.assertEqual(notes.count("Lives with his grandmother."), 1, notes)
            stored = json.loads(device.app.get_record(person_id))
            self.assertEqual((stored["address"]["street"], stored["address"]["house"], stored["notes"]), ("Qatortol 12", "17", notes))
            self.assertEqual([r for r in device.app.conflicts().rows if r.record_id == person_id], [], device.path)
            self.assertEqual(device.app.kept_aside().rows, [], device.path)
        self.assertEqual(gulnora.app.get_record(person_id), hamid.app.get_record(person_id))

    def test_two_devices_converge_and_list_the_conflict(self):
        aziz, bobur = self.device("Aziz"), self.device("Bobur")
        person_id = aziz.add_person("Qodirov")
        self.assertTrue(aziz.add_conversation(person_id).saved)
        sent = sync(aziz.app)
        self.assertEqual((sent.docs_sent >= 1, sent.rejected), (True, []))
        got = sync(bobur.app)
        self.assertGreaterEqual(got.records_changed, 2)
        # Earlier tests' phones synced their persons through the same hub too.
        self.assertIn("Qodirov Jasur", [r.name for r in bobur.app.person_list("").rows])

        # Offline edits of the same field on both phones, then syncs in turns.
        for device, street in ((aziz, "Bunyodkor 5"), (bobur, "Qatortol 12")):
            self.assertTrue(submit(device.app, device.app.person_form(person_id), address__street=street).saved)
        sync(aziz.app)
        merged = sync(bobur.app)
        self.assertEqual(merged.records_in_conflict, 1)
        sync(aziz.app)
        self.assertEqual(aziz.app.get_record(person_id), bobur.app.get_record(person_id))
        self.assertEqual(aziz.app.summary(), bobur.app.summary())
        for device in (aziz, bobur):
            rows = device.app.conflicts().rows
            self.assertEqual([(r.field_label, r.record_title) for r in rows], [("Street", "Qodirov Jasur")])
            shown = sorted((o.display, o.author) for o in rows[0].options)
            self.assertEqual(shown, [("Bunyodkor 5", "Aziz (Inspector)"), ("Qatortol 12", "Bobur (Inspector)")])

        status = aziz.app.sync_status()
        self.assertEqual((status.phase, status.progress, status.error, status.enrolled), (s.SyncPhase.IDLE, None, None, True))
        self.assertTrue(status.last_sync_label.startswith("Last sync: "), status.last_sync_label)
        self.assertTrue(status.last_report_lines[0].startswith("Last sync: "), status.last_report_lines)
        self.assertIn("1 in conflict", status.last_report_lines[0])

        # Nothing changed: one small round trip.
        quiet = sync(bobur.app)
        self.assertEqual((quiet.rounds, quiet.docs_received, quiet.records_changed), (1, 0, 0))

    def test_referral_round_trip_and_registry_numbers_through_the_hub(self):
        aziz, bekzod = self.device("AzizR"), self.device("Bekzod", "migration")
        sent = aziz.app.send_referral(s.NewReferral(to="migration", mahalla="Navbahor", subject="Jasur Qodirov",
                                                    reason="Passport expired", priority="urgent", category="migration",
                                                    person_ids=[], case_id=None))
        self.assertEqual(sync(aziz.app).rejected, [])
        sync(bekzod.app)
        inbox = bekzod.app.referral_list()
        self.assertEqual([(r.id, r.state_label, r.addressee_label) for r in inbox.rows], [(sent, "Sent", "Migration and citizenship")])
        self.assertEqual([a.state for a in bekzod.app.referral_detail(sent).actions], [s.ReferralState.RECEIVED])
        with self.assertRaises(s.SuhbatError.Invalid):
            aziz.app.advance_referral(sent, s.ReferralState.RECEIVED, "")  # only the addressee answers
        for state, note in ((s.ReferralState.RECEIVED, ""), (s.ReferralState.ACCEPTED, ""), (s.ReferralState.FEEDBACK, "New passport applied for")):
            bekzod.app.advance_referral(sent, state, note)
        sync(bekzod.app)
        sync(aziz.app)
        detail = aziz.app.referral_detail(sent)
        self.assertEqual(detail.state_label, "Feedback given")
        self.assertEqual(detail.steps[-1].note, "New passport applied for")
        self.assertEqual([a.state for a in detail.actions], [s.ReferralState.CLOSED])

        number = aziz.app.register_application(s.NewApplication(
            book="form1", registered_on="", applicant_kind="", applicant="Usmonova Gulnora", applicant_address="",
            mahalla="Navbahor", summary="Bicycle stolen", assignee="", deadline=""))
        self.assertTrue(number.startswith("1/"), number)
        sync(aziz.app)
        year = int(number.split("/")[1])
        rows = aziz.app.registry_book(s.Book.FORM1, year).rows
        mine = [r for r in rows if r.provisional_number == number]
        self.assertEqual(len(mine), 1)
        self.assertIsNotNone(mine[0].final_number, "the hub numbers the entry in the same sync")
        self.assertEqual(mine[0].number_label, f"1-{mine[0].final_number} ({number})")

    def test_session_reports_progress_and_refuses_misuse(self):
        farrux = self.device("Farrux")
        farrux.add_person("Karimov")
        session = farrux.app.start_sync()
        self.assertEqual(farrux.app.sync_status().phase, s.SyncPhase.RUNNING)
        request = session.next_request()
        progress = session.progress()
        self.assertEqual((progress.round, progress.max_rounds, progress.bytes_sent, progress.done), (1, 3, len(request), False))
        label = farrux.app.sync_status().progress_label
        self.assertTrue(label.startswith("Round 1 of at most 3 · documents sent 1, received 0"), label)
        with self.assertRaises(s.SuhbatError.Sync):
            session.next_request()  # the answer to the first request has not arrived
        with self.assertRaises(s.SuhbatError.BadInput):
            session.handle_response(b"not a frame")
        self.assertEqual(farrux.app.sync_status().phase, s.SyncPhase.FAILED)
        # A session given up before the end loses nothing: the next one resumes.
        del session
        self.assertGreaterEqual(sync(farrux.app).docs_sent, 1)
        self.assertEqual(farrux.app.sync_status().phase, s.SyncPhase.IDLE)
        # A session dropped while running leaves the screen saying so.
        farrux.app.start_sync().next_request()
        status = farrux.app.sync_status()
        self.assertEqual((status.phase, status.error), (s.SyncPhase.FAILED, "The sync was interrupted; the next one resumes"))

    def test_the_hub_hears_who_opened_printed_and_shared_a_record(self):
        wali = self.device("Wali")
        person_id = wali.add_person("Qodirov")
        wali.app.person_detail(person_id)
        wali.app.record_printed(person_id)
        wali.app.record_shared(person_id)
        with self.assertRaises(s.SuhbatError.NotFound):
            wali.app.record_printed("not-a-record")
        self.assertEqual(self.hub.accessed(person_id), [], "nothing reaches the hub before a sync")
        sync(wali.app)
        seen = [(e["person"], e["action"]) for e in self.hub.accessed(person_id) if e["action"].startswith("access:")]
        self.assertEqual(seen, [("Wali", "access:view"), ("Wali", "access:print"), ("Wali", "access:export")])

    def test_a_photo_goes_up_after_the_records_and_is_downloaded_when_opened(self):
        xurshid, yulduz = self.device("Xurshid"), self.device("Yulduz")
        person_id = xurshid.add_person("Qodirov")
        pdf = b"%PDF-1.4\n" + secrets.token_bytes(300_000)
        files = xurshid.app.attach_file(person_id, pdf, "application/pdf", s.FileKind.DOCUMENT, "Consent")
        self.assertEqual([(r.caption, r.state_label, r.here) for r in files.rows], [("Consent", "Not sent yet", True)])
        self.assertEqual(xurshid.app.sync_status().files_label, "Files not sent yet: 1")
        with self.assertRaises(s.SuhbatError.Invalid) as refused:
            xurshid.app.attach_file(person_id, b"MZ", "application/x-msdownload", None, "")
        self.assertIn("cannot be attached", str(refused.exception))
        sync(xurshid.app)
        sent = transfer_files(xurshid.app)
        self.assertEqual((sent.files_done, sent.bytes_done, sent.refused), (1, len(pdf), []))
        self.assertIsNone(xurshid.app.sync_status().files_label)

        sync(yulduz.app)
        row = yulduz.app.record_files(person_id).rows[0]
        self.assertEqual((row.state_label, row.here), ("Downloads when opened", False))
        self.assertIsNone(yulduz.app.open_file(row.hash))
        self.assertEqual(transfer_files(yulduz.app).files_done, 1)
        self.assertEqual(yulduz.app.open_file(row.hash), pdf)
        with self.assertRaises(s.SuhbatError.NotFound):
            yulduz.app.open_file("00" * 32)
        self.assertEqual(yulduz.app.detach_file(person_id, row.hash).rows, [])

    def test_revoked_device_is_told_to_wipe(self):
        carol = self.device("Carol")
        sync(carol.app)
        self.hub.revoke(carol.app.device().device_id)
        with self.assertRaises(s.SuhbatError.Revoked) as raised:
            sync(carol.app)
        self.assertIn("wiped", str(raised.exception))
        self.assertEqual(carol.app.sync_status().phase, s.SyncPhase.FAILED)
        del carol.app
        s.wipe_store(carol.path, carol.keys)
        self.assertFalse(os.path.exists(carol.path))
        self.assertEqual(carol.keys.keys, {})

    def test_a_phone_enrols_from_the_consoles_invitation(self):
        # The console's QR code holds the hub, a one-time code and the certificate's fingerprint:
        # the phone reads it, the core checks the chosen ca.pem against it, and enrolment works.
        erkin = Device(self._dir.name, "Erkin")
        text = f"suhbat-enrol:?hub={self.hub.url}&code={self.hub.code('Erkin', 'inspector')}&ca={self.hub.fingerprint.lower()}"
        invite = s.read_enrol_invite(text, s.Locale.EN)
        self.assertEqual(invite.hub_url, self.hub.url)
        self.assertEqual(s.invite_certificate(invite, self.hub.ca_pem, s.Locale.EN), self.hub.fingerprint)
        forged = s.EnrolInvite(hub_url=invite.hub_url, code=invite.code, ca_fingerprint="AB:CD")
        with self.assertRaises(s.SuhbatError.BadInput) as refused:
            s.invite_certificate(forged, self.hub.ca_pem, s.Locale.RU)
        self.assertIn("не совпадает", str(refused.exception))
        with self.assertRaises(s.SuhbatError.BadInput) as bad:
            s.read_enrol_invite("https://example.org", s.Locale.EN)
        self.assertIn("This is not a Suhbat invitation", str(bad.exception))
        _, enrolment = enrol(erkin.app, invite.hub_url, self.hub.ca_pem, invite.code)
        self.assertEqual(erkin.app.hub_id(), enrolment.hub_id)

    def test_enrolment_needs_a_valid_hub_and_code(self):
        dana = Device(self._dir.name, "Dana")
        with self.assertRaises(s.SuhbatError.NotEnrolled):
            dana.app.start_sync()
        self.assertFalse(dana.app.sync_status().enrolled)
        with self.assertRaises(s.SuhbatError.BadInput) as raised:
            dana.app.set_hub("ftp://10.0.0.5", None)
        self.assertIn("https://", str(raised.exception))
        with self.assertRaises(s.SuhbatError.BadInput):
            dana.app.set_hub(self.hub.url, None)
        with self.assertRaises(s.SuhbatError.BadInput):
            dana.app.set_hub(self.hub.url, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
        with self.assertRaises(s.SuhbatError.BadInput):
            s.ca_fingerprint("not a certificate")
        self.assertIsNone(dana.app.hub_url())
        with self.assertRaises(s.SuhbatError.Refused):
            enrol(dana.app, self.hub.url, self.hub.ca_pem, "AAAA-BBBB-CC")
        self.assertIsNone(dana.app.hub_id())
        self.assertEqual(s.ca_certificate_der(self.hub.ca_pem), ssl.PEM_cert_to_DER_cert(self.hub.ca_pem))


if __name__ == "__main__":
    unittest.main(verbosity=2)
