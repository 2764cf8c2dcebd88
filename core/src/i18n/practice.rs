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
    // Legal ground and consent.
    ("section.legal_basis", ["Huquqiy asos", "Ҳуқуқий асос", "Правовое основание", "Legal basis"]),
    ("field.legal_basis", ["Huquqiy asos", "Ҳуқуқий асос", "Правовое основание", "Legal basis"]),
    ("field.grounds", ["Qonun va qarorlar", "Қонун ва қарорлар", "Законы и постановления", "Laws and resolutions"]),
    (
        "field.details",
        [
            "Huquqiy asos (moddalar, boshqa hujjat)",
            "Ҳуқуқий асос (моддалар, бошқа ҳужжат)",
            "Правовое основание (статьи, иной акт)",
            "Legal basis in words (articles, another act)",
        ],
    ),
    (
        "legal_basis.other_needs_text",
        [
            "«Boshqa hujjat» tanlangan: {field} maydonida hujjatni nomlang",
            "«Бошқа ҳужжат» танланган: {field} майдонида ҳужжатни номланг",
            "Выбран «Иной акт»: назовите его в поле «{field}»",
            "\"Other act\" is chosen: name the act in {field}",
        ],
    ),
    (
        "legal_ground.prevention_of_offences",
        [
            "«Huquqbuzarliklar profilaktikasi to‘g‘risida»gi Qonun",
            "«Ҳуқуқбузарликлар профилактикаси тўғрисида»ги Қонун",
            "Закон «О профилактике правонарушений»",
            "Law on the prevention of offences",
        ],
    ),
    (
        "legal_ground.neglect_of_minors",
        [
            "«Voyaga yetmaganlar o‘rtasida nazoratsizlik va huquqbuzarliklarning profilaktikasi to‘g‘risida»gi Qonun",
            "«Вояга етмаганлар ўртасида назоратсизлик ва ҳуқуқбузарликларнинг профилактикаси тўғрисида»ги Қонун",
            "Закон «О профилактике безнадзорности и правонарушений среди несовершеннолетних»",
            "Law on the prevention of neglect and offences among minors",
        ],
    ),
    (
        "legal_ground.rights_of_the_child",
        [
            "«Bola huquqlarining kafolatlari to‘g‘risida»gi Qonun",
            "«Бола ҳуқуқларининг кафолатлари тўғрисида»ги Қонун",
            "Закон «О гарантиях прав ребёнка»",
            "Law on guarantees of the rights of the child",
        ],
    ),
    (
        "legal_ground.protection_of_women",
        [
            "«Xotin-qizlarni tazyiq va zo‘ravonlikdan himoya qilish to‘g‘risida»gi Qonun",
            "«Хотин-қизларни тазйиқ ва зўравонликдан ҳимоя қилиш тўғрисида»ги Қонун",
            "Закон «О защите женщин от притеснения и насилия»",
            "Law on the protection of women from harassment and violence",
        ],
    ),
    (
        "legal_ground.internal_affairs_bodies",
        [
            "«Ichki ishlar organlari to‘g‘risida»gi Qonun",
            "«Ички ишлар органлари тўғрисида»ги Қонун",
            "Закон «Об органах внутренних дел»",
            "Law on internal affairs bodies",
        ],
    ),
    ("legal_ground.family_code", ["Oila kodeksi", "Оила кодекси", "Семейный кодекс", "Family Code"]),
    (
        "legal_ground.administrative_code",
        [
            "Ma’muriy javobgarlik to‘g‘risidagi kodeks",
            "Маъмурий жавобгарлик тўғрисидаги кодекс",
            "Кодекс об административной ответственности",
            "Code of administrative responsibility",
        ],
    ),
    (
        "legal_ground.mahalla_family_resolution",
        [
            "Mahallada oilalar bilan ishlash to‘g‘risidagi hukumat qarori",
            "Маҳаллада оилалар билан ишлаш тўғрисидаги ҳукумат қарори",
            "Постановление правительства о работе с семьями в махалле",
            "Government resolution on work with families in the mahalla",
        ],
    ),
    ("legal_ground.other", ["Boshqa hujjat", "Бошқа ҳужжат", "Иной акт", "Other act"]),
    ("field.consent_by", ["Rozilik bergan shaxs", "Розилик берган шахс", "Кто дал согласие", "Consent given by"]),
    ("consent_by.person_themself", ["Suhbatdoshning o‘zi", "Суҳбатдошнинг ўзи", "Сам собеседник", "The person themself"]),
    ("consent_by.parent", ["Ota-ona", "Ота-она", "Родитель", "Parent"]),
    ("consent_by.guardian", ["Vasiy yoki homiy", "Васий ёки ҳомий", "Опекун или попечитель", "Guardian"]),
    ("consent_by.legal_representative", ["Boshqa qonuniy vakil", "Бошқа қонуний вакил", "Иной законный представитель", "Other legal representative"]),
    (
        "consent.required_for_minor",
        [
            "{name} voyaga yetmagan ({age} yosh): {field} to‘ldirilishi shart",
            "{name} вояга етмаган ({age} ёш): {field} тўлдирилиши шарт",
            "{name} несовершеннолетний ({age} лет): заполните «{field}»",
            "{name} is a minor ({age}): {field} is required",
        ],
    ),
    (
        "consent.minor_needs_representative",
        [
            "{name} voyaga yetmagan ({age} yosh): rozilikni ota-ona, vasiy yoki qonuniy vakil beradi",
            "{name} вояга етмаган ({age} ёш): розиликни ота-она, васий ёки қонуний вакил беради",
            "{name} несовершеннолетний ({age} лет): согласие даёт родитель, опекун или законный представитель",
            "{name} is a minor ({age}): consent is given by a parent, guardian or legal representative",
        ],
    ),
];
