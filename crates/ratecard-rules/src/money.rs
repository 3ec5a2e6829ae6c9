//! Money in integer minor units (R-MONEY-1 to R-MONEY-4).
//!
//! Every amount is an `i64` count of the currency's minor unit. Fractions of an amount are
//! computed exactly with 128-bit integers and rounded once, half away from zero, by
//! [`Fraction::apply`]; that function is the only place in the crate that rounds money.

use core::str::FromStr;

use serde::{Deserialize, Serialize};

pub use crate::currency::Currency;
use crate::error::RuleError;

impl FromStr for Currency {
    type Err = RuleError;

    /// Parses an upper-case ISO 4217 code.
    ///
    /// # Errors
    ///
    /// [`RuleError::UnknownCurrency`] when the code is not one of [`Currency::ALL`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::ALL
            .into_iter()
            .find(|c| c.code() == s)
            .ok_or_else(|| RuleError::UnknownCurrency { code: s.to_owned() })
    }
}

impl TryFrom<String> for Currency {
    type Error = RuleError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

/// An amount of money: integer minor units of one currency (R-MONEY-1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money {
    /// The amount in the currency's minor unit; negative for a credit.
    pub amount_minor: i64,
    /// The currency.
    pub currency: Currency,
}

impl Money {
    /// Makes an amount from minor units.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::{Currency, Money};
    /// let price = Money::new(1199, Currency::Usd);
    /// assert_eq!(price.amount_minor, 1199);
    /// ```
    #[must_use]
    pub const fn new(amount_minor: i64, currency: Currency) -> Money {
        Money {
            amount_minor,
            currency,
        }
    }

    /// Adds two amounts of the same currency (R-MONEY-4).
    ///
    /// # Errors
    ///
    /// [`RuleError::CurrencyMismatch`] when the currencies differ, and
    /// [`RuleError::Overflow`] when the sum does not fit in an `i64`.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::{Currency, Money};
    /// let a = Money::new(-600, Currency::Usd);
    /// let b = Money::new(1500, Currency::Usd);
    /// assert_eq!(a.checked_add(b)?.amount_minor, 900);
    /// assert!(Money::new(i64::MAX, Currency::Usd).checked_add(Money::new(1, Currency::Usd)).is_err());
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn checked_add(self, other: Money) -> Result<Money, RuleError> {
        if self.currency != other.currency {
            return Err(RuleError::CurrencyMismatch {
                expected: self.currency,
                actual: other.currency,
            });
        }
        let amount_minor = checked_add_minor(self.amount_minor, other.amount_minor)?;
        Ok(Money::new(amount_minor, self.currency))
    }

    /// The amount with its sign flipped.
    ///
    /// # Errors
    ///
    /// [`RuleError::Overflow`] for `i64::MIN`, which has no positive counterpart.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::{Currency, Money};
    /// assert_eq!(Money::new(600, Currency::Eur).checked_neg()?.amount_minor, -600);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn checked_neg(self) -> Result<Money, RuleError> {
        let amount_minor = self.amount_minor.checked_neg().ok_or(RuleError::Overflow {
            what: "negating an amount",
        })?;
        Ok(Money::new(amount_minor, self.currency))
    }
}

/// Adds two minor-unit amounts, failing instead of wrapping (R-MONEY-4).
///
/// # Errors
///
/// [`RuleError::Overflow`] when the sum does not fit in an `i64`.
///
/// # Example
///
/// ```
/// use ratecard_rules::money::checked_add_minor;
/// assert_eq!(checked_add_minor(1199, -600)?, 599);
/// assert!(checked_add_minor(i64::MAX, 1).is_err());
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn checked_add_minor(a: i64, b: i64) -> Result<i64, RuleError> {
    a.checked_add(b).ok_or(RuleError::Overflow {
        what: "adding amounts",
    })
}

/// Sums minor-unit amounts, failing instead of wrapping (R-MONEY-4).
///
/// # Errors
///
/// [`RuleError::Overflow`] when a partial sum does not fit in an `i64`.
///
/// # Example
///
/// ```
/// use ratecard_rules::money::checked_sum_minor;
/// assert_eq!(checked_sum_minor([-600, 1500, 180])?, 1080);
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn checked_sum_minor(amounts: impl IntoIterator<Item = i64>) -> Result<i64, RuleError> {
    amounts.into_iter().try_fold(0_i64, checked_add_minor)
}

/// An exact, non-negative fraction `numerator / denominator` of 128-bit integers.
///
/// A `Fraction` always has a positive denominator; [`Fraction::new`] refuses a zero one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fraction {
    numerator: i128,
    denominator: i128,
}

impl Fraction {
    /// Makes the fraction `numerator / denominator`.
    ///
    /// # Errors
    ///
    /// [`RuleError::InvalidFraction`] when the denominator is zero or either part is negative.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Fraction;
    /// let half = Fraction::new(14, 28)?;
    /// assert_eq!(half.numerator(), 14);
    /// assert!(Fraction::new(1, 0).is_err());
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn new(numerator: i128, denominator: i128) -> Result<Fraction, RuleError> {
        if denominator <= 0 || numerator < 0 {
            return Err(RuleError::InvalidFraction {
                numerator,
                denominator,
            });
        }
        Ok(Fraction {
            numerator,
            denominator,
        })
    }

    /// A rate in basis points as a fraction (2000 bp = 20 %).
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Fraction;
    /// assert_eq!(Fraction::from_basis_points(2000), Fraction::new(2000, 10_000)?);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub const fn from_basis_points(bp: u32) -> Fraction {
        Fraction {
            numerator: bp as i128,
            denominator: 10_000,
        }
    }

    /// The numerator.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Fraction;
    /// assert_eq!(Fraction::new(14, 28)?.numerator(), 14);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub const fn numerator(self) -> i128 {
        self.numerator
    }

    /// The denominator, always positive.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Fraction;
    /// assert_eq!(Fraction::new(14, 28)?.denominator(), 28);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub const fn denominator(self) -> i128 {
        self.denominator
    }

    /// Whether the fraction lies in `[0, 1]`.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Fraction;
    /// assert!(Fraction::new(28, 28)?.is_at_most_one());
    /// assert!(!Fraction::new(29, 28)?.is_at_most_one());
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub const fn is_at_most_one(self) -> bool {
        self.numerator <= self.denominator
    }

    /// `round(amount × self)`, computed exactly and rounded once, half away from zero
    /// (R-MONEY-2). This is the crate's only rounding of money.
    ///
    /// # Errors
    ///
    /// [`RuleError::Overflow`] when the product or the result does not fit (R-MONEY-4).
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Fraction;
    /// // 14 of 28 days of a 1199-cent plan: 599.5 rounds away from zero.
    /// assert_eq!(Fraction::new(14, 28)?.apply(1199)?, 600);
    /// assert_eq!(Fraction::new(14, 28)?.apply(-1199)?, -600);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn apply(self, amount_minor: i64) -> Result<i64, RuleError> {
        let overflow = RuleError::Overflow {
            what: "a fraction of an amount",
        };
        let product = i128::from(amount_minor)
            .checked_mul(self.numerator)
            .ok_or(overflow.clone())?;
        let rounded = div_round_half_away(product, self.denominator);
        i64::try_from(rounded).map_err(|_| overflow)
    }
}

/// `n / d` rounded half away from zero, for a positive `d`.
fn div_round_half_away(n: i128, d: i128) -> i128 {
    let quotient = n / d;
    let remainder = n % d;
    // Twice the remainder compared with the divisor decides the rounding; the remainder is
    // below `d` in magnitude, so doubling it cannot overflow for any `d` below `i128::MAX / 2`.
    if remainder.unsigned_abs() * 2 >= d.unsigned_abs() {
        if n < 0 { quotient - 1 } else { quotient + 1 }
    } else {
        quotient
    }
}

/// Splits `total` into parts proportional to `weights`, handing the remainder out one minor
/// unit at a time so that the parts always sum to `total` (R-MONEY-2).
///
/// # Errors
///
/// [`RuleError::InvalidFraction`] when the weights are empty or sum to zero, and
/// [`RuleError::Overflow`] when the products do not fit.
///
/// # Example
///
/// ```
/// use ratecard_rules::money::allocate;
/// assert_eq!(allocate(100, &[1, 1, 1])?, vec![34, 33, 33]);
/// assert_eq!(allocate(-5, &[1, 1])?, vec![-3, -2]);
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn allocate(total: i64, weights: &[u64]) -> Result<Vec<i64>, RuleError> {
    let overflow = || RuleError::Overflow {
        what: "allocating an amount",
    };
    let weight_sum = weights
        .iter()
        .try_fold(0_i128, |acc, w| acc.checked_add(i128::from(*w)))
        .ok_or_else(overflow)?;
    if weight_sum == 0 {
        return Err(RuleError::InvalidFraction {
            numerator: 0,
            denominator: 0,
        });
    }
    let magnitude = i128::from(total).abs();
    let mut parts = Vec::with_capacity(weights.len());
    let mut handed_out: i128 = 0;
    for w in weights {
        let share = magnitude.checked_mul(i128::from(*w)).ok_or_else(overflow)? / weight_sum;
        handed_out += share;
        parts.push(share);
    }
    let mut left = magnitude - handed_out;
    for part in parts.iter_mut() {
        if left == 0 {
            break;
        }
        *part += 1;
        left -= 1;
    }
    let sign = if total < 0 { -1 } else { 1 };
    parts
        .into_iter()
        .map(|p| i64::try_from(p * sign).map_err(|_| overflow()))
        .collect()
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Currency {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("An ISO 4217 currency code"))
            .enum_values(Some(Currency::ALL.iter().map(|c| c.code())))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Currency {}
