//! Role-aware navigation: which screens and which new-record forms each role has. The shells
//! show exactly these (a seven member never sees the register; only a supervisor sets risk
//! weights), so a screen a role may not use is not one tap away from a refusal.

use super::form::FormKind;
use super::labels::text;
use super::{worklist, ViewContext};
use crate::access::{kinds_allowed, role_sees};
use crate::device::Role;
use crate::error::Result;
use crate::model::{may_take_step, Audience, RecordKind, ReferralState};
use crate::store::Store;

view_types! { $ navigation_view_types;

    /// One entry of the app's navigation (a tab or a menu entry).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Tab {
        /// Which screen the entry opens.
        pub screen: Screen,
        /// Its label.
        pub label: String,
        /// A count to show on it (overdue items, open conflicts), if any.
        pub badge: Option<u32>,
    }

    /// Every screen of the apps.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Screen {
        /// Today's worklist.
        Worklist,
        /// Person search.
        Persons,
        /// Conflicts to resolve.
        Conflicts,
        /// Sync status.
        Sync,
        /// Parent cases.
        ParentCases,
        /// Cooperation requests.
        Referrals,
        /// The applications registry.
        Registry,
        /// Joint events.
        Events,
        /// Effectiveness of the conversations (+1/+3/+6 months).
        Effectiveness,
        /// The district report.
        DistrictReport,
        /// Rising-incident mahallas.
        Trends,
        /// Weights of the risk factors.
        RiskWeights,
        /// Possible duplicate persons.
        Duplicates,
        /// Work the hub refused, kept aside.
        KeptAside,
        /// Device-to-device exchange (bundles).
        Exchange,
    }

    /// A new record the user may start from the menu.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct NewRecordAction {
        /// The form to open (with no record id).
        pub kind: FormKind,
        /// Its label ("New parent case").
        pub label: String,
    }

    /// The app title, its tabs, its menu and the records its user may start.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Navigation {
        /// App title.
        pub title: String,
        /// Tabs in display order.
        pub tabs: Vec<Tab>,
        /// The other screens of this role, for a menu.
        pub menu: Vec<Tab>,
        /// Forms of new records this role may fill in.
        pub new_records: Vec<NewRecordAction>,
    }
}

impl Screen {
    /// Every screen.
    pub const ALL: [Screen; 15] = [
        Screen::Worklist,
        Screen::Persons,
        Screen::Conflicts,
        Screen::Sync,
        Screen::ParentCases,
        Screen::Referrals,
        Screen::Registry,
        Screen::Events,
        Screen::Effectiveness,
        Screen::DistrictReport,
        Screen::Trends,
        Screen::RiskWeights,
        Screen::Duplicates,
        Screen::KeptAside,
        Screen::Exchange,
    ];

    /// A stable name of the screen (`parent_cases`), for routes and checks over the shells.
    pub fn as_str(self) -> &'static str {
        match self {
            Screen::Worklist => "worklist",
            Screen::Persons => "persons",
            Screen::Conflicts => "conflicts",
            Screen::Sync => "sync",
            Screen::ParentCases => "parent_cases",
            Screen::Referrals => "referrals",
            Screen::Registry => "registry",
            Screen::Events => "events",
            Screen::Effectiveness => "effectiveness",
            Screen::DistrictReport => "district_report",
            Screen::Trends => "trends",
            Screen::RiskWeights => "risk_weights",
            Screen::Duplicates => "duplicates",
            Screen::KeptAside => "kept_aside",
            Screen::Exchange => "exchange",
        }
    }

    /// The catalog key of its label.
    fn label_key(self) -> &'static str {
        match self {
            Screen::Worklist => "screen.worklist",
            Screen::Persons => "screen.persons",
            Screen::Conflicts => "screen.conflicts",
            Screen::Sync => "screen.sync",
            Screen::ParentCases => "screen.parent_cases",
            Screen::Referrals => "screen.referrals",
            Screen::Registry => "screen.registry",
            Screen::Events => "screen.events",
            Screen::Effectiveness => "effectiveness.title",
            Screen::DistrictReport => "report.district",
            Screen::Trends => "trends.title",
            Screen::RiskWeights => "risk_weights.title",
            Screen::Duplicates => "screen.duplicates",
            Screen::KeptAside => "screen.kept_aside",
            Screen::Exchange => "screen.exchange",
        }
    }

    /// Whether `role` has this screen: the register's screens for those who see the register,
    /// parent cases for those who see the case team's buckets, risk weights for supervisors.
    pub fn is_for(self, role: Role) -> bool {
        let register = role_sees(role, Audience::Register);
        match self {
            Screen::Worklist | Screen::Conflicts | Screen::Sync | Screen::Referrals | Screen::KeptAside | Screen::Exchange => true,
            Screen::ParentCases => role_sees(role, Audience::CaseTeam),
            Screen::Persons | Screen::Registry | Screen::Events | Screen::Effectiveness | Screen::DistrictReport | Screen::Trends | Screen::Duplicates => {
                register
            }
            Screen::RiskWeights => role == Role::Supervisor,
        }
    }
}

impl FormKind {
    /// Whether `role` may fill in this form for a new record: some bucket the role writes holds
    /// its kind (and for a request, the role may send one to someone).
    pub fn is_for(self, role: Role) -> bool {
        let kind = self.record_kind();
        let held = Audience::all().any(|audience| role_sees(role, audience) && kinds_allowed(audience).contains(&kind));
        let sends = kind != RecordKind::Referral || Role::SERVICES.into_iter().chain([Role::Seven]).any(|to| may_take_step(role, to, ReferralState::Sent));
        held && sends
    }
}

/// The catalog key of the menu entry starting a new record of `kind`.
fn new_record_key(kind: FormKind) -> &'static str {
    match kind {
        FormKind::Person => "screen.person_new",
        FormKind::Conversation => "screen.conversation_new",
        FormKind::ParentCase => "screen.case_new",
        FormKind::Referral => "screen.referral_new",
        FormKind::Application => "screen.application_new",
        FormKind::JointEvent => "screen.event_new",
        FormKind::FollowUp | FormKind::SevenTask | FormKind::Decision | FormKind::Attendance => "",
    }
}

/// The tabs of every role: the worklist, the role's main list, conflicts and sync.
const TABS: [Screen; 5] = [Screen::Worklist, Screen::Persons, Screen::ParentCases, Screen::Conflicts, Screen::Sync];

/// The navigation of this device's user, with badges (overdue work, open conflicts).
pub fn navigation(store: &mut Store, ctx: &ViewContext) -> Result<Navigation> {
    let role = store.device().profile.role;
    let overdue = worklist::overdue_count(store, ctx)?;
    let conflicts = store.conflicts()?.len() as u32;
    let kept_aside = store.kept_aside()?.len() as u32;
    let badge = |n: u32| (n > 0).then_some(n);
    let entry = |screen: Screen| {
        let count = match screen {
            Screen::Worklist => overdue,
            Screen::Conflicts => conflicts,
            Screen::KeptAside => kept_aside,
            _ => 0,
        };
        Tab { screen, label: text(ctx.locale, screen.label_key()), badge: badge(count) }
    };
    let tabs = TABS.into_iter().filter(|s| s.is_for(role));
    let menu = Screen::ALL.into_iter().filter(|s| s.is_for(role) && !TABS.contains(s));
    let new_records = FormKind::ALL
        .into_iter()
        .filter(|kind| !kind.edits_a_part() && *kind != FormKind::Attendance && kind.is_for(role))
        .map(|kind| NewRecordAction { kind, label: text(ctx.locale, new_record_key(kind)) })
        .collect();
    Ok(Navigation { title: text(ctx.locale, "app.title"), tabs: tabs.map(entry).collect(), menu: menu.map(entry).collect(), new_records })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::tests::{ctx, fixture};
    use crate::{DeviceProfile, Error, Locale, MemoryKeyProvider};

    fn store_of(role: Role) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let profile = DeviceProfile { person: "dilnoza".into(), role, scopes: vec!["Navbahor".into()] };
        let store = Store::create(dir.path().join("device.db"), &MemoryKeyProvider::new(), profile).unwrap();
        (dir, store)
    }

    fn screens(nav: &Navigation) -> Vec<Screen> {
        nav.tabs.iter().chain(&nav.menu).map(|t| t.screen).collect()
    }

    #[test]
    fn each_role_gets_its_own_screens_and_new_records() {
        let (_dir, mut seven) = store_of(Role::Seven);
        let nav = navigation(&mut seven, &ctx(Locale::Ru)).unwrap();
        assert!(screens(&nav).contains(&Screen::ParentCases) && !screens(&nav).contains(&Screen::Persons) && !screens(&nav).contains(&Screen::Registry));
        let kinds: Vec<FormKind> = nav.new_records.iter().map(|a| a.kind).collect();
        assert_eq!(kinds, [FormKind::ParentCase], "the seven open cases; requests are sent by inspectors");
        assert_eq!(nav.new_records[0].label, "Новое дело родителей");

        let (_dir, mut migration) = store_of(Role::Migration);
        let nav = navigation(&mut migration, &ctx(Locale::En)).unwrap();
        assert!(screens(&nav).contains(&Screen::Referrals) && !screens(&nav).contains(&Screen::ParentCases));

        let mut inspector = fixture("aziz");
        let nav = navigation(&mut inspector.store, &ctx(Locale::En)).unwrap();
        assert!(!screens(&nav).contains(&Screen::RiskWeights), "risk weights are the supervisor's");
        assert_eq!(
            nav.tabs.iter().map(|t| t.screen).collect::<Vec<_>>(),
            [Screen::Worklist, Screen::Persons, Screen::ParentCases, Screen::Conflicts, Screen::Sync]
        );
        let (_dir, mut supervisor) = store_of(Role::Supervisor);
        assert!(screens(&navigation(&mut supervisor, &ctx(Locale::En)).unwrap()).contains(&Screen::RiskWeights));
        for screen in Screen::ALL {
            for locale in Locale::ALL {
                assert!(crate::i18n::has(screen.label_key()), "{screen:?} has no label");
                assert!(!text(locale, screen.label_key()).is_empty());
            }
        }
    }

    #[test]
    fn a_form_the_role_may_not_fill_in_is_refused_as_not_permitted() {
        let (_dir, mut seven) = store_of(Role::Seven);
        let refused = crate::views::form(&mut seven, &ctx(Locale::En), FormKind::Person, None, None, None);
        assert!(matches!(refused, Err(Error::NotPermitted { ref role, ref mahalla }) if role == "seven" && mahalla == "navbahor"), "{refused:?}");
        assert!(crate::views::form(&mut seven, &ctx(Locale::En), FormKind::ParentCase, None, None, None).is_ok());
    }
}
