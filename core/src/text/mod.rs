//! Text helpers: Uzbek Latin ↔ Cyrillic transliteration and script-insensitive search keys.

mod translit;

pub use translit::{cyrl_to_latn, latn_to_cyrl, name_key, search_key};
pub(crate) use translit::APOSTROPHES;
