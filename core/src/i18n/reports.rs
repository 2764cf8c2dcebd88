//! Catalog entries of effectiveness monitoring, the extended worklist, configurable risk
//! weights, incident trends and district reports. Same layout as the main catalog: uz-Latn,
//! uz-Cyrl, ru, en.

use super::Entry;

pub(super) const ENTRIES: &[Entry] = &[
    // Configurable risk weights.
    ("risk_weights.title", ["Xavf omillari vazni", "Хавф омиллари вазни", "Веса факторов риска", "Risk factor weights"]),
    ("risk_weights.hint", [
        "Xavf darajasi — shaxsning omillari vaznlari yig‘indisi (har biri 0 dan {max} gacha)",
        "Хавф даражаси — шахснинг омиллари вазнлари йиғиндиси (ҳар бири 0 дан {max} гача)",
        "Уровень риска — сумма весов факторов человека (каждый от 0 до {max})",
        "The risk score is the sum of the weights of a person's factors (each 0 to {max})",
    ]),
    ("risk_weights.out_of_range", [
        "«{factor}» vazni 0 dan {max} gacha bo‘lishi kerak ({value} emas)",
        "«{factor}» вазни 0 дан {max} гача бўлиши керак ({value} эмас)",
        "Вес «{factor}» должен быть от 0 до {max} (а не {value})",
        "The weight of “{factor}” must be from 0 to {max} (not {value})",
    ]),
];
