//! Prepaid credit balances: R-PREPAID-1 and R-PREPAID-2.

use chrono::{DateTime, FixedOffset};

use crate::calendar::add_months;
use crate::error::RuleError;
use crate::explain::lines;
use crate::reason::Reason;
use crate::wire::{Expiring, GrantBalance, PrepaidRequest, PrepaidResponse};

/// One grant being spent down.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pot {
    pub id: String,
    pub granted: u64,
    pub remaining: u64,
    pub granted_at: DateTime<FixedOffset>,
    pub expires_at: DateTime<FixedOffset>,
    /// The order the grant was given in, the last tie-breaker.
    pub order: usize,
}

/// A set of grants (R-PREPAID-1, R-PREPAID-2).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Pots {
    pots: Vec<Pot>,
}

impl Pots {
    /// Adds a grant. Without `expires_at` it expires `months` after issue (R-PREPAID-1).
    pub(crate) fn grant(
        &mut self,
        id: String,
        credits: u64,
        granted_at: DateTime<FixedOffset>,
        expires_at: Option<DateTime<FixedOffset>>,
        months: u32,
    ) -> Result<Reason, RuleError> {
        let (expires, default_months) = match expires_at {
            Some(e) => (e, None),
            None => (add_months(granted_at, months)?, Some(months)),
        };
        if expires <= granted_at {
            return Err(RuleError::Impossible {
                detail: format!(
                    "grant `{id}` expires ({}) no later than it was granted ({})",
                    expires.to_rfc3339(),
                    granted_at.to_rfc3339()
                ),
            });
        }
        // Every sum of credits below is over some of these grants, so bounding their
        // total here makes every later sum exact; a total past `u64` is an error, never
        // a silently capped balance (R-MONEY-4).
        self.pots
            .iter()
            .try_fold(credits, |acc, p| acc.checked_add(p.granted))
            .ok_or(RuleError::Overflow {
                what: "adding up prepaid credits",
            })?;
        let reason = Reason::GrantExpiry {
            id: id.clone(),
            credits,
            expires_at: expires,
            default_months,
        };
        let order = self.pots.len();
        // Keep the spending order: expiring first, then oldest, then as given (R-PREPAID-2).
        let key = (expires, granted_at, order);
        let at = self
            .pots
            .partition_point(|p| (p.expires_at, p.granted_at, p.order) <= key);
        self.pots.insert(
            at,
            Pot {
                id,
                granted: credits,
                remaining: credits,
                granted_at,
                expires_at: expires,
                order,
            },
        );
        Ok(reason)
    }

    /// Whether a pot can be spent at `t`: issued by then and not yet expired. A grant
    /// expires at its expiry instant.
    fn live(p: &Pot, t: DateTime<FixedOffset>) -> bool {
        p.granted_at <= t && t < p.expires_at
    }

    /// The unexpired balance at `t` (R-PREPAID-2).
    pub(crate) fn balance(&self, t: DateTime<FixedOffset>) -> u64 {
        self.pots
            .iter()
            .filter(|p| Self::live(p, t))
            .map(|p| p.remaining)
            .sum()
    }

    /// Spends `credits` at `t` from the grants that expire first, or spends nothing and
    /// returns the balance when it is too small (R-PREPAID-2).
    pub(crate) fn spend(
        &mut self,
        credits: u64,
        t: DateTime<FixedOffset>,
    ) -> Result<Vec<(String, u64)>, u64> {
        let balance = self.balance(t);
        if credits > balance {
            return Err(balance);
        }
        let mut left = credits;
        let mut taken = Vec::new();
        for p in self.pots.iter_mut().filter(|p| Self::live(p, t)) {
            if left == 0 {
                break;
            }
            let take = p.remaining.min(left);
            if take > 0 {
                p.remaining -= take;
                left -= take;
                taken.push((p.id.clone(), take));
            }
        }
        Ok(taken)
    }

    /// What expires next after `t`: the credits of every live grant with the earliest
    /// expiry.
    pub(crate) fn expiring_next(&self, t: DateTime<FixedOffset>) -> Option<Expiring> {
        let first = self
            .pots
            .iter()
            .filter(|p| Self::live(p, t) && p.remaining > 0)
            .map(|p| p.expires_at)
            .min()?;
        let credits = self
            .pots
            .iter()
            .filter(|p| Self::live(p, t) && p.expires_at == first)
            .map(|p| p.remaining)
            .sum();
        Some(Expiring {
            credits,
            expires_at: first,
        })
    }

    /// The grants, in spending order.
    pub(crate) fn pots(&self) -> &[Pot] {
        &self.pots
    }
}

/// `POST /api/v1/prepaid/balance`.
pub(crate) fn balance(req: &PrepaidRequest) -> Result<PrepaidResponse, RuleError> {
    let months = req.expiry_months.unwrap_or(12);
    if !(1..=1200).contains(&months) {
        return Err(RuleError::Impossible {
            detail: format!("expiry_months must be 1 to 1200, got {months}"),
        });
    }
    let mut grants: Vec<_> = req
        .grants
        .iter()
        .filter(|g| g.granted_at <= req.at)
        .collect();
    grants.sort_by_key(|g| g.granted_at);
    let mut spends: Vec<_> = req.spends.iter().filter(|s| s.at <= req.at).collect();
    spends.sort_by_key(|s| s.at);

    let mut pots = Pots::default();
    let mut reasons = Vec::new();
    let mut next_grant = grants.into_iter().peekable();
    for s in spends {
        while let Some(g) = next_grant.next_if(|g| g.granted_at <= s.at) {
            reasons.push(pots.grant(
                g.id.clone(),
                g.credits,
                g.granted_at,
                g.expires_at,
                months,
            )?);
        }
        match pots.spend(s.credits, s.at) {
            Ok(from) => reasons.push(Reason::Spend {
                at: s.at,
                credits: s.credits,
                from,
            }),
            Err(balance) => {
                return Err(RuleError::Impossible {
                    detail: format!(
                        "the spend of {} credits at {} is more than the balance of {balance} credits then",
                        s.credits,
                        s.at.to_rfc3339()
                    ),
                });
            }
        }
    }
    for g in next_grant {
        reasons.push(pots.grant(g.id.clone(), g.credits, g.granted_at, g.expires_at, months)?);
    }
    let mut out = Vec::new();
    for p in pots.pots() {
        let expired = p.expires_at <= req.at;
        if expired && p.remaining > 0 {
            reasons.push(Reason::GrantExpired {
                id: p.id.clone(),
                credits: p.remaining,
                at: p.expires_at,
            });
        }
        out.push(GrantBalance {
            id: p.id.clone(),
            granted: p.granted,
            remaining: if expired { 0 } else { p.remaining },
            expires_at: p.expires_at,
            expired,
        });
    }
    let balance = pots.balance(req.at);
    let expiring_next = pots.expiring_next(req.at);
    reasons.push(Reason::PrepaidBalance {
        balance,
        next: expiring_next.map(|e| (e.credits, e.expires_at)),
    });
    reasons.push(Reason::CreditsNotMoney);
    Ok(PrepaidResponse {
        balance,
        expiring_next,
        grants: out,
        explanation: lines(&reasons),
        reasons,
    })
}
