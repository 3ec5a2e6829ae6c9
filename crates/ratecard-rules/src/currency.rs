//! ISO 4217 currencies and their minor-unit exponents (R-MONEY-1).
//!
//! The parsing of a code, which can fail with a [`RuleError`](crate::RuleError), lives in
//! `money.rs`, so this module imports nothing of the crate and `error.rs` can name a
//! currency without an import circle.

use core::fmt;

use serde::{Deserialize, Serialize};

/// An ISO 4217 currency that ratecard knows the minor-unit exponent of (R-MONEY-1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Currency {
    /// Australian dollar, 2 decimals.
    Aud,
    /// Bahraini dinar, 3 decimals.
    Bhd,
    /// Canadian dollar, 2 decimals.
    Cad,
    /// Swiss franc, 2 decimals.
    Chf,
    /// Euro, 2 decimals.
    Eur,
    /// Pound sterling, 2 decimals.
    Gbp,
    /// Japanese yen, no decimals.
    Jpy,
    /// South Korean won, no decimals.
    Krw,
    /// Kuwaiti dinar, 3 decimals.
    Kwd,
    /// United States dollar, 2 decimals.
    Usd,
}

impl Currency {
    /// Every supported currency, in code order.
    pub const ALL: [Currency; 10] = [
        Currency::Aud,
        Currency::Bhd,
        Currency::Cad,
        Currency::Chf,
        Currency::Eur,
        Currency::Gbp,
        Currency::Jpy,
        Currency::Krw,
        Currency::Kwd,
        Currency::Usd,
    ];

    /// The three-letter ISO 4217 code.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Currency;
    /// assert_eq!(Currency::Bhd.code(), "BHD");
    /// ```
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Currency::Aud => "AUD",
            Currency::Bhd => "BHD",
            Currency::Cad => "CAD",
            Currency::Chf => "CHF",
            Currency::Eur => "EUR",
            Currency::Gbp => "GBP",
            Currency::Jpy => "JPY",
            Currency::Krw => "KRW",
            Currency::Kwd => "KWD",
            Currency::Usd => "USD",
        }
    }

    /// The number of decimal places of the minor unit (R-MONEY-1).
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Currency;
    /// assert_eq!(Currency::Jpy.exponent(), 0);
    /// assert_eq!(Currency::Usd.exponent(), 2);
    /// assert_eq!(Currency::Kwd.exponent(), 3);
    /// ```
    #[must_use]
    pub const fn exponent(self) -> u32 {
        match self {
            Currency::Jpy | Currency::Krw => 0,
            Currency::Bhd | Currency::Kwd => 3,
            Currency::Aud
            | Currency::Cad
            | Currency::Chf
            | Currency::Eur
            | Currency::Gbp
            | Currency::Usd => 2,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl From<Currency> for String {
    fn from(value: Currency) -> Self {
        value.code().to_owned()
    }
}
