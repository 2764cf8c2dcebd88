//! Catalog entries of the forms of every record kind: titles, sections, field labels and the
//! rules only a form checks. Same layout as the main catalog: uz-Latn, uz-Cyrl, ru, en.

use super::Entry;

pub(super) const ENTRIES: &[Entry] = &[
    ("screen.follow_up", ["Kuzatuv natijasi", "Кузатув натижаси", "Результат контроля", "Follow-up result"]),
    ("screen.case_new", ["Yangi ota-ona ishi", "Янги ота-она иши", "Новое дело родителей", "New parent case"]),
    ("screen.case_edit", ["Ota-ona ishini tahrirlash", "Ота-она ишини таҳрирлаш", "Изменить дело родителей", "Edit parent case"]),
    ("screen.task_new", ["Yangi topshiriq", "Янги топшириқ", "Новое поручение", "New task"]),
    ("screen.task_edit", ["Topshiriqni tahrirlash", "Топшириқни таҳрирлаш", "Изменить поручение", "Edit task"]),
    ("screen.referral_new", ["Yangi hamkorlik so‘rovi", "Янги ҳамкорлик сўрови", "Новый запрос о взаимодействии", "New cooperation request"]),
    ("screen.referral_edit", ["So‘rovni tahrirlash", "Сўровни таҳрирлаш", "Изменить запрос", "Edit request"]),
    ("screen.application_new", ["Arizani ro‘yxatga olish", "Аризани рўйхатга олиш", "Регистрация обращения", "Register an application"]),
    ("screen.application_edit", ["Arizani tahrirlash", "Аризани таҳрирлаш", "Изменить обращение", "Edit application"]),
    ("screen.decision", ["Ariza bo‘yicha qaror", "Ариза бўйича қарор", "Решение по обращению", "Decision on the application"]),
    ("screen.event_new", ["Yangi tadbir", "Янги тадбир", "Новое мероприятие", "New joint event"]),
    ("screen.event_edit", ["Tadbirni tahrirlash", "Тадбирни таҳрирлаш", "Изменить мероприятие", "Edit joint event"]),
    ("screen.attendance", ["Qatnashganlar", "Қатнашганлар", "Участники мероприятия", "Attendance"]),
    ("screen.parent_cases", ["Ota-ona ishlari", "Ота-она ишлари", "Дела родителей", "Parent cases"]),
    ("case.open_tasks", ["Ochiq topshiriqlar: {count}", "Очиқ топшириқлар: {count}", "Открытых поручений: {count}", "Open tasks: {count}"]),
    ("case.my_tasks", ["Mening topshiriqlarim", "Менинг топшириқларим", "Мои поручения", "My tasks"]),
    ("case.filter_any", ["Barchasi", "Барчаси", "Все", "Any"]),
    ("case.none", ["Ota-ona ishlari yo‘q", "Ота-она ишлари йўқ", "Дел родителей нет", "No parent cases"]),
    ("screen.exchange", ["Qurilmalar o‘rtasida almashish", "Қурилмалар ўртасида алмашиш", "Обмен между устройствами", "Device-to-device exchange"]),
    ("section.case", ["Ish", "Иш", "Дело", "Case"]),
    ("section.sara", ["SARA bosqichlari", "SARA босқичлари", "Этапы SARA", "SARA work"]),
    ("section.closing", ["Yakunlash", "Якунлаш", "Закрытие", "Closing"]),
    ("section.request", ["So‘rov", "Сўров", "Запрос", "Request"]),
    ("section.application", ["Ariza", "Ариза", "Обращение", "Application"]),
    ("section.event", ["Tadbir", "Тадбир", "Мероприятие", "Event"]),
    ("field.stage_reason", ["Orqaga qaytarish sababi", "Орқага қайтариш сабаби", "Причина возврата на этап", "Reason for moving back"]),
    ("field.activities", ["Bandligi", "Бандлиги", "Занятость", "Activities"]),
    ("field.reoffended", ["Takroran huquqbuzarlik qildi", "Такроран ҳуқуқбузарлик қилди", "Совершил повторное правонарушение", "Re-offended"]),
    ("field.applicant_address", ["Ariza beruvchining manzili", "Ариза берувчининг манзили", "Адрес заявителя", "Applicant's address"]),
    ("field.person_id", ["Hisobdagi shaxs", "Ҳисобдаги шахс", "Лицо на учёте", "Person on the register"]),
    ("field.case_id", ["Ota-ona ishi", "Ота-она иши", "Дело родителей", "Parent case"]),
    ("field.case_ids", ["Ota-ona ishlari", "Ота-она ишлари", "Дела родителей", "Parent cases"]),
    (
        "error.schema_too_new",
        [
            "Bu ma’lumotlarni ilovaning yangi versiyasi yozgan: ilovani yangilang",
            "Бу маълумотларни илованинг янги версияси ёзган: иловани янгиланг",
            "Эти данные записаны более новой версией приложения: обновите приложение",
            "These data were written by a newer version of the app: update the app",
        ],
    ),
    (
        "error.limit_exceeded",
        [
            "Chegara to‘ldi: bu yerga boshqa yozib bo‘lmaydi",
            "Чегара тўлди: бу ерга бошқа ёзиб бўлмайди",
            "Достигнут предел: сюда больше ничего не записать",
            "A limit is reached: nothing more can be written here",
        ],
    ),
    (
        "error.damaged_store",
        [
            "Qurilmadagi ma’lumotlar shikastlangan: markazdan qayta yuklab oling",
            "Қурилмадаги маълумотлар шикастланган: марказдан қайта юклаб олинг",
            "Данные на устройстве повреждены: загрузите их заново с базы",
            "The data on this device are damaged: load them again from the base point",
        ],
    ),
    (
        "validation.invalid_number",
        [
            "{field}: butun son emas ({value})",
            "{field}: бутун сон эмас ({value})",
            "«{field}»: не целое число ({value})",
            "{field}: not a whole number ({value})",
        ],
    ),
    (
        "validation.unknown_case",
        [
            "{field}: ota-ona ishi topilmadi ({value})",
            "{field}: ота-она иши топилмади ({value})",
            "«{field}»: дело не найдено ({value})",
            "{field}: no such parent case ({value})",
        ],
    ),
    (
        "validation.fixed_after_sending",
        [
            "{field} yuborilgandan keyin o‘zgartirilmaydi",
            "{field} юборилгандан кейин ўзгартирилмайди",
            "Поле «{field}» нельзя изменить после отправки",
            "{field} cannot change once the request is sent",
        ],
    ),
];
