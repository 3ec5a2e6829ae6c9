//! API keys: how they are made, stored and checked.
//!
//! A key is `rck_` followed by 64 hex digits: 32 bytes from the operating system's
//! random source. Only its SHA-256 is stored. A request's key is hashed and looked up by
//! that hash; the stored hash is then compared with the computed one in constant time.
//! The lookup itself only ever sees a hash, which tells an attacker nothing about any key.
//!
//! A key is never logged and never echoed: problems say *that* a key was refused, not
//! which.

use axum::http::{HeaderMap, header};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::problem::AppError;
use crate::store::{KeyRow, Role, Store};

/// The prefix of every key, so a leaked key is recognisable in a secret scanner.
pub const KEY_PREFIX: &str = "rck_";

/// A new random key.
///
/// # Errors
///
/// When the operating system's random source fails.
pub fn generate_key() -> Result<String, String> {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("no random bytes: {e}"))?;
    Ok(format!("{KEY_PREFIX}{}", hex::encode(bytes)))
}

/// The SHA-256 of a key, hex: what the store keeps.
#[must_use]
pub fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// The bearer token of a request, if it sent one.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Checks a request's `Authorization: Bearer KEY` against the store and the role the
/// route needs. Returns the key's record.
///
/// # Errors
///
/// [`AppError::Unauthorized`] (401) for a missing, unknown or revoked key,
/// [`AppError::Forbidden`] (403) for a key of another role, and
/// [`AppError::StoreUnavailable`] (503) when the store cannot answer.
pub async fn authorize(store: &Store, headers: &HeaderMap, role: Role) -> Result<KeyRow, AppError> {
    let Some(key) = bearer(headers) else {
        return Err(AppError::Unauthorized(
            "this endpoint needs an API key: send `Authorization: Bearer KEY`".to_owned(),
        ));
    };
    let hash = hash_key(key);
    let refused = || {
        AppError::Unauthorized(
            "the API key was not recognised or has been revoked; create one with \
             `ratecard-server keys create`"
                .to_owned(),
        )
    };
    let Some(row) = store.key_by_hash(&hash).await? else {
        return Err(refused());
    };
    if !bool::from(row.key_hash.as_bytes().ct_eq(hash.as_bytes())) || row.revoked_at.is_some() {
        return Err(refused());
    }
    if row.role != role {
        return Err(AppError::Forbidden(format!(
            "the key `{}` has the role `{}`; this endpoint needs a `{}` key",
            row.name,
            row.role.as_str(),
            role.as_str()
        )));
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn keys_are_long_random_and_distinct() {
        let a = generate_key().expect("key");
        let b = generate_key().expect("key");
        assert_ne!(a, b);
        assert_eq!(a.len(), KEY_PREFIX.len() + 64);
        assert!(a.starts_with(KEY_PREFIX));
        assert!(a[KEY_PREFIX.len()..].chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn only_the_hash_is_kept() {
        let key = "rck_0000";
        let hash = hash_key(key);
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains("rck_"));
        assert_eq!(hash, hash_key(key));
        assert_ne!(hash, hash_key("rck_0001"));
    }

    #[test]
    fn the_bearer_scheme_is_read_without_case() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer(&h), None);
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer  rck_1 "),
        );
        assert_eq!(bearer(&h), Some("rck_1"));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("bearer rck_2"),
        );
        assert_eq!(bearer(&h), Some("rck_2"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer(&h), None);
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer "));
        assert_eq!(bearer(&h), None);
    }
}
