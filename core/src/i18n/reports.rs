//! Catalog entries of effectiveness monitoring, the extended worklist, configurable risk
//! weights, incident trends and district reports. Same layout as the main catalog: uz-Latn,
//! uz-Cyrl, ru, en.

use super::Entry;

pub(super) const ENTRIES: &[Entry] = &[
    // Configurable risk weights.
    ("risk_weights.title", ["Xavf omillari vazni", "Хавф омиллари вазни", "Веса факторов риска", "Risk factor weights"]),
    (
        "risk_weights.hint",
        [
            "Xavf darajasi — shaxsning omillari vaznlari yig‘indisi (har biri 0 dan {max} gacha)",
            "Хавф даражаси — шахснинг омиллари вазнлари йиғиндиси (ҳар бири 0 дан {max} гача)",
            "Уровень риска — сумма весов факторов человека (каждый от 0 до {max})",
            "The risk score is the sum of the weights of a person's factors (each 0 to {max})",
        ],
    ),
    (
        "risk_weights.out_of_range",
        [
            "«{factor}» vazni 0 dan {max} gacha bo‘lishi kerak ({value} emas)",
            "«{factor}» вазни 0 дан {max} гача бўлиши керак ({value} эмас)",
            "Вес «{factor}» должен быть от 0 до {max} (а не {value})",
            "The weight of “{factor}” must be from 0 to {max} (not {value})",
        ],
    ),
    // Reports: shared.
    ("report.period", ["{from} – {to}", "{from} – {to}", "{from} – {to}", "{from} – {to}"]),
    ("report.total", ["Jami", "Жами", "Итого", "Total"]),
    ("field.period_from", ["Boshlanish sanasi", "Бошланиш санаси", "С", "From"]),
    ("field.period_to", ["Tugash sanasi", "Тугаш санаси", "По", "Until"]),
    // Effectiveness monitoring.
    ("effectiveness.title", ["Profilaktika samaradorligi", "Профилактика самарадорлиги", "Эффективность профилактики", "Prevention effectiveness"]),
    ("effectiveness.by_inspector", ["Inspektorlar bo‘yicha", "Инспекторлар бўйича", "По инспекторам", "By inspector"]),
    ("effectiveness.by_mahalla", ["Mahallalar bo‘yicha", "Маҳаллалар бўйича", "По махаллям", "By mahalla"]),
    ("effectiveness.name", ["Nomi", "Номи", "Наименование", "Name"]),
    (
        "effectiveness.empty",
        ["Bu davrda nazorat muddati kelmagan", "Бу даврда назорат муддати келмаган", "В этом периоде проверок не было", "No follow-up fell due in this period"],
    ),
    ("effectiveness.no_inspector", ["(inspektor ko‘rsatilmagan)", "(инспектор кўрсатилмаган)", "(инспектор не указан)", "(no inspector)"]),
    ("effectiveness.due", ["Muddati kelgan", "Муддати келган", "Назначено", "Due"]),
    ("effectiveness.done", ["O‘tkazilgan", "Ўтказилган", "Проведено", "Done"]),
    ("effectiveness.overdue", ["Kechikkan", "Кечиккан", "Просрочено", "Overdue"]),
    ("effectiveness.done_on_time", ["O‘z vaqtida", "Ўз вақтида", "В срок", "On time"]),
    ("effectiveness.on_time_percent", ["O‘z vaqtida, %", "Ўз вақтида, %", "В срок, %", "On time, %"]),
    ("effectiveness.reoffended_persons", ["Takroran sodir etganlar", "Такроран содир этганлар", "Совершили повторно (лиц)", "Re-offended persons"]),
    ("effectiveness.reoffences", ["Takroriy huquqbuzarliklar", "Такрорий ҳуқуқбузарликлар", "Повторных правонарушений", "Re-offences"]),
    (
        "effectiveness.with_activity",
        [
            "Band (o‘qish, ish, to‘garak, ko‘ngillilik)",
            "Банд (ўқиш, иш, тўгарак, кўнгиллилик)",
            "Заняты (учёба, работа, кружок, волонтёрство)",
            "Busy (study, work, club, volunteering)",
        ],
    ),
    ("effectiveness.activity_percent", ["Band, %", "Банд, %", "Заняты, %", "Busy, %"]),
    ("effectiveness.legal_good", ["Huquqiy bilim: yaxshi", "Ҳуқуқий билим: яхши", "Правовые знания: хорошие", "Legal knowledge: good"]),
    ("effectiveness.legal_partial", ["Huquqiy bilim: qisman", "Ҳуқуқий билим: қисман", "Правовые знания: частичные", "Legal knowledge: partial"]),
    ("effectiveness.legal_low", ["Huquqiy bilim: past", "Ҳуқуқий билим: паст", "Правовые знания: низкие", "Legal knowledge: low"]),
    // Rising incidents.
    ("trends.title", ["Hodisalar o‘sishi", "Ҳодисалар ўсиши", "Рост происшествий", "Rising incidents"]),
    (
        "trends.window",
        [
            "So‘nggi {months} oy: {from} – {to}",
            "Сўнгги {months} ой: {from} – {to}",
            "Последние {months} мес.: {from} – {to}",
            "Last {months} months: {from} – {to}",
        ],
    ),
    (
        "trends.empty",
        ["Bu davrda hodisa qayd etilmagan", "Бу даврда ҳодиса қайд этилмаган", "За этот период происшествий не было", "No incident in this period"],
    ),
    (
        "trends.rising",
        [
            "O‘smoqda: so‘nggi 3 oyda {last} ta, undan oldingi 3 oyda {previous} ta; trend oyiga {slope}",
            "Ўсмоқда: сўнгги 3 ойда {last} та, ундан олдинги 3 ойда {previous} та; тренд ойига {slope}",
            "Рост: {last} за последние 3 мес. против {previous} за 3 мес. до них; тренд {slope} в месяц",
            "Rising: {last} in the last 3 months against {previous} in the 3 before; trend {slope} a month",
        ],
    ),
    (
        "trends.not_rising",
        [
            "O‘smayapti: so‘nggi 3 oyda {last} ta, undan oldingi 3 oyda {previous} ta; trend oyiga {slope}",
            "Ўсмаяпти: сўнгги 3 ойда {last} та, ундан олдинги 3 ойда {previous} та; тренд ойига {slope}",
            "Роста нет: {last} за последние 3 мес. против {previous} за 3 мес. до них; тренд {slope} в месяц",
            "Not rising: {last} in the last 3 months against {previous} in the 3 before; trend {slope} a month",
        ],
    ),
    ("trends.last_three", ["So‘nggi 3 oy", "Сўнгги 3 ой", "Последние 3 мес.", "Last 3 months"]),
    ("trends.previous_three", ["Oldingi 3 oy", "Олдинги 3 ой", "Предыдущие 3 мес.", "Previous 3 months"]),
    ("trends.slope", ["Trend (oyiga)", "Тренд (ойига)", "Тренд (в месяц)", "Trend (a month)"]),
    ("trends.rising_column", ["O‘smoqda", "Ўсмоқда", "Рост", "Rising"]),
    ("trends.reason", ["Izoh", "Изоҳ", "Пояснение", "Reason"]),
    ("field.months", ["Oylar soni", "Ойлар сони", "Число месяцев", "Number of months"]),
    // District report.
    ("report.district", ["Tuman hisoboti", "Туман ҳисоботи", "Отчёт по району", "District report"]),
    ("report.month", ["Oy", "Ой", "Месяц", "Month"]),
    ("report.count", ["Soni", "Сони", "Количество", "Count"]),
    (
        "report.conversations",
        [
            "Profilaktik suhbatlar turi va oylar bo‘yicha",
            "Профилактик суҳбатлар тури ва ойлар бўйича",
            "Профилактические беседы по видам и месяцам",
            "Conversations by kind and month",
        ],
    ),
    (
        "report.cases",
        [
            "Ota-onalar bilan ishlash: SARA bosqichlari",
            "Ота-оналар билан ишлаш: SARA босқичлари",
            "Работа с родителями: этапы SARA",
            "Parent cases by SARA stage",
        ],
    ),
    (
        "report.referrals",
        [
            "Hamkorlik so‘rovlari: javob muddatlari",
            "Ҳамкорлик сўровлари: жавоб муддатлари",
            "Запросы о взаимодействии: сроки ответа",
            "Cooperation requests: turnaround",
        ],
    ),
    ("report.sent", ["Yuborilgan", "Юборилган", "Отправлено", "Sent"]),
    ("report.answered", ["Javob berilgan", "Жавоб берилган", "Дан ответ", "Answered"]),
    ("report.median_days", ["Javobgacha kunlar (mediana)", "Жавобгача кунлар (медиана)", "Дней до ответа (медиана)", "Median days to answer"]),
    (
        "report.applications",
        ["Arizalar kitoblar va holat bo‘yicha", "Аризалар китоблар ва ҳолат бўйича", "Заявления по книгам и статусу", "Applications by book and status"],
    ),
    ("report.registered", ["Ro‘yxatga olingan", "Рўйхатга олинган", "Зарегистрировано", "Registered"]),
    ("report.open", ["Ko‘rib chiqilmoqda", "Кўриб чиқилмоқда", "На рассмотрении", "Open"]),
    (
        "report.follow_ups",
        ["Nazorat natijalari bosqichlar bo‘yicha", "Назорат натижалари босқичлар бўйича", "Итоги проверок по срокам", "Follow-up outcomes by milestone"],
    ),
    (
        "report.book_shares",
        [
            "Arizalarning kitoblar bo‘yicha ulushi, yillar kesimida",
            "Аризаларнинг китоблар бўйича улуши, йиллар кесимида",
            "Доля заявлений по книгам учёта, по годам",
            "Share of applications per book, by year",
        ],
    ),
    (
        "report.referral_shares",
        [
            "Hamkorlik so‘rovlarining xizmatlar bo‘yicha ulushi",
            "Ҳамкорлик сўровларининг хизматлар бўйича улуши",
            "Доля запросов о взаимодействии по службам",
            "Share of cooperation requests per service",
        ],
    ),
    ("report.year", ["Yil", "Йил", "Год", "Year"]),
    ("report.share", ["Ulushi, %", "Улуши, %", "Доля, %", "Share, %"]),
    ("report.milestone", ["Nazorat bosqichi", "Назорат босқичи", "Срок проверки", "Milestone"]),
    // Worklist: effectiveness checks, cooperation requests, applications.
    ("worklist.kind.effectiveness_check", ["Samaradorlik nazorati", "Самарадорлик назорати", "Проверка эффективности", "Effectiveness check"]),
    ("worklist.kind.request_to_answer", ["Javob kutilayotgan so‘rov", "Жавоб кутилаётган сўров", "Запрос ждёт ответа", "Request to answer"]),
    ("worklist.kind.request_overdue", ["So‘rovga javob kechikdi", "Сўровга жавоб кечикди", "Ответ на запрос просрочен", "Request overdue"]),
    ("worklist.kind.request_to_close", ["Yopilishi kerak bo‘lgan so‘rov", "Ёпилиши керак бўлган сўров", "Запрос ждёт закрытия", "Request to close"]),
    ("worklist.kind.application_deadline", ["Ariza muddati", "Ариза муддати", "Срок по заявлению", "Application deadline"]),
    (
        "worklist.check",
        [
            "{milestone}: {date} dagi suhbat, {place}",
            "{milestone}: {date} даги суҳбат, {place}",
            "{milestone}: беседа {date}, {place}",
            "{milestone}: conversation of {date}, {place}",
        ],
    ),
    ("worklist.request", ["{to} · {state}: {reason}", "{to} · {state}: {reason}", "{to} · {state}: {reason}", "{to} · {state}: {reason}"]),
    ("worklist.request_answered", ["{state} ({date}): {note}", "{state} ({date}): {note}", "{state} ({date}): {note}", "{state} ({date}): {note}"]),
    ("worklist.application", ["{book}: {summary}", "{book}: {summary}", "{book}: {summary}", "{book}: {summary}"]),
    // The district at a glance (the console's district page) and the records behind a figure.
    ("district.rising", ["O‘sayotgan hodisali mahallalar", "Ўсаётган ҳодисали маҳаллалар", "Махалли с ростом происшествий", "Rising-incident mahallas"]),
    (
        "district.conflicts",
        [
            "Qaror kutayotgan ochiq ziddiyatlar",
            "Қарор кутаётган очиқ зиддиятлар",
            "Открытые конфликты, ждущие решения",
            "Open conflicts waiting for a decision",
        ],
    ),
    ("district.open_conflicts", ["Ochiq ziddiyatlar", "Очиқ зиддиятлар", "Открытые конфликты", "Open conflicts"]),
    (
        "district.overdue_visits",
        [
            "Inspektorlar bo‘yicha kechikkan tashriflar",
            "Инспекторлар бўйича кечиккан ташрифлар",
            "Просроченные посещения по инспекторам",
            "Overdue visits per inspector",
        ],
    ),
    ("district.visits", ["Kechikkan tashriflar", "Кечиккан ташрифлар", "Просроченные посещения", "Overdue visits"]),
    ("district.due", ["Muddati {date} · {what}", "Муддати {date} · {what}", "Срок {date} · {what}", "Due {date} · {what}"]),
    ("district.incidents", ["{date}: {count} ta hodisa", "{date}: {count} та ҳодиса", "{date}: происшествий: {count}", "{date}: {count} incident(s)"]),
    ("district.record", ["Yozuv", "Ёзув", "Запись", "Record"]),
    ("district.kind", ["Turi", "Тури", "Вид", "Kind"]),
    ("district.detail", ["Nima uchun", "Нима учун", "Почему", "Why"]),
    (
        "district.no_records",
        ["Bu ko‘rsatkich ortida yozuv yo‘q", "Бу кўрсаткич ортида ёзув йўқ", "За этим показателем нет записей", "No records behind this figure"],
    ),
];
