//! Sealing personal data before it reaches PostgreSQL: XChaCha20-Poly1305 with a random
//! 24-byte nonce per value and the value's place (table, key) as associated data, so a sealed
//! value moved to another row does not open.

use crate::error::{Error, Result};
use crate::security::DbKey;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;

const NONCE_LEN: usize = 24;

/// Seals and opens values with the hub's database key.
pub(super) struct Sealer {
    cipher: XChaCha20Poly1305,
}

impl Sealer {
    /// A sealer with `key` (from the hub's [`KeyProvider`](crate::KeyProvider)).
    pub(super) fn new(key: &DbKey) -> Sealer {
        Sealer { cipher: XChaCha20Poly1305::new(key.as_ref().into()) }
    }

    /// `plain` sealed for the place `aad`: nonce followed by ciphertext and tag.
    pub(super) fn seal(&self, aad: &[u8], plain: &[u8]) -> Result<Vec<u8>> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed =
            self.cipher.encrypt(XNonce::from_slice(&nonce), Payload { msg: plain, aad }).map_err(|_| Error::Corrupt("sealing a value failed".into()))?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens a value sealed for `aad`; an error when it was altered, moved or sealed with another key.
    pub(super) fn open(&self, aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>> {
        if sealed.len() < NONCE_LEN {
            return Err(Error::Corrupt("a sealed value is too short".into()));
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        self.cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad })
            .map_err(|_| Error::Corrupt("a sealed value does not open with this hub's key (altered, moved, or another key)".into()))
    }

    /// [`open`](Self::open) of UTF-8 text.
    pub(super) fn open_text(&self, aad: &[u8], sealed: &[u8]) -> Result<String> {
        String::from_utf8(self.open(aad, sealed)?).map_err(|_| Error::Corrupt("a sealed text is not UTF-8".into()))
    }
}
