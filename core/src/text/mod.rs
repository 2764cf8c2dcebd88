//! Text helpers: Uzbek Latin ↔ Cyrillic transliteration and script-insensitive search keys.

mod translit;

pub(crate) use translit::APOSTROPHES;
pub use translit::{cyrl_to_latn, latn_to_cyrl, name_key, search_key};
