"""Device-to-device exchange, the report screens and risk weights, duplicates and kept-aside
work through the bindings, as the phone apps' screens call them (the hub's enrolment
invitation is checked against a real hub in test_bindings.HubSyncTests).

Imported by test_bindings.py (which puts the generated module on the path).
"""

import tempfile
import unittest

import suhbat_ffi as s
from test_forms import phone


def add_person(app, last, birth="2008-04-02"):
    form = app.form(s.FormKind.PERSON, None, None, None)
    values = {"name_latn/last": last, "name_latn/first": "Jasur", "birth_date": birth, "address/district": "Chilonzor"}
    inputs = [s.FieldInput(key=f.key, value=values.get(f.key, f.value), selected=f.selected, items=f.items) for f in form.fields]
    result = app.submit_form(form.kind, form.record_id, form.item_id, form.version, inputs)
    assert result.saved, result.form.errors
    return result.form.record_id


class ExchangeTests(unittest.TestCase):
    def setUp(self):
        self.root = self.enterContext(tempfile.TemporaryDirectory())

    def test_a_bundle_saved_on_one_phone_is_merged_on_another_with_a_report(self):
        aziz, bekzod = phone(self.root, "aziz"), phone(self.root, "bekzod")
        screen = aziz.exchange()
        self.assertEqual(screen.title, "Device-to-device exchange")
        self.assertRegex(screen.file_name, r"^suhbat-\d{4}-\d{2}-\d{2}-\d{4}\.suhbat$")
        add_person(aziz, "Qodirov")
        bundle = aziz.export_bundle(None)
        report = bekzod.receive_bundle(bundle)
        self.assertEqual(report.title, "Bundle merged")
        self.assertIn("Records created or changed: 1", report.lines)
        self.assertEqual(report.conflicts, 0)
        self.assertEqual(len(bekzod.person_list("Qodirov").rows), 1)
        bekzod.set_locale(s.Locale.RU)
        again = bekzod.receive_bundle(bundle)
        self.assertIn("Ничего нового: на этом телефоне всё уже было", again.lines)
        with self.assertRaises(s.SuhbatError.BadInput):
            bekzod.receive_bundle(b"not a bundle")

    def test_a_bundle_made_for_the_other_phones_code_carries_only_what_it_lacks(self):
        aziz, bekzod = phone(self.root, "aziz"), phone(self.root, "bekzod")
        add_person(aziz, "Qodirov")
        bekzod.receive_bundle(aziz.export_bundle(None))
        add_person(aziz, "Karimov")
        code = bekzod.summary_code()
        self.assertTrue(code.text.startswith("suhbat-summary:"), code.text)
        self.assertEqual(len(code.dark), code.size * code.size)
        self.assertIn("only what you lack", code.explanation)
        for_code = aziz.export_bundle_for_code(code.text)
        self.assertLess(len(for_code), len(aziz.export_bundle(None)))
        report = bekzod.receive_bundle(for_code)
        self.assertIn("Records created or changed: 1", report.lines)
        self.assertEqual(len(bekzod.person_list("Karimov").rows), 1)
        aziz.set_locale(s.Locale.RU)
        with self.assertRaises(s.SuhbatError.Invalid) as refused:
            aziz.export_bundle_for_code("suhbat-enrol:?hub=x")
        self.assertIn("Не удалось прочитать код", str(refused.exception))

    def test_the_three_reports_come_as_tables_over_the_cores_periods(self):
        app = phone(self.root, "aziz", s.Role.SUPERVISOR)
        periods = app.report_periods()
        self.assertEqual([p.label for p in periods], ["This month", "Last three months", "This year"])
        self.assertTrue(all(p.last_day == periods[0].last_day and p.first_day <= p.last_day for p in periods), periods)
        district = app.district_report(periods[2].first_day, periods[2].last_day, None)
        effectiveness = app.effectiveness_report(periods[2].first_day, periods[2].last_day, None)
        trends = app.trends_report(12)
        self.assertEqual(effectiveness.title, app.effectiveness(periods[2].first_day, periods[2].last_day, None).title)
        self.assertEqual(len(effectiveness.sections), 2)
        self.assertEqual(len(trends.sections), 1)
        self.assertEqual(len(trends.sections[0].columns), 1 + 12 + 6)
        self.assertTrue(district.sections)

    def test_risk_weights_show_the_default_beside_a_changed_weight(self):
        app = phone(self.root, "aziz", s.Role.SUPERVISOR)
        row = app.risk_weights().rows[0]
        app.set_risk_weight(row.factor, row.weight + 1)
        changed = app.risk_weights().rows[0]
        self.assertTrue(changed.changed)
        self.assertEqual(changed.default_label, f"Default: {row.default_weight}")
        with self.assertRaises(s.SuhbatError.Invalid):
            app.set_risk_weight(row.factor, 11)

    def test_duplicates_merge_and_unmerge_and_nothing_is_kept_aside_yet(self):
        app = phone(self.root, "aziz")
        first, second = add_person(app, "Qodirov"), add_person(app, "Qodirov")
        pairs = app.duplicate_list(None)
        self.assertEqual(len(pairs.rows), 1)
        pair = pairs.rows[0]
        self.assertEqual({pair.keep.id, pair.duplicate.id}, {first, second})
        kept = app.merge_persons(pair.keep.id, pair.duplicate.id)
        self.assertEqual([m.id for m in kept.merged_persons], [pair.duplicate.id])
        self.assertEqual(app.duplicate_list(None).rows, [])
        app.unmerge_person(pair.duplicate.id)
        self.assertEqual(len(app.duplicate_list(None).rows), 1)
        aside = app.kept_aside()
        self.assertEqual((aside.rows, aside.enter_again_label), ([], "Enter again"))
