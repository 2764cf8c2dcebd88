//! Catalog entries of the inspectors' practice as the method describes it: the conversation's
//! channel and partners, legal grounds and consent, the parent case's indicators and help,
//! joint programmes and training. Same layout as the main catalog: uz-Latn, uz-Cyrl, ru, en.

use super::Entry;

pub(super) const ENTRIES: &[Entry] = &[
    // The conversation as the method describes it.
    (
        "risk.social_injustice",
        ["Ijtimoiy adolatsizlik hissi", "Ижтимоий адолатсизлик ҳисси", "Чувство социальной несправедливости", "Sense of social injustice"],
    ),
    ("technique.empathy", ["Hamdardlik bilan yondashuv", "Ҳамдардлик билан ёндашув", "Эмпатический подход", "Empathetic approach"]),
    ("field.channel", ["Aloqa usuli", "Алоқа усули", "Канал связи", "Channel of contact"]),
    ("channel.in_person", ["Yuzma-yuz", "Юзма-юз", "Лично", "In person"]),
    ("channel.phone", ["Telefon orqali", "Телефон орқали", "По телефону", "Phone"]),
    ("channel.messenger", ["Messenjer yoki ijtimoiy tarmoq", "Мессенжер ёки ижтимоий тармоқ", "Мессенджер или соцсеть", "Messenger or social network"]),
    ("channel.online_platform", ["Onlayn platforma", "Онлайн платформа", "Онлайн-платформа", "Online platform"]),
    ("field.partners", ["Hamkorlar", "Ҳамкорлар", "Партнёры", "Partners present or involved"]),
    ("partner.local_authority", ["Mahalliy hokimiyat", "Маҳаллий ҳокимият", "Местная власть", "Local authority"]),
    ("partner.school", ["Maktab", "Мактаб", "Школа", "School"]),
    ("partner.religious_organisation", ["Diniy tashkilot", "Диний ташкилот", "Религиозная организация", "Religious organisation"]),
    ("partner.social_services", ["Ijtimoiy xizmatlar", "Ижтимоий хизматлар", "Социальные службы", "Social services"]),
    ("partner.civil_society", ["Fuqarolik jamiyati", "Фуқаролик жамияти", "Гражданское общество", "Civil society"]),
];
