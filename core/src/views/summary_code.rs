//! A phone's summary as a QR code, so two phones without a hub exchange only what one lacks:
//! the receiving phone shows the code of what it holds (`suhbat-summary:` and the summary in
//! base64url); the sending phone reads it (the camera app opens the link, or the text is
//! pasted) and saves a bundle of exactly the changes the other phone lacks.

use super::labels::{invalid, text};
use super::ViewContext;
use crate::error::{Error, Result};
use crate::store::{Store, Summary};
use base64::Engine;
use qrcode::{Color, EcLevel, QrCode};

view_types! { $ summary_code_view_types;

    /// This phone's summary as a QR code, for the phone that will send it its changes.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct SummaryCode {
        /// What to do with the code, in one sentence.
        pub explanation: String,
        /// The code's text (`suhbat-summary:…`); it also works as a link or pasted.
        pub text: String,
        /// Modules per side.
        pub size: u32,
        /// The modules row by row (`size × size`), `true` for dark.
        pub dark: Vec<bool>,
    }
}

/// How a summary code's text begins.
pub const SUMMARY_SCHEME: &str = "suhbat-summary:";

/// The summary of what this store holds, as a QR code. A store whose summary is too large for
/// one code is told to exchange whole bundles instead (a translated error).
pub fn summary_code(store: &Store, ctx: &ViewContext) -> Result<SummaryCode> {
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(store.summary()?.encode());
    let text_of_code = format!("{SUMMARY_SCHEME}{encoded}");
    let code = QrCode::with_error_correction_level(text_of_code.as_bytes(), EcLevel::L).map_err(|_| too_large(text_of_code.len()))?;
    let size = code.width();
    Ok(SummaryCode {
        explanation: text(ctx.locale, "exchange.code_explain"),
        text: text_of_code,
        size: u32::try_from(size).unwrap_or(u32::MAX),
        dark: code.to_colors().into_iter().map(|c| c == Color::Dark).collect(),
    })
}

/// Reads another phone's summary from its code's text (leading and trailing blanks ignored);
/// anything else is a translated error, never a panic.
pub fn summary_from_code(code: &str) -> Result<Summary> {
    let unreadable = || invalid("summary_code", "exchange.code_unreadable", code.chars().take(40).collect::<String>().as_str());
    let payload = code.trim().strip_prefix(SUMMARY_SCHEME).ok_or_else(unreadable)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).map_err(|_| unreadable())?;
    Summary::decode(&bytes).map_err(|_| unreadable())
}

fn too_large(bytes: usize) -> Error {
    super::labels::invalid_with("summary_code", "exchange.code_too_large", vec![("bytes", bytes.to_string())])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::{DeviceProfile, Role};
    use crate::i18n::Locale;
    use crate::sample::SampleData;
    use crate::security::MemoryKeyProvider;

    fn phone(dir: &std::path::Path, name: &str, keys: &MemoryKeyProvider) -> Store {
        let profile = DeviceProfile { person: name.into(), role: Role::Inspector, scopes: vec!["Navbahor".into()] };
        Store::create(dir.join(format!("{name}.db")), keys, profile).unwrap()
    }

    /// Reads the modules back the way a camera would, with a real QR decoder.
    fn scan(code: &SummaryCode) -> String {
        let size = code.size as usize;
        let quiet = 4;
        let side = size + 2 * quiet;
        let mut image = rqrr::PreparedImage::prepare_from_bitmap(side * 4, side * 4, |x, y| {
            let (col, row) = ((x / 4).checked_sub(quiet), (y / 4).checked_sub(quiet));
            matches!((col, row), (Some(c), Some(r)) if c < size && r < size && code.dark[r * size + c])
        });
        let grids = image.detect_grids();
        grids.first().expect("a QR code in the picture").decode().expect("the code decodes").1
    }

    #[test]
    fn a_phone_read_from_the_others_code_sends_only_what_that_phone_lacks() {
        let dir = tempfile::tempdir().unwrap();
        let keys = MemoryKeyProvider::new();
        let (mut aziz, mut bobur) = (phone(dir.path(), "aziz", &keys), phone(dir.path(), "bobur", &keys));
        let mut data = SampleData::new(41);
        let shared = data.person("Navbahor", 2026);
        aziz.put(&shared).unwrap();
        bobur.import_bundle(&aziz.export_bundle(None).unwrap()).unwrap();
        let new = data.person("Navbahor", 2026);
        aziz.put(&new).unwrap();

        let ctx = ViewContext::new(Locale::En);
        let code = summary_code(&bobur, &ctx).unwrap();
        assert_eq!(code.dark.len(), (code.size * code.size) as usize);
        let scanned = scan(&code);
        assert_eq!(scanned, code.text, "a camera reads the code's text back");
        let since = summary_from_code(&scanned).unwrap();
        let delta = aziz.export_bundle(Some(&since)).unwrap();
        assert!(delta.len() < aziz.export_bundle(None).unwrap().len(), "only what Bobur lacks is sent");
        let report = bobur.import_bundle(&delta).unwrap();
        assert_eq!(report.records_changed, 1);
        assert_eq!(bobur.get::<crate::model::Person>(&new.id).unwrap().record.id, new.id);
    }

    #[test]
    fn text_that_is_not_a_summary_code_is_a_translated_error() {
        for bad in ["", "suhbat-enrol:?hub=x", "suhbat-summary:", "suhbat-summary:!!!", "suhbat-summary:AAAA"] {
            let Err(Error::Invalid(errors)) = summary_from_code(bad) else { panic!("{bad:?} was read, or not refused as invalid") };
            let shown = errors.messages(Locale::Ru).join("\n");
            assert!(shown.starts_with("Не удалось прочитать код"), "{bad:?}: {shown}");
        }
    }
}
