//! Catalog entries of attached files: the rules on attaching them, and their labels on record
//! screens and in the sync status. Same layout as the main catalog: uz-Latn, uz-Cyrl, ru, en.

use super::Entry;

pub(super) const ENTRIES: &[Entry] = &[
    ("field.attachments", ["Ilova qilingan fayllar", "Илова қилинган файллар", "Вложения", "Attachments"]),
    ("field.caption", ["Izoh", "Изоҳ", "Подпись", "Caption"]),
    (
        "validation.too_many_attachments",
        [
            "{field}: ko‘pi bilan {max} ta fayl ilova qilinadi ({count})",
            "{field}: кўпи билан {max} та файл илова қилинади ({count})",
            "«{field}»: можно приложить не более {max} файлов ({count})",
            "{field}: at most {max} files can be attached ({count})",
        ],
    ),
    (
        "validation.attachments_too_large",
        [
            "{field}: fayllar birgalikda ko‘pi bilan {max} bo‘lishi mumkin ({size})",
            "{field}: файллар биргаликда кўпи билан {max} бўлиши мумкин ({size})",
            "«{field}»: все файлы вместе — не более {max} ({size})",
            "{field}: the files together may hold at most {max} ({size})",
        ],
    ),
    (
        "validation.attachment_size",
        [
            "{field}: fayl ko‘pi bilan {max} bo‘lishi mumkin ({size})",
            "{field}: файл кўпи билан {max} бўлиши мумкин ({size})",
            "«{field}»: файл не больше {max} ({size})",
            "{field}: a file may hold at most {max} ({size})",
        ],
    ),
    (
        "validation.attachment_type",
        [
            "{field}: {value} turidagi fayllarni ilova qilib bo‘lmaydi (rasm JPEG/PNG, audio, PDF)",
            "{field}: {value} туридаги файлларни илова қилиб бўлмайди (расм JPEG/PNG, аудио, PDF)",
            "«{field}»: файлы типа {value} приложить нельзя (фото JPEG/PNG, аудио, PDF)",
            "{field}: files of type {value} cannot be attached (JPEG/PNG images, audio, PDF)",
        ],
    ),
    (
        "validation.attachment_unreadable",
        [
            "{field}: fayl o‘qilmadi ({value})",
            "{field}: файл ўқилмади ({value})",
            "«{field}»: файл не читается ({value})",
            "{field}: the file cannot be read ({value})",
        ],
    ),
    (
        "validation.attachment_hash",
        ["{field}: fayl havolasi noto‘g‘ri", "{field}: файл ҳаволаси нотўғри", "«{field}»: неверная ссылка на файл", "{field}: not a valid file reference"],
    ),
    ("attachment_kind.photo", ["Surat", "Сурат", "Фото", "Photo"]),
    ("attachment_kind.signature", ["Imzo", "Имзо", "Подпись", "Signature"]),
    ("attachment_kind.audio", ["Ovozli yozuv", "Овозли ёзув", "Аудиозапись", "Audio note"]),
    ("attachment_kind.document", ["Hujjat", "Ҳужжат", "Документ", "Document"]),
    ("screen.files", ["Fayllar", "Файллар", "Файлы", "Files"]),
    ("files.empty", ["Ilova qilingan fayl yo‘q", "Илова қилинган файл йўқ", "Вложений нет", "No files attached"]),
    ("attachment.here", ["Qurilmada", "Қурилмада", "На устройстве", "On this device"]),
    ("attachment.not_here", ["Ochilganda yuklanadi", "Очилганда юкланади", "Загрузится при открытии", "Downloads when opened"]),
    ("attachment.not_uploaded", ["Hali yuborilmagan", "Ҳали юборилмаган", "Ещё не отправлено", "Not sent yet"]),
    ("attachment.pinned", ["Oflayn uchun saqlangan", "Офлайн учун сақланган", "Сохранено для офлайн", "Kept for offline use"]),
    ("sync.files_unsent", ["Yuborilmagan fayllar: {count}", "Юборилмаган файллар: {count}", "Не отправлено файлов: {count}", "Files not sent yet: {count}"]),
    (
        "sync.files",
        [
            "Fayllar: {done}/{total}, {bytes_done} / {bytes_total}",
            "Файллар: {done}/{total}, {bytes_done} / {bytes_total}",
            "Файлы: {done}/{total}, {bytes_done} / {bytes_total}",
            "Files: {done}/{total}, {bytes_done} / {bytes_total}",
        ],
    ),
];
