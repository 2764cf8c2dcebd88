//! Device identity: an Ed25519 key pair per install. The secret key lives in the encrypted
//! store; the public key is registered with the hub at enrolment.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use zeroize::Zeroizing;

/// Domain separation for change signatures.
const CHANGE_CONTEXT: &[u8] = b"suhbat-change-v1";

/// The signing key of this device.
pub struct DeviceKey(SigningKey);

impl DeviceKey {
    /// A fresh random key.
    pub fn generate() -> Self {
        DeviceKey(SigningKey::generate(&mut rand::rngs::OsRng))
    }

    /// The key from its 32 secret bytes; `None` if they are not 32 bytes.
    pub fn from_secret(bytes: &[u8]) -> Option<Self> {
        let array: [u8; 32] = bytes.try_into().ok()?;
        Some(DeviceKey(SigningKey::from_bytes(&array)))
    }

    /// The secret bytes (wiped when dropped).
    pub fn secret(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// The public key.
    pub fn public(&self) -> [u8; 32] {
        self.0.verifying_key().to_bytes()
    }

    /// Signs a message.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message).to_bytes()
    }

    /// Signs an Automerge change hash, binding the change to this device.
    pub fn sign_change(&self, hash: &[u8; 32]) -> [u8; 64] {
        self.sign(&change_message(hash))
    }
}

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DeviceKey(public {})", hex::encode(self.public()))
    }
}

fn change_message(hash: &[u8; 32]) -> Vec<u8> {
    [CHANGE_CONTEXT, hash.as_slice()].concat()
}

/// True when `signature` is a valid signature of `message` by `public_key`.
pub fn verify(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    let Ok(key_bytes) = <[u8; 32]>::try_from(public_key) else { return false };
    let Ok(key) = VerifyingKey::from_bytes(&key_bytes) else { return false };
    let Ok(sig) = Signature::from_slice(signature) else { return false };
    key.verify_strict(message, &sig).is_ok()
}

/// True when `signature` signs the change `hash` with `public_key`.
pub fn verify_change(public_key: &[u8], hash: &[u8; 32], signature: &[u8]) -> bool {
    verify(public_key, &change_message(hash), signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_with_the_right_key_and_message() {
        let key = DeviceKey::generate();
        let other = DeviceKey::generate();
        let sig = key.sign(b"hello");
        assert!(verify(&key.public(), b"hello", &sig));
        assert!(!verify(&other.public(), b"hello", &sig));
        assert!(!verify(&key.public(), b"hellO", &sig));
        assert!(!verify(&key.public()[..31], b"hello", &sig));
        assert!(!verify(&key.public(), b"hello", &sig[..63]));
        let restored = DeviceKey::from_secret(key.secret().as_ref()).unwrap();
        assert_eq!(restored.public(), key.public());
        let hash = [7u8; 32];
        assert!(verify_change(&key.public(), &hash, &key.sign_change(&hash)));
        assert!(!verify(&key.public(), &hash, &key.sign_change(&hash)), "change signatures are domain-separated");
        assert!(!format!("{key:?}").contains(&hex::encode(key.secret().as_ref())));
    }
}
