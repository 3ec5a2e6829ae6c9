//! The rule ids of the rule book (`RULES.md`) as a type.
//!
//! Every rule is named by one [`RuleId`] variant whose string is the rule book's id, so
//! `grep -rn R-UPGRADE-2` finds this list, the code that applies the rule (through the
//! [`Reason`](crate::Reason) that names it), the golden cases and the explanation.

use core::fmt;
use core::str::FromStr;

use serde::{Deserialize, Serialize};

/// One rule of the rule book. It is written, serialised and parsed as the rule book
/// writes it, such as `"R-UPGRADE-2"`.
///
/// # Example
///
/// ```
/// use ratecard_rules::RuleId;
/// assert_eq!(RuleId::Upgrade2.as_str(), "R-UPGRADE-2");
/// assert_eq!("R-UPGRADE-2".parse::<RuleId>(), Ok(RuleId::Upgrade2));
/// assert_eq!(serde_json::to_string(&RuleId::Upgrade2).unwrap(), r#""R-UPGRADE-2""#);
/// assert_eq!(RuleId::ALL.len(), 57);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleId {
    /// `R-MONEY-1`.
    Money1,
    /// `R-MONEY-2`.
    Money2,
    /// `R-MONEY-3`.
    Money3,
    /// `R-MONEY-4`.
    Money4,
    /// `R-TIME-1`.
    Time1,
    /// `R-CYCLE-1`.
    Cycle1,
    /// `R-CYCLE-2`.
    Cycle2,
    /// `R-CYCLE-3`.
    Cycle3,
    /// `R-CYCLE-4`.
    Cycle4,
    /// `R-CYCLE-5`.
    Cycle5,
    /// `R-UPGRADE-1`.
    Upgrade1,
    /// `R-UPGRADE-2`.
    Upgrade2,
    /// `R-UPGRADE-3`.
    Upgrade3,
    /// `R-UPGRADE-4`.
    Upgrade4,
    /// `R-DOWNGRADE-1`.
    Downgrade1,
    /// `R-CANCEL-1`.
    Cancel1,
    /// `R-CANCEL-2`.
    Cancel2,
    /// `R-PRICE-LOCK-1`.
    PriceLock1,
    /// `R-PRICE-CHANGE-1`.
    PriceChange1,
    /// `R-CREDIT-COST-1`.
    CreditCost1,
    /// `R-QUOTA-1`.
    Quota1,
    /// `R-UPLOAD-1`.
    Upload1,
    /// `R-UPLOAD-2`.
    Upload2,
    /// `R-UPLOAD-3`.
    Upload3,
    /// `R-UPLOAD-4`.
    Upload4,
    /// `R-REFUND-1`.
    Refund1,
    /// `R-REFUND-2`.
    Refund2,
    /// `R-REFUND-3`.
    Refund3,
    /// `R-REFUND-4`.
    Refund4,
    /// `R-REFUND-5`.
    Refund5,
    /// `R-REFUND-6`.
    Refund6,
    /// `R-REFUND-7`.
    Refund7,
    /// `R-LICENCE-1`.
    Licence1,
    /// `R-LICENCE-2`.
    Licence2,
    /// `R-LICENCE-3`.
    Licence3,
    /// `R-PREPAID-1`.
    Prepaid1,
    /// `R-PREPAID-2`.
    Prepaid2,
    /// `R-TOPUP-1`.
    Topup1,
    /// `R-TERMS-1`.
    Terms1,
    /// `R-TERMS-2`.
    Terms2,
    /// `R-TERMS-3`.
    Terms3,
    /// `R-TERMS-4`.
    Terms4,
    /// `R-TERMS-5`.
    Terms5,
    /// `R-TERMS-6`.
    Terms6,
    /// `R-INTERVAL-1`.
    Interval1,
    /// `R-INTERVAL-2`.
    Interval2,
    /// `R-INTERVAL-3`.
    Interval3,
    /// `R-INTERVAL-4`.
    Interval4,
    /// `R-INTERVAL-5`.
    Interval5,
    /// `R-INTERVAL-6`.
    Interval6,
    /// `R-INTERVAL-7`.
    Interval7,
    /// `R-CURRENCY-1`.
    Currency1,
    /// `R-CURRENCY-2`.
    Currency2,
    /// `R-DISPLAY-1`.
    Display1,
    /// `R-TRIAL-1`.
    Trial1,
    /// `R-TRIAL-2`.
    Trial2,
    /// `R-TRIAL-3`.
    Trial3,
}

impl RuleId {
    /// Every rule id of the rule book, in its order.
    pub const ALL: &[RuleId] = &[
        RuleId::Money1,
        RuleId::Money2,
        RuleId::Money3,
        RuleId::Money4,
        RuleId::Time1,
        RuleId::Cycle1,
        RuleId::Cycle2,
        RuleId::Cycle3,
        RuleId::Cycle4,
        RuleId::Cycle5,
        RuleId::Upgrade1,
        RuleId::Upgrade2,
        RuleId::Upgrade3,
        RuleId::Upgrade4,
        RuleId::Downgrade1,
        RuleId::Cancel1,
        RuleId::Cancel2,
        RuleId::PriceLock1,
        RuleId::PriceChange1,
        RuleId::CreditCost1,
        RuleId::Quota1,
        RuleId::Upload1,
        RuleId::Upload2,
        RuleId::Upload3,
        RuleId::Upload4,
        RuleId::Refund1,
        RuleId::Refund2,
        RuleId::Refund3,
        RuleId::Refund4,
        RuleId::Refund5,
        RuleId::Refund6,
        RuleId::Refund7,
        RuleId::Licence1,
        RuleId::Licence2,
        RuleId::Licence3,
        RuleId::Prepaid1,
        RuleId::Prepaid2,
        RuleId::Topup1,
        RuleId::Terms1,
        RuleId::Terms2,
        RuleId::Terms3,
        RuleId::Terms4,
        RuleId::Terms5,
        RuleId::Terms6,
        RuleId::Interval1,
        RuleId::Interval2,
        RuleId::Interval3,
        RuleId::Interval4,
        RuleId::Interval5,
        RuleId::Interval6,
        RuleId::Interval7,
        RuleId::Currency1,
        RuleId::Currency2,
        RuleId::Display1,
        RuleId::Trial1,
        RuleId::Trial2,
        RuleId::Trial3,
    ];

    /// The id as the rule book writes it, such as `R-UPGRADE-2`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            RuleId::Money1 => "R-MONEY-1",
            RuleId::Money2 => "R-MONEY-2",
            RuleId::Money3 => "R-MONEY-3",
            RuleId::Money4 => "R-MONEY-4",
            RuleId::Time1 => "R-TIME-1",
            RuleId::Cycle1 => "R-CYCLE-1",
            RuleId::Cycle2 => "R-CYCLE-2",
            RuleId::Cycle3 => "R-CYCLE-3",
            RuleId::Cycle4 => "R-CYCLE-4",
            RuleId::Cycle5 => "R-CYCLE-5",
            RuleId::Upgrade1 => "R-UPGRADE-1",
            RuleId::Upgrade2 => "R-UPGRADE-2",
            RuleId::Upgrade3 => "R-UPGRADE-3",
            RuleId::Upgrade4 => "R-UPGRADE-4",
            RuleId::Downgrade1 => "R-DOWNGRADE-1",
            RuleId::Cancel1 => "R-CANCEL-1",
            RuleId::Cancel2 => "R-CANCEL-2",
            RuleId::PriceLock1 => "R-PRICE-LOCK-1",
            RuleId::PriceChange1 => "R-PRICE-CHANGE-1",
            RuleId::CreditCost1 => "R-CREDIT-COST-1",
            RuleId::Quota1 => "R-QUOTA-1",
            RuleId::Upload1 => "R-UPLOAD-1",
            RuleId::Upload2 => "R-UPLOAD-2",
            RuleId::Upload3 => "R-UPLOAD-3",
            RuleId::Upload4 => "R-UPLOAD-4",
            RuleId::Refund1 => "R-REFUND-1",
            RuleId::Refund2 => "R-REFUND-2",
            RuleId::Refund3 => "R-REFUND-3",
            RuleId::Refund4 => "R-REFUND-4",
            RuleId::Refund5 => "R-REFUND-5",
            RuleId::Refund6 => "R-REFUND-6",
            RuleId::Refund7 => "R-REFUND-7",
            RuleId::Licence1 => "R-LICENCE-1",
            RuleId::Licence2 => "R-LICENCE-2",
            RuleId::Licence3 => "R-LICENCE-3",
            RuleId::Prepaid1 => "R-PREPAID-1",
            RuleId::Prepaid2 => "R-PREPAID-2",
            RuleId::Topup1 => "R-TOPUP-1",
            RuleId::Terms1 => "R-TERMS-1",
            RuleId::Terms2 => "R-TERMS-2",
            RuleId::Terms3 => "R-TERMS-3",
            RuleId::Terms4 => "R-TERMS-4",
            RuleId::Terms5 => "R-TERMS-5",
            RuleId::Terms6 => "R-TERMS-6",
            RuleId::Interval1 => "R-INTERVAL-1",
            RuleId::Interval2 => "R-INTERVAL-2",
            RuleId::Interval3 => "R-INTERVAL-3",
            RuleId::Interval4 => "R-INTERVAL-4",
            RuleId::Interval5 => "R-INTERVAL-5",
            RuleId::Interval6 => "R-INTERVAL-6",
            RuleId::Interval7 => "R-INTERVAL-7",
            RuleId::Currency1 => "R-CURRENCY-1",
            RuleId::Currency2 => "R-CURRENCY-2",
            RuleId::Display1 => "R-DISPLAY-1",
            RuleId::Trial1 => "R-TRIAL-1",
            RuleId::Trial2 => "R-TRIAL-2",
            RuleId::Trial3 => "R-TRIAL-3",
        }
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that is not a rule id of the rule book.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownRuleId(pub String);

impl fmt::Display for UnknownRuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown rule id `{}`", self.0)
    }
}

impl core::error::Error for UnknownRuleId {}

impl FromStr for RuleId {
    type Err = UnknownRuleId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RuleId::ALL
            .iter()
            .copied()
            .find(|id| id.as_str() == s)
            .ok_or_else(|| UnknownRuleId(s.to_owned()))
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for RuleId {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<RuleId> for String {
    fn eq(&self, other: &RuleId) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<RuleId> for &str {
    fn eq(&self, other: &RuleId) -> bool {
        *self == other.as_str()
    }
}

impl From<RuleId> for String {
    fn from(id: RuleId) -> String {
        id.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::RuleId;

    #[test]
    fn every_id_round_trips() {
        for id in RuleId::ALL {
            assert_eq!(id.as_str().parse::<RuleId>(), Ok(*id));
            let json = serde_json::to_string(id).unwrap();
            assert_eq!(serde_json::from_str::<RuleId>(&json).unwrap(), *id);
        }
        assert!("R-UPGRADE-9".parse::<RuleId>().is_err());
    }
}
