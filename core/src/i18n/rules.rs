//! Catalog entries of the rules on changing a stored record: SARA stage moves, closed cases and
//! referral stamps, with the labels the case screen shows for moving back. Same layout as the
//! main catalog: uz-Latn, uz-Cyrl, ru, en.

use super::Entry;

pub(super) const ENTRIES: &[Entry] = &[
    (
        "validation.stage_skip",
        [
            "{field}: ish bosqichlari birma-bir o‘tiladi, «{from}»dan «{to}»ga o‘tib bo‘lmaydi",
            "{field}: иш босқичлари бирма-бир ўтилади, «{from}»дан «{to}»га ўтиб бўлмайди",
            "«{field}»: этапы проходятся по одному, из «{from}» нельзя перейти в «{to}»",
            "{field}: a case moves one stage at a time, not from “{from}” to “{to}”",
        ],
    ),
    (
        "validation.stage_back_needs_reason",
        [
            "{field}: ishni «{from}»dan «{to}»ga qaytarish uchun sabab yozing",
            "{field}: ишни «{from}»дан «{to}»га қайтариш учун сабаб ёзинг",
            "«{field}»: чтобы вернуть дело из «{from}» в «{to}», укажите причину",
            "{field}: moving the case back from “{from}” to “{to}” needs a reason",
        ],
    ),
    (
        "validation.stage_unrecorded",
        [
            "{field}: «{from}»dan «{to}»ga o‘tish kim va qachon qilgani bilan yozilmagan",
            "{field}: «{from}»дан «{to}»га ўтиш ким ва қачон қилгани билан ёзилмаган",
            "«{field}»: переход из «{from}» в «{to}» не записан (кто и когда)",
            "{field}: the move from “{from}” to “{to}” is not recorded (who and when)",
        ],
    ),
    (
        "validation.stage_history_fixed",
        [
            "Yozib qo‘yilgan bosqich o‘zgarishini o‘zgartirib yoki o‘chirib bo‘lmaydi",
            "Ёзиб қўйилган босқич ўзгаришини ўзгартириб ёки ўчириб бўлмайди",
            "Записанный переход между этапами нельзя изменить или удалить",
            "A recorded change of stage cannot be altered or removed",
        ],
    ),
    (
        "validation.case_closed",
        [
            "Ish yopilgan: unda hech narsani o‘zgartirib bo‘lmaydi",
            "Иш ёпилган: унда ҳеч нарсани ўзгартириб бўлмайди",
            "Дело закрыто: изменить в нём ничего нельзя",
            "The case is closed: nothing in it can be changed",
        ],
    ),
    (
        "validation.stamp_fixed",
        [
            "«{step}» bosqichining tasdig‘i qo‘yilgan: uni o‘zgartirib yoki o‘chirib bo‘lmaydi",
            "«{step}» босқичининг тасдиғи қўйилган: уни ўзгартириб ёки ўчириб бўлмайди",
            "Отметка шага «{step}» уже поставлена: её нельзя изменить или удалить",
            "The step “{step}” is already stamped: its stamp cannot be changed or removed",
        ],
    ),
    (
        "validation.numbered_fixed",
        [
            "Ariza kitobda yakuniy raqam olgan: uning kitobi, yili va dastlabki raqamini o‘zgartirib bo‘lmaydi",
            "Ариза китобда якуний рақам олган: унинг китоби, йили ва дастлабки рақамини ўзгартириб бўлмайди",
            "Заявлению присвоен окончательный номер: его книгу, год и предварительный номер изменить нельзя",
            "The application has its final number: its book, year and provisional number cannot be changed",
        ],
    ),
    ("action.back_stage", ["Orqaga: {stage}", "Орқага: {stage}", "Вернуть на этап: {stage}", "Back to: {stage}"]),
    ("case.back_reason", ["Orqaga qaytarish sababi", "Орқага қайтариш сабаби", "Причина возврата", "Reason for moving back"]),
];
