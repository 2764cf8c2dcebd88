//! Catalog entries of cooperation requests beyond the police: the bodies outside the police
//! that receive requests, the categories of requests, and the escalation of an overdue request
//! to the addressee's supervisor. Same layout as the main catalog: uz-Latn, uz-Cyrl, ru, en.

use super::Entry;

pub(super) const ENTRIES: &[Entry] = &[
    // Addressees outside the police.
    ("role.school", ["Maktab", "Мактаб", "Школа", "School"]),
    ("role.youth_union", ["Yoshlar ittifoqi", "Ёшлар иттифоқи", "Союз молодёжи", "Youth union"]),
    ("role.social_protection", ["Ijtimoiy himoya organi", "Ижтимоий ҳимоя органи", "Орган социальной защиты", "Social protection"]),
    ("role.childrens_rights", ["Bola huquqlari organi", "Бола ҳуқуқлари органи", "Орган по правам ребёнка", "Children's rights body"]),
    ("role.health", ["Tibbiyot muassasasi", "Тиббиёт муассасаси", "Медицинское учреждение", "Health facility"]),
    ("role.mahalla_chairman", ["Mahalla raisi", "Маҳалла раиси", "Председатель махалли", "Mahalla chairman's office"]),
    // Categories.
    ("field.category", ["Yo‘nalish", "Йўналиш", "Категория", "Category"]),
    ("referral_category.trafficking_in_persons", ["Odam savdosi", "Одам савдоси", "Торговля людьми", "Trafficking in persons"]),
    ("referral_category.drugs", ["Giyohvandlik", "Гиёҳвандлик", "Наркотики", "Drugs"]),
    ("referral_category.extremism_terrorism", ["Ekstremizm va terrorizm", "Экстремизм ва терроризм", "Экстремизм и терроризм", "Extremism and terrorism"]),
    (
        "referral_category.missing_wanted",
        [
            "Bedarak yo‘qolganlar va qidiruvdagilar",
            "Бедарак йўқолганлар ва қидирувдагилар",
            "Безвестно пропавшие и разыскиваемые",
            "Missing and wanted persons",
        ],
    ),
    ("referral_category.migration", ["Migratsiya", "Миграция", "Миграция", "Migration"]),
    ("referral_category.road_safety", ["Yo‘l harakati xavfsizligi", "Йўл ҳаракати хавфсизлиги", "Безопасность дорожного движения", "Road safety"]),
    ("referral_category.domestic_violence", ["Oiladagi zo‘ravonlik", "Оиладаги зўравонлик", "Домашнее насилие", "Domestic violence"]),
    ("referral_category.juvenile", ["Voyaga yetmaganlar", "Вояга етмаганлар", "Несовершеннолетние", "Juveniles"]),
    ("referral_category.other", ["Boshqa", "Бошқа", "Прочее", "Other"]),
    (
        "report.referral_categories",
        [
            "Hamkorlik so‘rovlari yo‘nalishlar bo‘yicha",
            "Ҳамкорлик сўровлари йўналишлар бўйича",
            "Запросы о взаимодействии по категориям",
            "Cooperation requests by category",
        ],
    ),
    ("report.escalated", ["Rahbariyatga yetkazilgan", "Раҳбариятга етказилган", "Эскалировано", "Escalated"]),
    // The supervising bodies of the addressees.
    ("supervisor.district_police_head", ["Tuman IIB boshlig‘i", "Туман ИИБ бошлиғи", "Начальник РОВД", "Head of the district police department"]),
    (
        "supervisor.education_department",
        ["Tuman maktab ta’limi bo‘limi", "Туман мактаб таълими бўлими", "Районный отдел школьного образования", "District school education department"],
    ),
    (
        "supervisor.youth_union_council",
        ["Yoshlar ittifoqi tuman kengashi", "Ёшлар иттифоқи туман кенгаши", "Районный совет Союза молодёжи", "District council of the youth union"],
    ),
    (
        "supervisor.social_protection_agency",
        [
            "Ijtimoiy himoya milliy agentligining tuman bo‘limi",
            "Ижтимоий ҳимоя миллий агентлигининг туман бўлими",
            "Районный отдел Национального агентства социальной защиты",
            "District office of the national social-protection agency",
        ],
    ),
    (
        "supervisor.childrens_ombudsman",
        [
            "Bola huquqlari bo‘yicha vakilning hududiy vakili",
            "Бола ҳуқуқлари бўйича вакилнинг ҳудудий вакили",
            "Региональный представитель Уполномоченного по правам ребёнка",
            "Regional representative of the children's ombudsman",
        ],
    ),
    (
        "supervisor.medical_association",
        ["Tuman tibbiyot birlashmasi", "Туман тиббиёт бирлашмаси", "Районное медицинское объединение", "District medical association"],
    ),
    (
        "supervisor.deputy_khokim",
        [
            "Tuman hokimining mahalla va oila masalalari bo‘yicha o‘rinbosari",
            "Туман ҳокимининг маҳалла ва оила масалалари бўйича ўринбосари",
            "Заместитель хокима района по вопросам махалли и семьи",
            "Deputy district khokim for mahalla and family",
        ],
    ),
    // Escalation.
    ("referral.escalated", ["Rahbariyatga yetkazildi", "Раҳбариятга етказилди", "Эскалирован", "Escalated"]),
    ("referral.action.escalate", ["Rahbariyatga yetkazish", "Раҳбариятга етказиш", "Эскалировать руководству", "Escalate to the supervisor"]),
    (
        "referral.escalation",
        [
            "{date} {by} tomonidan rahbariyatga yetkazildi: {to}",
            "{date} {by} томонидан раҳбариятга етказилди: {to}",
            "{date} {by} эскалировал руководству: {to}",
            "Escalated by {by} on {date} to {to}",
        ],
    ),
    (
        "referral.escalation_role",
        [
            "«{role}» so‘rovni rahbariyatga yetkaza olmaydi: buni inspektor yoki rahbar qiladi",
            "«{role}» сўровни раҳбариятга етказа олмайди: буни инспектор ёки раҳбар қилади",
            "«{role}» не может эскалировать запрос: это делает инспектор или руководитель",
            "{role} may not escalate a request: an inspector or a supervisor does",
        ],
    ),
    (
        "referral.already_escalated",
        ["So‘rov allaqachon rahbariyatga yetkazilgan", "Сўров аллақачон раҳбариятга етказилган", "Запрос уже эскалирован", "The request was already escalated"],
    ),
    (
        "referral.not_overdue",
        [
            "Faqat javob muddati o‘tgan so‘rov rahbariyatga yetkaziladi",
            "Фақат жавоб муддати ўтган сўров раҳбариятга етказилади",
            "Эскалировать можно только запрос с просроченным ответом",
            "Only a request whose answer is overdue can be escalated",
        ],
    ),
    ("worklist.kind.request_escalated", ["Rahbariyatga yetkazilgan so‘rov", "Раҳбариятга етказилган сўров", "Эскалированный запрос", "Escalated request"]),
];
