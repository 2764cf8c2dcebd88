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
    // The parent case's checklist, help and outcomes.
    ("indicator.truancy", ["Darsga qatnamaslik", "Дарсга қатнамаслик", "Пропуски школы", "Truancy"]),
    (
        "indicator.neglect",
        [
            "Qarovsizlik (ovqat, kiyim, sog‘liq)",
            "Қаровсизлик (овқат, кийим, соғлиқ)",
            "Безнадзорность (питание, одежда, здоровье)",
            "Neglect (food, clothes, health)",
        ],
    ),
    (
        "indicator.out_late_unsupervised",
        ["Bola kechqurun nazoratsiz yuradi", "Бола кечқурун назоратсиз юради", "Ребёнок поздно и без присмотра на улице", "Child out late or unsupervised"],
    ),
    (
        "indicator.no_contact_with_school",
        [
            "Ota-ona maktab bilan aloqa qilmaydi",
            "Ота-она мактаб билан алоқа қилмайди",
            "Родители не поддерживают связь со школой",
            "No contact with the school",
        ],
    ),
    (
        "indicator.alcohol_at_home",
        ["Uyda spirtli ichimlik suiiste’moli", "Уйда спиртли ичимлик суиистеъмоли", "Злоупотребление алкоголем дома", "Alcohol abuse at home"],
    ),
    ("indicator.violence_at_home", ["Uyda zo‘ravonlik", "Уйда зўравонлик", "Насилие в семье", "Violence at home"]),
    ("indicator.child_working", ["Bola ishlaydi", "Бола ишлайди", "Ребёнок работает", "Child working"]),
    ("indicator.begging", ["Tilanchilik yoki daydilik", "Тиланчилик ёки дайдилик", "Попрошайничество или бродяжничество", "Begging or wandering"]),
    ("indicator.other", ["Boshqa belgi", "Бошқа белги", "Иной признак", "Other indicator"]),
    ("assistance.school_contact", ["Maktab bilan aloqa", "Мактаб билан алоқа", "Связь со школой", "School contact"]),
    ("help_outcome.pending", ["Natija hali ma’lum emas", "Натижа ҳали маълум эмас", "Результат пока неизвестен", "Outcome not known yet"]),
    ("help_outcome.helped", ["Yordam berdi", "Ёрдам берди", "Помогло", "Helped"]),
    ("help_outcome.partly_helped", ["Qisman yordam berdi", "Қисман ёрдам берди", "Частично помогло", "Partly helped"]),
    ("help_outcome.no_effect", ["Natija bermadi", "Натижа бермади", "Не дало результата", "No effect"]),
    ("help_outcome.refused", ["Oila rad etdi", "Оила рад этди", "Семья отказалась", "Refused by the family"]),
    ("field.indicators", ["Belgilar", "Белгилар", "Признаки", "Indicators"]),
    ("field.observed_on", ["Aniqlangan sana", "Аниқланган сана", "Дата выявления", "Observed on"]),
    ("field.resolved_on", ["Bartaraf etilgan sana", "Бартараф этилган сана", "Дата устранения", "Resolved on"]),
    ("field.help_given", ["Ko‘rsatilgan yordam", "Кўрсатилган ёрдам", "Оказанная помощь", "Help given"]),
    ("field.given_on", ["Yordam sanasi", "Ёрдам санаси", "Дата помощи", "Given on"]),
    ("field.by", ["Kim tomonidan", "Ким томонидан", "Кем", "By"]),
    ("field.attendance_before", ["Davomat oldin, %", "Давомат олдин, %", "Посещаемость до, %", "Attendance before, %"]),
    ("field.attendance_after", ["Davomat keyin, %", "Давомат кейин, %", "Посещаемость после, %", "Attendance after, %"]),
    ("field.assessed_on", ["Baholangan sana", "Баҳоланган сана", "Дата оценки", "Assessed on"]),
    ("case.observed_on", ["Aniqlangan: {date}", "Аниқланган: {date}", "Выявлено: {date}", "Observed {date}"]),
    ("case.resolved_on", ["Bartaraf etilgan: {date}", "Бартараф этилган: {date}", "Устранено: {date}", "Resolved {date}"]),
    (
        "case.indicators_resolved",
        [
            "Bartaraf etilgan belgilar: {resolved} / {observed}",
            "Бартараф этилган белгилар: {resolved} / {observed}",
            "Устранено признаков: {resolved} из {observed}",
            "Indicators resolved: {resolved} of {observed}",
        ],
    ),
    (
        "report.case_outcomes",
        [
            "Ota-onalar ishlari: bosqichlar bo‘yicha natijalar",
            "Ота-оналар ишлари: босқичлар бўйича натижалар",
            "Дела родителей: результаты по этапам",
            "Parent cases: outcomes per stage",
        ],
    ),
    ("report.indicators_observed", ["Aniqlangan belgilar", "Аниқланган белгилар", "Выявлено признаков", "Indicators observed"]),
    ("report.indicators_resolved", ["Bartaraf etilgan belgilar", "Бартараф этилган белгилар", "Устранено признаков", "Indicators resolved"]),
    ("report.share_resolved", ["Bartaraf etilgan ulush, %", "Бартараф этилган улуш, %", "Доля устранённых, %", "Resolved, %"]),
    ("report.help_given", ["Ko‘rsatilgan yordam", "Кўрсатилган ёрдам", "Оказано помощи", "Help given"]),
    ("report.help_helped", ["Natija bergan yordam", "Натижа берган ёрдам", "Помощь с результатом", "Help that helped"]),
];
