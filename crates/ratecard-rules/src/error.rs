//! The one error type of the rules engine.

use core::fmt;

use crate::currency::Currency;

/// Everything that can go wrong in a calculation or while loading a catalogue.
///
/// Each variant has a stable [`RuleError::code`], which the server turns into a problem
/// `type` URI, so adding a variant forces every shell to decide how to report it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleError {
    /// A currency code that is not in ISO 4217 as ratecard knows it.
    UnknownCurrency {
        /// The code as given.
        code: String,
    },
    /// Two amounts of different currencies were combined.
    CurrencyMismatch {
        /// The currency of the left operand.
        expected: Currency,
        /// The currency of the right operand.
        actual: Currency,
    },
    /// Arithmetic that would overflow (R-MONEY-4).
    Overflow {
        /// What was being computed.
        what: &'static str,
    },
    /// A fraction with a zero denominator or a negative part.
    InvalidFraction {
        /// The numerator as given.
        numerator: i128,
        /// The denominator as given.
        denominator: i128,
    },
    /// A catalogue that fails to parse or to validate.
    InvalidCatalogue {
        /// Where the catalogue came from: a file name, a URL or `request`.
        source: String,
        /// The field at fault, as a dotted path such as `plans[2].licence`.
        field: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A catalogue id that is not known.
    UnknownCatalogue {
        /// The id as given.
        id: String,
        /// The ids that are known.
        valid: Vec<String>,
    },
    /// An id (plan, model, licence, time zone …) that the catalogue does not define.
    UnknownId {
        /// What kind of id, such as `plan` or `model`.
        kind: &'static str,
        /// The id as given.
        id: String,
        /// The ids that are valid.
        valid: Vec<String>,
    },
    /// A well-formed request that cannot be computed, such as an instant before the
    /// subscription started.
    Impossible {
        /// What is impossible, as a sentence fragment without a trailing period.
        detail: String,
    },
}

impl RuleError {
    /// A stable, kebab-case code for the kind of error, used in problem `type` URIs.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::RuleError;
    /// let e = RuleError::Overflow { what: "adding amounts" };
    /// assert_eq!(e.code(), "overflow");
    /// ```
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            RuleError::UnknownCurrency { .. } => "unknown-currency",
            RuleError::CurrencyMismatch { .. } => "currency-mismatch",
            RuleError::Overflow { .. } => "overflow",
            RuleError::InvalidFraction { .. } => "invalid-fraction",
            RuleError::InvalidCatalogue { .. } => "invalid-catalogue",
            RuleError::UnknownCatalogue { .. } => "unknown-catalogue",
            RuleError::UnknownId { .. } => "unknown-id",
            RuleError::Impossible { .. } => "impossible",
        }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleError::UnknownCurrency { code } => {
                let valid: Vec<&str> = Currency::ALL.iter().map(|c| c.code()).collect();
                write!(
                    f,
                    "unknown currency `{code}`; valid currencies: {}",
                    valid.join(", ")
                )
            }
            RuleError::CurrencyMismatch { expected, actual } => {
                write!(f, "cannot combine {expected} with {actual}")
            }
            RuleError::Overflow { what } => write!(f, "overflow while {what}"),
            RuleError::InvalidFraction {
                numerator,
                denominator,
            } => write!(f, "invalid fraction {numerator}/{denominator}"),
            RuleError::InvalidCatalogue {
                source,
                field,
                problem,
            } => write!(f, "{source}: `{field}`: {problem}"),
            RuleError::UnknownCatalogue { id, valid } => write!(
                f,
                "unknown catalogue `{id}`; valid catalogues: {}",
                valid.join(", ")
            ),
            RuleError::UnknownId { kind, id, valid } if *kind == "currency" => write!(
                f,
                "the catalogue does not price in `{id}` (R-CURRENCY-1); its currencies: {}",
                valid.join(", ")
            ),
            RuleError::UnknownId { kind, id, valid } => {
                write!(
                    f,
                    "unknown {kind} `{id}`; valid {kind}s: {}",
                    valid.join(", ")
                )
            }
            RuleError::Impossible { detail } => f.write_str(detail),
        }
    }
}

impl core::error::Error for RuleError {}
