//! Text helpers: Uzbek Latin ↔ Cyrillic transliteration, script-insensitive search keys, and
//! the loose key of names however officers spell them.

mod names;
mod translit;

pub use names::{sound_key, within_one_edit};
pub(crate) use translit::APOSTROPHES;
pub use translit::{cyrl_to_latn, latn_to_cyrl, name_key, search_key};
