"""Every form kind through the bindings, as the shells' one generic form screen drives them:
`form(kind, record, item, about)`, then `submit_form` with every field; broken rules come back
on their fields in the user's language. Also what a member of the mahalla seven sees.

Imported by test_bindings.py (which puts the generated module on the path).
"""

import os
import secrets
import tempfile
import unittest

import suhbat_ffi as s


class Keys(s.KeyProvider):
    def __init__(self):
        self.keys = {}

    def get_or_create_key(self, key_id):
        return self.keys.setdefault(key_id, secrets.token_bytes(32))

    def destroy_key(self, key_id):
        return self.keys.pop(key_id, None) is not None


def phone(root, name, role=s.Role.INSPECTOR):
    profile = s.DeviceProfile(person=name, role=role, scopes=["Navbahor"])
    app = s.Suhbat.open_or_create(os.path.join(root, f"{name}.db"), Keys(), profile, None)
    app.set_locale(s.Locale.EN)
    return app


def field(form, key):
    return next(f for f in form.fields if f.key == key)


def fill(app, form, values=None, items=None, selected=None):
    """Submits every field of `form` as shown, with `values`, `items` and `selected` by key."""
    values, items, selected = values or {}, items or {}, selected or {}
    inputs = []
    for f in form.fields:
        inputs.append(s.FieldInput(
            key=f.key,
            value=values.get(f.key, f.value),
            selected=selected.get(f.key, f.selected),
            items=items.get(f.key, f.items),
        ))
    return app.submit_form(form.kind, form.record_id, form.item_id, form.version, inputs)


def item(text, detail="", date="", choice="", done=False):
    return s.FormItem(id="", text=text, detail=detail, date=date, choice=choice, done=done)


# The sample person is 17: a conversation with a minor notes a representative's consent.
MINOR_CONSENT = {"consent_by": "guardian", "consent_note": "The grandmother agreed"}


class FormKindTests(unittest.TestCase):
    def setUp(self):
        self._dir = tempfile.TemporaryDirectory()
        self.app = phone(self._dir.name, "aziz")

    def tearDown(self):
        self._dir.cleanup()

    def saved(self, result):
        self.assertTrue(result.saved, [(f.key, f.error) for f in result.form.fields if f.error] + result.form.errors)
        return result.form

    def new_person(self):
        form = self.app.form(s.FormKind.PERSON, None, None, None)
        values = {"name_latn/last": "Qodirov", "name_latn/first": "Jasur", "birth_date": "2008-04-02", "address/district": "Chilonzor"}
        return self.saved(fill(self.app, form, values)).record_id

    def test_every_form_kind_opens_in_four_languages_with_labels(self):
        person = self.new_person()
        case = self.saved(fill(self.app, self.app.form(s.FormKind.PARENT_CASE, None, None, person), {"concern": "Truancy"})).record_id
        talk = self.saved(fill(self.app, self.app.form(s.FormKind.CONVERSATION, None, None, person),
                               {"started_at": "2025-09-01 10:00", "place": "School 141",
                                **MINOR_CONSENT})).record_id
        app_form = self.app.form(s.FormKind.APPLICATION, None, None, None)
        application = self.saved(fill(self.app, app_form, {"applicant": "Karimova N.", "summary": "Noise"})).record_id
        event = self.saved(fill(self.app, self.app.form(s.FormKind.JOINT_EVENT, None, None, None),
                                {"kind": "seminar", "title": "Parents' school", "place": "School 12"},
                                items={"organisers": [item("Dilnoza", detail="Women's committee")]})).record_id
        records = {
            s.FormKind.FOLLOW_UP: (talk, "m1"), s.FormKind.SEVEN_TASK: (case, None), s.FormKind.DECISION: (application, None),
            s.FormKind.ATTENDANCE: (event, None),
        }
        titles = set()
        for locale in [s.Locale.UZ_LATN, s.Locale.UZ_CYRL, s.Locale.RU, s.Locale.EN]:
            self.app.set_locale(locale)
            for kind in [getattr(s.FormKind, name) for name in dir(s.FormKind) if name.isupper()]:
                record, part = records.get(kind, (None, None))
                form = self.app.form(kind, record, part, None)
                self.assertEqual(form.kind, kind)
                self.assertTrue(form.fields, kind)
                for f in form.fields:
                    self.assertNotIn("_", f.label, f"{kind} {locale}: raw label for {f.key}")
                titles.add(form.title)
        self.assertEqual(len(titles), 4 * 10, "ten kinds, each titled in four languages")

    def test_person_with_family_created_edited_and_errors_in_two_languages(self):
        form = self.app.form(s.FormKind.PERSON, None, None, None)
        refused = fill(self.app, form, {"name_latn/first": "Jasur"})
        self.assertFalse(refused.saved)
        self.assertEqual(field(refused.form, "name_latn/last").error, "Last name is required")
        self.app.set_locale(s.Locale.RU)
        refused = fill(self.app, form, {"name_latn/first": "Jasur", "birth_date": "31.31.2008"})
        self.assertIn("Фамилия", field(refused.form, "name_latn/last").error)
        self.assertIn("31.31.2008", field(refused.form, "birth_date").error)
        self.app.set_locale(s.Locale.EN)
        family = field(form, "family")
        self.assertTrue(family.item_detail_label, "a family member has a relation line")
        typed = {"name_latn/last": "Qodirov", "name_latn/first": "Jasur", "birth_date": "2008-04-02", "address/district": "Chilonzor"}
        created = self.saved(fill(self.app, form, typed,
                                  items={"family": [item("Qodirov Anvar", detail="father", done=True)]}))
        edit = self.app.form(s.FormKind.PERSON, created.record_id, None, None)
        self.assertEqual([(i.text, i.detail, i.done) for i in field(edit, "family").items], [("Qodirov Anvar", "father", True)])
        edited = self.saved(fill(self.app, edit, {"address/street": "Bunyodkor 5"}))
        self.assertEqual(field(self.app.form(s.FormKind.PERSON, edited.record_id, None, None), "address/street").value, "Bunyodkor 5")

    def test_conversation_and_its_follow_up_result(self):
        person = self.new_person()
        talk = self.saved(fill(self.app, self.app.form(s.FormKind.CONVERSATION, None, None, person),
                               {"started_at": "2025-09-01 10:00", "place": "School 141",
                                **MINOR_CONSENT}))
        edited = self.saved(fill(self.app, self.app.form(s.FormKind.CONVERSATION, talk.record_id, None, None), {"place": "Home"}))
        self.assertEqual(field(edited, "place").value, "Home")
        follow_up = self.app.form(s.FormKind.FOLLOW_UP, talk.record_id, "m1", None)
        self.assertEqual(follow_up.item_id, "m1")
        typed = {"done_on": "2025-10-01", "behaviour": "improved", "legal_knowledge": "good", "reoffended": "true", "reoffences": "x"}
        bad = fill(self.app, follow_up, typed)
        self.assertFalse(bad.saved)
        self.assertIn("whole number", field(bad.form, "reoffences").error)
        self.app.set_locale(s.Locale.UZ_LATN)
        bad = fill(self.app, follow_up, typed)
        self.assertNotIn("whole number", field(bad.form, "reoffences").error)
        self.app.set_locale(s.Locale.EN)
        self.assertEqual(field(follow_up, "reoffended").kind, s.FieldKind.FLAG)
        self.assertEqual(field(follow_up, "reoffences").kind, s.FieldKind.NUMBER)
        done = self.saved(fill(self.app, follow_up, {**typed, "reoffences": "1"}))
        self.assertEqual(field(done, "reoffences").value, "1")
        self.assertEqual(self.app.effectiveness("2025-09-01", "2025-12-31", None).total.reoffences, 1)

    def test_parent_case_and_seven_tasks(self):
        person = self.new_person()
        new = self.app.form(s.FormKind.PARENT_CASE, None, None, person)
        refused = fill(self.app, new, items={"guardians": []})
        self.assertFalse(refused.saved)
        self.assertIsNotNone(field(refused.form, "concern").error)
        self.app.set_locale(s.Locale.RU)
        refused_ru = fill(self.app, new, items={"guardians": []})
        self.assertNotEqual(field(refused_ru.form, "concern").error, field(refused.form, "concern").error)
        self.app.set_locale(s.Locale.EN)
        case = self.saved(fill(self.app, new, {"concern": "The children miss school"},
                               items={"children": [item("Qodirova Madina", detail="School 12", date="2014-03-01")]}))
        moved = self.saved(fill(self.app, self.app.form(s.FormKind.PARENT_CASE, case.record_id, None, None), {"stage": "analysis"}))
        self.assertEqual(field(moved, "stage").value, "analysis")
        task = self.app.form(s.FormKind.SEVEN_TASK, case.record_id, None, None)
        blank = fill(self.app, task, {"role": "womens_activist", "task": " "})
        self.assertIsNotNone(field(blank.form, "task").error)
        self.saved(fill(self.app, task, {"role": "womens_activist", "task": "Visit the family"}))
        again = self.app.form(s.FormKind.SEVEN_TASK, case.record_id, task.item_id, None)
        self.saved(fill(self.app, again, {"done": "true"}))
        view = self.app.parent_case(case.record_id)
        self.assertEqual([(t.task, t.done) for t in view.tasks], [("Visit the family", True)])

    def test_referral_from_a_person_and_from_a_case(self):
        person = self.new_person()
        new = self.app.form(s.FormKind.REFERRAL, None, None, person)
        self.assertEqual(field(new, "person_ids").selected, [person])
        missing = fill(self.app, new, {"subject": "Qodirov J."})
        self.assertIsNotNone(field(missing.form, "to").error)
        self.assertIsNotNone(field(missing.form, "reason").error)
        self.app.set_locale(s.Locale.UZ_CYRL)
        missing_cyrl = fill(self.app, new, {"subject": "Qodirov J."})
        self.assertNotEqual(field(missing_cyrl.form, "reason").error, field(missing.form, "reason").error)
        self.app.set_locale(s.Locale.EN)
        sent = self.saved(fill(self.app, new, {"to": "criminal_investigation", "subject": "Qodirov J.", "reason": "Seen with a wanted man"}))
        self.assertEqual(self.app.referral_detail(sent.record_id).subject, "Qodirov J.")
        edited = self.saved(fill(self.app, self.app.form(s.FormKind.REFERRAL, sent.record_id, None, None), {"subject": "Qodirov Jasur"}))
        self.assertEqual(field(edited, "subject").value, "Qodirov Jasur")
        case = self.saved(fill(self.app, self.app.form(s.FormKind.PARENT_CASE, None, None, person), {"concern": "Truancy"}))
        about_case = self.app.form(s.FormKind.REFERRAL, None, None, case.record_id)
        self.assertEqual(field(about_case, "case_id").value, case.record_id)
        self.assertEqual(field(about_case, "case_id").kind, s.FieldKind.CASE)
        self.assertIn(case.record_id, [c.value for c in self.app.link_choices(s.FieldKind.CASES, "")])

    def test_application_and_its_decision(self):
        new = self.app.form(s.FormKind.APPLICATION, None, None, None)
        missing = fill(self.app, new)
        self.assertIsNotNone(field(missing.form, "applicant").error)
        self.app.set_locale(s.Locale.RU)
        self.assertNotEqual(field(fill(self.app, new).form, "applicant").error, field(missing.form, "applicant").error)
        self.app.set_locale(s.Locale.EN)
        app = self.saved(fill(self.app, new, {"book": "form2", "applicant": "Karimova N.", "summary": "Noise at night"}))
        self.saved(fill(self.app, self.app.form(s.FormKind.APPLICATION, app.record_id, None, None), {"summary": "Noise at night, again"}))
        decision = self.app.form(s.FormKind.DECISION, app.record_id, None, None)
        self.saved(fill(self.app, decision, {"kind": "explained", "text": "Explained the rules"}))
        self.assertEqual(self.app.overdue_applications().rows, [])

    def test_joint_event_and_attendance(self):
        person = self.new_person()
        new = self.app.form(s.FormKind.JOINT_EVENT, None, None, None)
        missing = fill(self.app, new, {"kind": "seminar"})
        self.assertIsNotNone(field(missing.form, "title").error)
        event = self.saved(fill(self.app, new, {"kind": "seminar", "title": "Parents' school", "place": "School 12"},
                                items={"organisers": [item("Dilnoza", detail="Women's committee")]}))
        attendance = self.app.form(s.FormKind.ATTENDANCE, event.record_id, None, None)
        with self.assertRaises(s.SuhbatError):
            self.app.form(s.FormKind.ATTENDANCE, None, None, None)
        unknown = fill(self.app, attendance, selected={"person_ids": [person], "case_ids": [event.record_id]})
        self.assertIsNotNone(field(unknown.form, "case_ids").error)
        self.saved(fill(self.app, attendance, selected={"person_ids": [person]}, items={"guests": [item("Karimov B.")]}))
        self.assertIn(person, field(self.app.form(s.FormKind.ATTENDANCE, event.record_id, None, None), "person_ids").selected)

    def test_a_seven_member_sees_a_case_with_its_tasks_and_not_the_register(self):
        case = self.saved(fill(self.app, self.app.form(s.FormKind.PARENT_CASE, None, None, None), {"concern": "Truancy"},
                               items={"guardians": [item("Qodirov Anvar", detail="father")]}))
        task = self.app.form(s.FormKind.SEVEN_TASK, case.record_id, None, None)
        self.saved(fill(self.app, task, {"role": "womens_activist", "task": "Visit the family"}))
        seven = phone(self._dir.name, "malika", s.Role.SEVEN)
        seven.import_bundle(self.app.export_bundle(seven.summary()))
        view = seven.parent_case(case.record_id)
        self.assertEqual([t.task for t in view.tasks], ["Visit the family"])
        screens = [t.screen for t in seven.navigation().tabs + seven.navigation().menu]
        self.assertIn(s.Screen.PARENT_CASES, screens)
        self.assertNotIn(s.Screen.PERSONS, screens)
        with self.assertRaises(s.SuhbatError.NotPermitted) as refused:
            seven.form(s.FormKind.PERSON, None, None, None)
        self.assertNotIn("bucket", str(refused.exception))
        seven.set_locale(s.Locale.RU)
        with self.assertRaises(s.SuhbatError.NotPermitted) as refused_ru:
            seven.form(s.FormKind.PERSON, None, None, None)
        self.assertNotEqual(str(refused_ru.exception), str(refused.exception), "the refusal is translated")

    def test_a_seven_member_lists_her_cases_with_her_own_tasks(self):
        case = self.saved(fill(self.app, self.app.form(s.FormKind.PARENT_CASE, None, None, None), {"concern": "Truancy"},
                               items={"guardians": [item("Qodirov Anvar", detail="father")]}))
        for assignee, text in [("Малика", "Visit the family"), ("dilnoza", "Call the school")]:
            task = self.app.form(s.FormKind.SEVEN_TASK, case.record_id, None, None)
            self.saved(fill(self.app, task, {"role": "womens_activist", "assignee": assignee, "task": text}))
        seven = phone(self._dir.name, "Malika", s.Role.SEVEN)
        seven.import_bundle(self.app.export_bundle(seven.summary()))
        listed = seven.parent_case_list(None, None)
        self.assertEqual([r.id for r in listed.rows], [case.record_id])
        row = listed.rows[0]
        self.assertEqual((row.title, row.stage, row.open_tasks), ("Qodirov Anvar", s.SaraStage.SCANNING, 2))
        self.assertEqual([t.task for t in row.my_tasks], ["Visit the family"], "her task, named in the other script")
        self.assertEqual(seven.parent_case_list(s.SaraStage.ANALYSIS, None).rows, [])
        self.assertEqual(len(seven.parent_case_list(s.SaraStage.SCANNING, "Navbahor").rows), 1)
        seven.set_locale(s.Locale.RU)
        self.assertEqual(seven.parent_case_list(None, None).title, "Дела родителей")
