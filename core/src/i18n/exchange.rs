//! Catalog entries of device-to-device exchange, report periods and the phone apps' own
//! controls (the enrolment invitation, network failures). Same layout as the main
//! catalog: uz-Latn, uz-Cyrl, ru, en.

use super::Entry;

pub(super) const ENTRIES: &[Entry] = &[
    (
        "exchange.explain",
        [
            "Markazga ulanib bo‘lmasa, o‘zgarishlarni faylga saqlab, boshqa telefonga yuboring yoki undan olingan faylni oching.",
            "Марказга уланиб бўлмаса, ўзгаришларни файлга сақлаб, бошқа телефонга юборинг ёки ундан олинган файлни очинг.",
            "Когда нет связи с центром, сохраните изменения в файл и отправьте его на другой телефон или откройте файл, полученный с него.",
            "When the hub cannot be reached, save your changes to a file and send it to another phone, or open a file received from one.",
        ],
    ),
    (
        "exchange.code_explain",
        [
            "Bu kodni sizga o‘z o‘zgarishlarini yuboradigan telefonga ko‘rsating: u faqat sizda yo‘q narsalarni yuboradi.",
            "Бу кодни сизга ўз ўзгаришларини юборадиган телефонга кўрсатинг: у фақат сизда йўқ нарсаларни юборади.",
            "Покажите этот код телефону, который отправит вам свои изменения: он отправит только то, чего у вас нет.",
            "Show this code to the phone that will send you its changes: it sends only what you lack.",
        ],
    ),
    (
        "exchange.code_unreadable",
        [
            "Kodni o‘qib bo‘lmadi: bu boshqa telefonning Suhbat kodi emas ({value}).",
            "Кодни ўқиб бўлмади: бу бошқа телефоннинг Suhbat коди эмас ({value}).",
            "Не удалось прочитать код: это не код Suhbat другого телефона ({value}).",
            "The code cannot be read: it is not another phone's Suhbat code ({value}).",
        ],
    ),
    (
        "exchange.code_too_large",
        [
            "Bu telefonda ma’lumot bitta kod uchun juda ko‘p ({bytes} bayt): butun faylni yuboring.",
            "Бу телефонда маълумот битта код учун жуда кўп ({bytes} байт): бутун файлни юборинг.",
            "На этом телефоне слишком много данных для одного кода ({bytes} байт): отправьте весь файл.",
            "This phone holds too much for one code ({bytes} bytes): send the whole file instead.",
        ],
    ),
    ("exchange.show_code", ["Mening kodim", "Менинг кодим", "Мой код", "My code"]),
    (
        "exchange.send_for_code",
        [
            "Kod bo‘yicha faylga saqlash va yuborish",
            "Код бўйича файлга сақлаш ва юбориш",
            "Сохранить по коду и отправить",
            "Save what the code lacks and share",
        ],
    ),
    ("exchange.export", ["Faylga saqlash va yuborish", "Файлга сақлаш ва юбориш", "Сохранить в файл и отправить", "Save to a file and share"]),
    ("exchange.receive", ["Olingan faylni ochish", "Олинган файлни очиш", "Открыть полученный файл", "Open a received file"]),
    ("exchange.report_title", ["Fayl qo‘shildi", "Файл қўшилди", "Файл объединён", "Bundle merged"]),
    ("exchange.docs_received", ["Olingan hujjatlar: {count}", "Олинган ҳужжатлар: {count}", "Получено документов: {count}", "Documents received: {count}"]),
    (
        "exchange.records_changed",
        [
            "Yaratilgan yoki o‘zgargan yozuvlar: {count}",
            "Яратилган ёки ўзгарган ёзувлар: {count}",
            "Создано или изменено записей: {count}",
            "Records created or changed: {count}",
        ],
    ),
    (
        "exchange.records_in_conflict",
        [
            "Hal qilinishi kerak bo‘lgan ziddiyatli yozuvlar: {count}",
            "Ҳал қилиниши керак бўлган зиддиятли ёзувлар: {count}",
            "Записей с конфликтами для решения: {count}",
            "Records with conflicts to resolve: {count}",
        ],
    ),
    (
        "exchange.docs_skipped",
        [
            "Bu telefon uchun emas, qo‘shilmadi: {count}",
            "Бу телефон учун эмас, қўшилмади: {count}",
            "Пропущено, не для этого телефона: {count}",
            "Left out, not for this phone: {count}",
        ],
    ),
    (
        "exchange.nothing_new",
        [
            "Yangi narsa yo‘q: bu telefonda hammasi bor edi",
            "Янги нарса йўқ: бу телефонда ҳаммаси бор эди",
            "Ничего нового: на этом телефоне всё уже было",
            "Nothing new: this phone already had all of it",
        ],
    ),
    ("period.this_month", ["Shu oy", "Шу ой", "Этот месяц", "This month"]),
    ("period.three_months", ["Oxirgi uch oy", "Охирги уч ой", "Последние три месяца", "Last three months"]),
    ("period.this_year", ["Shu yil", "Шу йил", "Этот год", "This year"]),
    ("risk_weights.default", ["Odatiy: {weight}", "Одатий: {weight}", "По умолчанию: {weight}", "Default: {weight}"]),
    ("kept_aside.enter_again", ["Qayta kiritish", "Қайта киритиш", "Внести заново", "Enter again"]),
    (
        "enrol.invite",
        [
            "Taklifnoma (QR kodni skanerlang yoki joylashtiring)",
            "Таклифнома (QR кодни сканерланг ёки жойлаштиринг)",
            "Приглашение (отсканируйте QR-код или вставьте)",
            "Invitation (scan the QR code or paste it)",
        ],
    ),
    (
        "enrol.invite_matches",
        [
            "Sertifikat taklifnomadagi barmoq iziga mos keladi",
            "Сертификат таклифномадаги бармоқ изига мос келади",
            "Сертификат совпадает с отпечатком из приглашения",
            "The certificate matches the invitation's fingerprint",
        ],
    ),
    (
        "error.invite",
        [
            "Bu Suhbat taklifnomasi emas: {why}",
            "Бу Суҳбат таклифномаси эмас: {why}",
            "Это не приглашение Suhbat: {why}",
            "This is not a Suhbat invitation: {why}",
        ],
    ),
    (
        "error.invite_ca_mismatch",
        [
            "Sertifikat taklifnomadagi barmoq iziga mos kelmaydi: ro‘yxatdan o‘tmang",
            "Сертификат таклифномадаги бармоқ изига мос келмайди: рўйхатдан ўтманг",
            "Сертификат не совпадает с отпечатком из приглашения: не регистрируйте устройство",
            "The certificate does not match the invitation's fingerprint: do not enrol",
        ],
    ),
    // Network failures the apps meet while carrying sync frames.
    ("error.hub_status", ["Markaz xato bilan javob berdi", "Марказ хато билан жавоб берди", "Центр ответил ошибкой", "The hub answered with an error"]),
    ("error.hub_empty", ["Markaz bo‘sh javob yubordi", "Марказ бўш жавоб юборди", "Центр прислал пустой ответ", "The hub sent an empty answer"]),
    (
        "error.sync_unfinished",
        [
            "Sinxronlash oxiriga yetmadi; keyingisi davom ettiradi",
            "Синхронлаш охирига етмади; кейингиси давом эттиради",
            "Синхронизация не завершилась; следующая продолжит",
            "The sync did not finish; the next one carries on",
        ],
    ),
];
