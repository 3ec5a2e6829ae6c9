//! Explanations: typed reasons, and the crate's one English renderer.
//!
//! Every calculation records *why* as a list of [`Reason`]s: a rule id plus the numbers it
//! used. This module is the only place that turns them into sentences (and the only place
//! that formats amounts, instants and durations), so a localised renderer can replace it
//! without touching a rule.

use std::fmt::{self, Display, Write as _};

use chrono::{DateTime, Datelike, FixedOffset, Timelike};

use crate::calendar::put_digits;
use crate::catalogue::Interval;
use crate::money::Money;
use crate::reason::{Action, Problem, Reason};
use crate::wire::{ExplanationLine, LineKind};

impl Reason {
    /// The reason as one English sentence with its numbers.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::{Currency, Money, Reason};
    /// let r = Reason::UnusedCredit {
    ///     plan: "Pro".into(),
    ///     seconds_left: 14 * 86_400,
    ///     seconds_in_period: 28 * 86_400,
    ///     amount: Money::new(-600, Currency::Usd),
    /// };
    /// assert_eq!(
    ///     r.text(),
    ///     "14 of 28 days were left in the period, so the unused time on Pro is credited: −$6.00."
    /// );
    /// ```
    #[must_use]
    pub fn text(&self) -> String {
        let mut out = String::with_capacity(TEXT_CAPACITY);
        // Writing to a `String` cannot fail.
        let _ = render(self, &mut out);
        out
    }

    /// The reason as a wire line.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Reason;
    /// let line = Reason::RefundBreach.line();
    /// assert_eq!(line.rule, "R-REFUND-7");
    /// assert!(line.text.starts_with("The account was terminated for breaching the terms"));
    /// ```
    #[must_use]
    pub fn line(&self) -> ExplanationLine {
        ExplanationLine {
            rule: self.rule().as_str().to_owned(),
            text: self.text(),
        }
    }
}

/// Room for one sentence: the longest ones, with their numbers, stay under it.
const TEXT_CAPACITY: usize = 256;

/// Renders reasons as wire lines, in order.
///
/// Every sentence is written into one scratch buffer and copied out at its exact length,
/// so a line costs one allocation for its text whatever the sentence's parts.
pub(crate) fn lines(reasons: &[Reason]) -> Vec<ExplanationLine> {
    let mut scratch = String::with_capacity(TEXT_CAPACITY);
    reasons
        .iter()
        .map(|reason| {
            scratch.clear();
            // Writing to a `String` cannot fail.
            let _ = render(reason, &mut scratch);
            ExplanationLine {
                rule: reason.rule().as_str().to_owned(),
                text: scratch.as_str().to_owned(),
            }
        })
        .collect()
}

/// Writes the sentence of a reason to `out`. Every number goes straight into `out`
/// through the `Display` helpers below, with no string of its own.
fn render(reason: &Reason, out: &mut String) -> fmt::Result {
    match reason {
        Reason::MinorUnits { currency, exponent } => write!(
            out,
            "Amounts are whole minor units of {currency} ({exponent} decimal places); no fractions of a unit are kept."
        ),
        Reason::LinesSum { total, lines } => write!(
            out,
            "Each of the {lines} lines was computed exactly and rounded once, half away from zero; the total is their sum: {}.",
            money(*total)
        ),
        Reason::Tax {
            rate_bp,
            subtotal,
            tax,
        } => write!(
            out,
            "Prices exclude tax; tax at {} on the subtotal of {} is {}.",
            percent(u64::from(*rate_bp)),
            money(*subtotal),
            money(*tax)
        ),
        Reason::NoTaxOnCredit { subtotal } => write!(
            out,
            "The subtotal is {}, a credit, so no tax is charged on it.",
            money(*subtotal)
        ),
        Reason::TimeZone { zone } => {
            write!(out, "Dates and times follow the subscriber's time zone, {zone}.")
        }
        Reason::Anchor { plan, anchor } => write!(
            out,
            "{plan} renews on day {} of each month at {:02}:{:02} local time, the day and time the subscription started, {}.",
            anchor.day(),
            anchor.hour(),
            anchor.minute(),
            instant(*anchor)
        ),
        Reason::MonthEnd {
            renewal,
            anchor_day,
        } => write!(
            out,
            "That month has no day {anchor_day}, so the renewal falls on its last day, {}; the month after goes back to day {anchor_day}.",
            instant(*renewal)
        ),
        Reason::DstGap {
            local,
            at,
            gap_seconds,
        } => write!(
            out,
            "{} does not exist in the time zone (the clocks skip it), so the renewal moves forward by the {} of the gap, to {}.",
            crate::calendar::WallClock(*local, false),
            duration(*gap_seconds),
            instant(*at)
        ),
        Reason::DstFold { local, at } => write!(
            out,
            "{} happens twice as the clocks go back; the earlier one counts: {}.",
            crate::calendar::WallClock(*local, false),
            instant(*at)
        ),
        Reason::FreeRenewal { next } => write!(
            out,
            "The free plan renews at 00:00 local time on the first of every month; the next renewal is {}.",
            instant(*next)
        ),
        Reason::CurrentPeriod { start, end } => write!(
            out,
            "The current period runs from {} to {}; allowances start afresh at each renewal and unused allowance does not roll over.",
            instant(*start),
            instant(*end)
        ),
        Reason::PriceLock {
            version,
            plan,
            price,
        } => write!(
            out,
            "The subscription keeps the prices of catalogue version {version} in force when it started for its initial term: {plan} costs {}.",
            money(*price)
        ),
        Reason::PriceChange {
            version,
            plan,
            price,
            from,
        } => write!(
            out,
            "Catalogue version {version} reaches this subscription at its first renewal on or after the version took effect, {}: {plan} costs {} from then.",
            instant(*from),
            money(*price)
        ),
        Reason::UpgradeNow {
            from,
            to,
            next_renewal,
        } => write!(
            out,
            "The upgrade from {from} to {to} takes effect at once; the renewal date does not change, and the next renewal is {}.",
            instant(*next_renewal)
        ),
        Reason::UnusedCredit {
            plan,
            seconds_left,
            seconds_in_period,
            amount,
        } => write!(
            out,
            "{} of {} were left in the period, so the unused time on {plan} is credited: {}.",
            duration_part(*seconds_left, *seconds_in_period),
            duration(*seconds_in_period),
            money(*amount)
        ),
        Reason::RemainingCharge {
            plan,
            seconds_left,
            seconds_in_period,
            amount,
        } => write!(
            out,
            "The remaining {} of {} on {plan} are charged: {}.",
            duration_part(*seconds_left, *seconds_in_period),
            duration(*seconds_in_period),
            money(*amount)
        ),
        Reason::YearlyRenewal { plan, anchor } => write!(
            out,
            "{plan} is billed yearly: it renews every 12 months on its anchor, {}, with the same month-end and daylight-saving rules as a monthly plan.",
            instant(*anchor)
        ),
        Reason::MonthlyAllowance { plan, start, end } => write!(
            out,
            "Allowances stay monthly on a yearly plan: {plan}'s monthly allowance applies to the allowance period from {} to {}.",
            instant(*start),
            instant(*end)
        ),
        Reason::YearlyPrice {
            plan,
            yearly,
            per_month,
            saving_percent,
        } => {
            write!(
                out,
                "{plan} per year costs {}, which is {} a month",
                money(*yearly),
                money(*per_month)
            )?;
            match saving_percent {
                Some(p) => write!(
                    out,
                    "; against twelve monthly payments that saves {p} %, rounded down."
                ),
                None => out.write_str("; it saves nothing against twelve monthly payments."),
            }
        }
        Reason::ToYearly {
            from,
            to,
            price,
            anchor,
        } => write!(
            out,
            "Moving from monthly {from} to yearly {to} takes effect at once: the unused monthly time is credited, the full yearly price of {} is charged, and renewals restart from {}.",
            money(*price),
            instant(*anchor)
        ),
        Reason::YearlyUpgrade {
            from,
            to,
            start,
            end,
        } => write!(
            out,
            "Moving from yearly {from} to the dearer yearly {to} is an upgrade over the yearly period from {} to {}, prorated to the second; the anchor stays.",
            instant(*start),
            instant(*end)
        ),
        Reason::YearlyChangeAtEnd {
            from,
            to,
            to_interval,
            effective_at,
        } => write!(
            out,
            "A change from yearly {from} to {} {to} takes effect at the end of the yearly period, {}; nothing is charged or refunded now.",
            interval_adjective(*to_interval),
            instant(*effective_at)
        ),
        Reason::YearlyFromOrToFree { plan, to_yearly } => {
            if *to_yearly {
                write!(
                    out,
                    "Moving from the free plan to yearly {plan} starts a new yearly subscription now, at the yearly price."
                )
            } else {
                write!(
                    out,
                    "Moving from yearly {plan} to the free plan is a cancellation, at once."
                )
            }
        }
        Reason::InitialTerm { periods, interval } => write!(
            out,
            "The initial term with locked prices is {periods} {} of the subscription's interval.",
            plural(u64::from(*periods), interval_noun(*interval))
        ),
        Reason::YearlyCancel { allowance_end } => write!(
            out,
            "Cancelling a yearly plan loses what is left of the current monthly allowance period, which would have run until {}.",
            instant(*allowance_end)
        ),
        Reason::BilledIn { currency } => write!(
            out,
            "The subscription is billed in {}, the currency it started in; every change to it is priced in {}.",
            currency.code(),
            currency.code()
        ),
        Reason::ShownCurrency {
            currency,
            asked,
            region,
        } => match (asked, region) {
            (true, _) => write!(out, "Prices are shown in {}, as the page asks.", currency.code()),
            (false, Some(r)) => write!(
                out,
                "Prices are shown in {}, the currency for visitors from {r}.",
                currency.code()
            ),
            (false, None) => write!(
                out,
                "Prices are shown in {}, the catalogue's default currency.",
                currency.code()
            ),
        },
        Reason::TaxIncluded { rate_bp } => write!(
            out,
            "Prices are shown including tax at {}, each rounded once; every calculation still works on prices without tax.",
            percent(u64::from(*rate_bp))
        ),
        Reason::TrialStarts {
            plan,
            days,
            ends_at,
            first_charge,
        } => write!(
            out,
            "{plan} starts with a free {days}-day trial that ends on {} at the same local time; then {} is charged and the subscription renews from that instant.",
            instant(*ends_at),
            money(*first_charge)
        ),
        Reason::TrialNotEligible { plan } => write!(
            out,
            "A trial of {plan} is only for an account that never had a paid subscription or a trial, and this account has had one."
        ),
        Reason::NoTrial {
            plan,
            plan_offers_one,
        } => {
            if *plan_offers_one {
                write!(
                    out,
                    "So {plan} starts without a trial and the first payment is due now."
                )
            } else {
                write!(
                    out,
                    "{plan} offers no trial, so the first payment is due now."
                )
            }
        }
        Reason::TrialChange {
            to,
            ends_at,
            then_charged,
        } => write!(
            out,
            "During a trial a change charges nothing now and keeps the trial's end, {}; {to} is charged then, {}.",
            instant(*ends_at),
            money(*then_charged)
        ),
        Reason::TrialCancel => out.write_str(
            "Cancelling during a trial charges nothing; the account moves to the free plan at once.",
        ),
        Reason::TrialPeriod { start, end } => write!(
            out,
            "The trial from {} to {} is one allowance period; its end is the first renewal and the anchor of the renewals after it.",
            instant(*start),
            instant(*end)
        ),
        Reason::FromFree { to, price, anchor } => write!(
            out,
            "Moving from the free plan starts a new {to} subscription now: the full price of {} is due, and renewals follow the new start, {}.",
            money(*price),
            instant(*anchor)
        ),
        Reason::UpgradeAllowance {
            plan,
            credits,
            used,
            prorated,
        } => {
            let so_far = SoFar(*used);
            if *prorated {
                write!(
                    out,
                    "The allowance for the rest of this period is prorated between the plans: {credits} credits, and credits already used in the period{so_far} count against it."
                )
            } else {
                write!(
                    out,
                    "{plan}'s full allowance of {credits} credits applies to this period, and credits already used in the period{so_far} still count against it."
                )
            }
        }
        Reason::DowngradeAtEnd {
            from,
            to,
            effective_at,
        } => write!(
            out,
            "The downgrade from {from} to {to} takes effect at the end of the current period, {}; nothing is charged or refunded now, and {from} stays in force until then.",
            instant(*effective_at)
        ),
        Reason::DowngradeNow { from, to, credit } => write!(
            out,
            "The downgrade from {from} to {to} takes effect at once; the unused difference, {}, is kept as a credit for later charges.",
            money(*credit)
        ),
        Reason::CancelNow {
            from,
            lost_credits,
            lost_upload_seconds,
        } => write!(
            out,
            "Cancelling moves the account to the free plan at once; the {lost_credits} credits and {} of upload time left on {from} are lost, and nothing is refunded unless a refund rule applies.",
            clock(*lost_upload_seconds)
        ),
        Reason::FreeAfterCancel {
            credits,
            upload_seconds,
            until,
        } => write!(
            out,
            "Until {}, the free plan's full allowance applies, {credits} credits and {} of uploads, counting only use after the cancellation.",
            instant(*until),
            clock(*upload_seconds)
        ),
        Reason::ModelCost { model, credits } => {
            write!(out, "A generation with {model} costs {}.", count(*credits as u64, "credit"))
        }
        Reason::Credits {
            allowance,
            used,
            remaining,
        } => write!(
            out,
            "This period grants {allowance} credits; {used} are used, so {remaining} remain."
        ),
        Reason::GenerationRefused {
            at,
            model,
            cost,
            remaining,
        } => write!(
            out,
            "The generation with {model} at {} was refused: it costs {} but only {remaining} remained, {} short.",
            instant(*at),
            count(*cost, "credit"),
            count(cost.saturating_sub(*remaining), "credit")
        ),
        Reason::Uploads {
            plan,
            allowance,
            used,
            remaining,
        } => write!(
            out,
            "{plan} grants {} of uploads per period; {} is used, so {} remains.",
            clock(*allowance),
            clock(*used),
            clock(*remaining)
        ),
        Reason::UploadCropped { at, seconds, crop } => write!(
            out,
            "The {} upload at {} was cropped to the plan's limit of {}, which is what it uses of the allowance.",
            clock(*seconds),
            instant(*at),
            clock(*crop)
        ),
        Reason::UploadDeleted {
            at,
            counted,
            remaining,
        } => write!(
            out,
            "The upload at {} was flagged as someone else's copyright and deleted; its {} still counts against the allowance, leaving {}.",
            instant(*at),
            clock(*counted),
            clock(*remaining)
        ),
        Reason::UploadRefused {
            at,
            seconds,
            remaining,
        } => write!(
            out,
            "The {} upload at {} was refused: only {} of upload time remained.",
            clock(*seconds),
            instant(*at),
            clock(*remaining)
        ),
        Reason::UploadCroppedToRemaining {
            at,
            seconds,
            remaining,
        } => write!(
            out,
            "The {} upload at {} was cropped to the {} of upload time that remained.",
            clock(*seconds),
            instant(*at),
            clock(*remaining)
        ),
        Reason::RefundAccidental => out.write_str("The purchase was made by accident by a friend or family member, which qualifies for a refund review."),
        Reason::RefundUnauthorized => out.write_str("The charge was not made by the cardholder or anyone they know, which qualifies for a refund review."),
        Reason::RefundWindow(w) => write!(
            out,
            "The request came {}{} after the charge ({} the {} hours allowed), and {} of the {} monthly credits were used since the charge, {} ({} the {} limit); {}.",
            if w.partial_second { "a fraction of a second more than " } else { "" },
            duration(w.seconds),
            if w.within { "within" } else { "beyond" },
            w.window_hours,
            w.credits_used,
            w.allowance,
            percent(w.usage_bp),
            if w.below { "below" } else { "not below" },
            percent(u64::from(w.threshold_bp)),
            if w.within && w.below {
                "both conditions hold"
            } else {
                "both conditions must hold, so this rule does not apply"
            }
        ),
        Reason::RefundDiscretionary { eligible } => {
            if *eligible {
                out.write_str("The charge is eligible for review, not approved: every refund is at the provider's discretion, and signs of abuse may lead to a decline or a prorated refund.")
            } else {
                out.write_str("No refund rule applies, so the charge is not eligible; any refund would be at the provider's discretion.")
            }
        }
        Reason::RefundTimeline {
            reply_from,
            reply_by,
            bank_from,
            bank_to,
        } => write!(
            out,
            "Expect a reply between {reply_from} and {reply_by} (business days are Monday to Friday); after approval the money reaches the bank within {bank_from} to {bank_to} business days."
        ),
        Reason::RefundNonRefundable { catalogue } => write!(
            out,
            "Charges in the {catalogue} catalogue are for prepaid credits or pay-as-you-go fees, which are not refundable."
        ),
        Reason::RefundBreach => out.write_str("The account was terminated for breaching the terms, so no refund is due whatever the other rules say."),
        Reason::LicenceOfPlan {
            plan,
            licence,
            by_agreement,
        } => {
            if *by_agreement {
                write!(out, "{plan} carries the {licence} licence, granted by individual agreement.")
            } else {
                write!(out, "{plan} carries the {licence} licence.")
            }
        }
        Reason::LicenceUse {
            licence,
            use_,
            allowed,
            commercial,
            mau,
            limit,
        } => match (allowed, commercial, mau, limit) {
            (_, false, _, _) => write!(
                out,
                "The {licence} licence allows no commercial use, so {use_} is not covered."
            ),
            (true, true, Some(m), Some(l)) => write!(
                out,
                "The {licence} licence covers {use_} with fewer than {} monthly active users; {} is below the limit.",
                thousands(u128::from(*l)),
                thousands(u128::from(*m))
            ),
            (false, true, Some(m), Some(l)) => write!(
                out,
                "The {licence} licence covers {use_} only below {} monthly active users; {} is not below it.",
                thousands(u128::from(*l)),
                thousands(u128::from(*m))
            ),
            (true, true, _, None) => write!(out, "The {licence} licence covers {use_}."),
            (true, true, None, Some(_)) => write!(
                out,
                "The {licence} licence covers {use_}; views and follows on social media, reels and videos do not count as monthly active users."
            ),
            (false, true, _, _) => write!(out, "The {licence} licence does not cover {use_}."),
        },
        Reason::LicenceFollowsTrack { plan, current } => match current {
            Some(c) => write!(
                out,
                "A track keeps the licence of the plan it was made on ({plan}), also now that the account is on {c}, as long as the use stays within that licence."
            ),
            None => write!(
                out,
                "A track keeps the licence of the plan it was made on ({plan}), also after a cancellation or downgrade, as long as the use stays within that licence."
            ),
        },
        Reason::GrantExpiry {
            id,
            credits,
            expires_at,
            default_months,
        } => match default_months {
            Some(m) => write!(
                out,
                "Grant {id} of {} expires {} after issue, at {}.",
                count(*credits, "credit"),
                count(u64::from(*m), "month"),
                instant(*expires_at)
            ),
            None => write!(
                out,
                "Grant {id} of {} expires at {}, as the grant says.",
                count(*credits, "credit"),
                instant(*expires_at)
            ),
        },
        Reason::GrantExpired { id, credits, at } => write!(
            out,
            "{} of grant {id} expired unspent at {}: a grant can be spent up to, but not at, its expiry instant.",
            count(*credits, "credit"),
            instant(*at)
        ),
        Reason::CreditsNotMoney => out.write_str("Credits are not money: they cannot be refunded or transferred."),
        Reason::Spend { at, credits, from } => {
            write!(
                out,
                "The spend of {} at {} was taken from the grants that expire first: ",
                count(*credits, "credit"),
                instant(*at),
            )?;
            for (i, (id, n)) in from.iter().enumerate() {
                let separator = if i == 0 { "" } else { ", " };
                write!(out, "{separator}{n} from {id}")?;
            }
            out.write_str(".")
        }
        Reason::PrepaidBalance { balance, next } => match next {
            Some((n, at)) => write!(
                out,
                "The balance is {} after leaving out expired grants; {n} expire next, at {}.",
                count(*balance, "credit"),
                instant(*at)
            ),
            None => write!(
                out,
                "The balance is {} after leaving out expired grants; nothing is due to expire.",
                count(*balance, "credit")
            ),
        },
        Reason::TopUp {
            at,
            balance,
            threshold,
            amount,
            tax,
        } => write!(
            out,
            "At {} the balance fell to {}, below the threshold of {}, so {} was topped up and charged with {} tax.",
            instant(*at),
            money(*balance),
            money(*threshold),
            money(*amount),
            money(*tax)
        ),
        Reason::TopUpSummary {
            count: n,
            charged,
            balance,
        } => write!(
            out,
            "{} charged {} in total; the final balance is {}.",
            count(*n, "top-up"),
            money(*charged),
            money(*balance)
        ),
        Reason::MinimumAge { adult_on } => match adult_on {
            Some(d) => write!(out, "Users must be at least 18; this customer turns 18 on {d}."),
            None => out.write_str("Users must be at least 18."),
        },
        Reason::ArbitrationOptOut { by, after_update } => write!(
            out,
            "Customers in the US and Canada may opt out of arbitration within 30 days of {}: by {}.",
            if *after_update {
                "the update to the arbitration terms taking effect"
            } else {
                "creating the account"
            },
            instant(*by)
        ),
        Reason::LiabilityCap {
            paid,
            floor,
            cap,
            window_start,
            window_end,
            refunded,
        } => {
            write!(
                out,
                "Liability is capped at the greater of {} and the {} paid from {} to {}",
                money(*floor),
                money(*paid),
                instant(*window_start),
                instant(*window_end),
            )?;
            if let Some(r) = refunded {
                write!(out, " (net of {} refunded)", money(*r))?;
            }
            if paid.currency == floor.currency {
                write!(out, ": {}.", money(*cap))
            } else {
                write!(
                    out,
                    "; amounts in {} are not converted, so the cap shown is the amount paid and the {} floor applies beside it.",
                    paid.currency,
                    money(*floor)
                )
            }
        }
        Reason::Inactivity { after } => write!(
            out,
            "An account inactive for over a year may be terminated: after {}.",
            instant(*after)
        ),
        Reason::DataDeletion { by } => write!(
            out,
            "After the account is cancelled its data is deleted within 90 days: by {}.",
            instant(*by)
        ),
        Reason::CreditApplied { amount } => write!(
            out,
            "The credit balance from an earlier downgrade pays {} of this charge.",
            money(*amount)
        ),
        Reason::RecordedCharge {
            amount,
            description,
        } => match description {
            Some(d) => write!(out, "A charge of {} recorded in the history: {d}", money(*amount)),
            None => write!(out, "A charge of {} recorded in the history.", money(*amount)),
        },
        Reason::RecordedRefund {
            amount,
            description,
        } => {
            write!(
                out,
                "A refund of {} was paid out at the provider's discretion and reduces the amount paid",
                money(*amount)
            )?;
            match description {
                Some(d) => write!(out, ": {d}"),
                None => out.write_str("."),
            }
        }
        Reason::Refused {
            action,
            from,
            to,
            problem,
        } => {
            let from = from.as_deref().unwrap_or("no plan");
            let to = to.as_deref().unwrap_or("another plan");
            match action {
                Action::Subscribe => write!(out, "Subscribing to {to}"),
                Action::Upgrade => write!(out, "Upgrading from {from} to {to}"),
                Action::Downgrade => write!(out, "Downgrading from {from} to {to}"),
                Action::Cancel => out.write_str("Cancelling"),
                Action::Upload => out.write_str("The upload"),
                Action::Refund => out.write_str("The refund request"),
            }?;
            out.write_str(" was refused: ")?;
            match problem {
                Problem::NoSubscription => out.write_str("there is no subscription"),
                Problem::AlreadyPaid => write!(
                    out,
                    "the account already has a paid subscription ({from}); use an upgrade or a downgrade"
                ),
                Problem::NotDearer => write!(out, "{to} is not dearer than {from}"),
                Problem::NotCheaper => write!(out, "{to} is not cheaper than {from}"),
                Problem::AlreadyFree => out.write_str("the account is already on the free plan"),
                Problem::NoCharge => out.write_str("there is no charge to refund"),
            }?;
            out.write_str(".")
        }
        Reason::InformalResolution { may_start } => write!(
            out,
            "A dispute first goes through informal resolution; either side may start arbitration 60 days after it was notified without a resolution: from {}.",
            instant(*may_start)
        ),
    }
}

/// The description of a price line: a plan's unused time (a credit), its remaining time
/// or first period (a charge), or tax.
pub(crate) fn line_description(kind: LineKind, plan: &str, first_period: bool) -> String {
    match (kind, first_period) {
        (LineKind::Credit, _) => format!("Unused time on {plan}"),
        (LineKind::Charge, true) => format!("{plan}, first period"),
        (LineKind::Charge, false) => format!("Remaining time on {plan}"),
        (LineKind::Tax, _) => "Tax".to_owned(),
    }
}

/// An amount with its currency symbol or code, e.g. `$11.99`, `−$6.00`, `¥1,199`,
/// `BHD 1.250`.
fn money(m: Money) -> impl Display {
    Amount(m)
}

/// [`money`]'s `Display`: writes the amount without building strings for its parts.
struct Amount(Money);

impl Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.0;
        let exponent = m.currency.exponent();
        let magnitude = m.amount_minor.unsigned_abs();
        // Past 10^19 the scale outgrows every `u64`, so the whole amount is a fraction.
        let (whole, frac) = match 10_u64.checked_pow(exponent) {
            Some(scale) => (magnitude / scale, magnitude % scale),
            None => (0, magnitude),
        };
        if m.amount_minor < 0 {
            f.write_str("\u{2212}")?;
        }
        match m.currency.code() {
            "USD" => f.write_str("$"),
            "EUR" => f.write_str("€"),
            "GBP" => f.write_str("£"),
            "JPY" => f.write_str("¥"),
            code => write!(f, "{code} "),
        }?;
        Thousands(u128::from(whole)).fmt(f)?;
        if exponent == 0 {
            return Ok(());
        }
        // A point and `exponent` digits; a `u64` has at most 20.
        let mut buf = [b'.'; 40];
        let Some(digits) = buf.get_mut(1..=exponent as usize) else {
            return write!(f, ".{frac:0width$}", width = exponent as usize);
        };
        let mut frac = frac;
        for digit in digits.iter_mut().rev() {
            // `frac % 10` is below 10, so the cast cannot truncate.
            *digit = b'0' + (frac % 10) as u8;
            frac /= 10;
        }
        f.write_str(ascii(&buf[..=exponent as usize])?)
    }
}

/// A whole number with a comma between groups of three digits: `1,234,567`.
fn thousands(n: u128) -> impl Display {
    Thousands(n)
}

/// [`thousands`]'s `Display`.
struct Thousands(u128);

impl Display for Thousands {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // u128::MAX has 39 digits, so 12 commas; written from the right.
        let mut buf = [0_u8; 51];
        let mut start = buf.len();
        let mut written = 0;
        let mut push = |digit: u8| {
            if written > 0 && written % 3 == 0 {
                start -= 1;
                buf[start] = b',';
            }
            start -= 1;
            buf[start] = b'0' + digit;
            written += 1;
        };
        // Dividing a `u64` is far cheaper than dividing a `u128`, and every amount fits.
        // In both loops `n % 10` is below 10, so the cast cannot truncate.
        let mut n = self.0;
        while n > u128::from(u64::MAX) {
            push((n % 10) as u8);
            n /= 10;
        }
        let mut n = u64::try_from(n).map_err(|_| fmt::Error)?;
        loop {
            push((n % 10) as u8);
            n /= 10;
            if n == 0 {
                break;
            }
        }
        f.write_str(ascii(&buf[start..])?)
    }
}

/// Basis points as a percentage: 200 → `2 %`, 2050 → `20.5 %`.
/// "monthly" or "yearly".
fn interval_adjective(interval: Interval) -> &'static str {
    match interval {
        Interval::Month => "monthly",
        Interval::Year => "yearly",
    }
}

/// "month" or "year".
fn interval_noun(interval: Interval) -> &'static str {
    interval.as_str()
}

/// `n` followed by `noun`, with an "s" unless `n` is 1.
fn plural(n: u64, noun: &'static str) -> impl Display {
    fmt::from_fn(move |f| {
        if n == 1 {
            write!(f, "1 {noun}")
        } else {
            write!(f, "{n} {noun}s")
        }
    })
}

fn percent(bp: u64) -> impl Display {
    Percent(bp)
}

/// [`percent`]'s `Display`.
struct Percent(u64);

impl Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / 100;
        let frac = self.0 % 100;
        if frac == 0 {
            write!(f, "{whole} %")
        } else if frac.is_multiple_of(10) {
            write!(f, "{whole}.{} %", frac / 10)
        } else {
            write!(f, "{whole}.{frac:02} %")
        }
    }
}

/// A count with its unit, plural unless it is one: `1 credit`, `1,200 credits`.
fn count(n: u64, unit: &str) -> impl Display + '_ {
    Count(n, unit)
}

/// [`count`]'s `Display`.
struct Count<'a>(u64, &'a str);

impl Display for Count<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Count(n, unit) = *self;
        if n == 1 {
            write!(f, "1 {unit}")
        } else {
            write!(f, "{} {unit}s", Thousands(u128::from(n)))
        }
    }
}

/// An instant as local wall-clock time with its offset.
fn instant(t: DateTime<FixedOffset>) -> impl Display {
    At(t)
}

/// [`instant`]'s `Display`.
struct At(DateTime<FixedOffset>);

impl Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The offset rounds to whole minutes, as chrono's `%:z` does; an offset is under
        // a day, so its hours take two digits.
        let offset = self.0.offset().local_minus_utc();
        let minutes = (offset.unsigned_abs() + 30) / 60;
        crate::calendar::WallClock(self.0.naive_local(), true).fmt(f)?;
        let mut buf = *b" (UTC+00:00)";
        if offset < 0 {
            buf[5] = b'-';
        }
        put_digits(&mut buf[6..8], minutes / 60);
        put_digits(&mut buf[9..11], minutes % 60);
        f.write_str(ascii(&buf)?)
    }
}

/// Digits and punctuation written byte by byte, as text.
fn ascii(bytes: &[u8]) -> Result<&str, fmt::Error> {
    std::str::from_utf8(bytes).map_err(|_| fmt::Error)
}

/// Seconds as `m:ss`, the FAQ's way of writing upload time.
fn clock(seconds: u64) -> impl Display {
    Clock(seconds)
}

/// [`clock`]'s `Display`.
struct Clock(u64);

impl Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// A duration in days, hours, minutes and seconds, leaving out zero parts.
fn duration(seconds: i64) -> impl Display {
    Duration(seconds)
}

/// [`duration`]'s `Display`.
struct Duration(i64);

impl Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0.unsigned_abs();
        let (days, rest) = (s / 86_400, s % 86_400);
        let (hours, rest) = (rest / 3600, rest % 3600);
        let (minutes, secs) = (rest / 60, rest % 60);
        let mut separator = "";
        for (n, unit) in [(days, "day"), (hours, "hour"), (minutes, "minute")] {
            if n > 0 {
                write!(f, "{separator}{}", Count(n, unit))?;
                separator = " ";
            }
        }
        // Seconds are written when there are some, or when nothing else was.
        if secs > 0 || separator.is_empty() {
            write!(f, "{separator}{}", Count(secs, "second"))?;
        }
        Ok(())
    }
}

/// The part `left` of a whole period, written without repeating the unit when both are
/// whole days: `14` of `28 days`.
fn duration_part(left: i64, whole: i64) -> impl Display {
    DurationPart(left, whole)
}

/// [`duration_part`]'s `Display`.
struct DurationPart(i64, i64);

impl Display for DurationPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let DurationPart(left, whole) = *self;
        if left % 86_400 == 0 && whole % 86_400 == 0 {
            write!(f, "{}", left / 86_400)
        } else {
            Duration(left).fmt(f)
        }
    }
}

/// The ` (N so far)` of R-UPGRADE-4 when the usage so far is known; nothing otherwise.
struct SoFar(Option<u64>);

impl Display for SoFar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(used) => write!(f, " ({used} so far)"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    #[test]
    fn amounts_follow_the_exponent() {
        let text = |amount, currency| money(Money::new(amount, currency)).to_string();
        assert_eq!(text(-600, Currency::Usd), "−$6.00");
        assert_eq!(text(123_456, Currency::Jpy), "¥123,456");
        assert_eq!(text(1250, Currency::Bhd), "BHD 1.250");
        assert_eq!(text(5, Currency::Kwd), "KWD 0.005");
        assert_eq!(text(-123_456_789, Currency::Eur), "−€1,234,567.89");
        assert_eq!(text(i64::MIN, Currency::Jpy), "−¥9,223,372,036,854,775,808");
        assert_eq!(text(0, Currency::Gbp), "£0.00");
    }

    #[test]
    fn durations_and_percentages() {
        assert_eq!(
            duration(90_061).to_string(),
            "1 day 1 hour 1 minute 1 second"
        );
        assert_eq!(duration(0).to_string(), "0 seconds");
        assert_eq!(duration(7200).to_string(), "2 hours");
        assert_eq!(duration(-86_460).to_string(), "1 day 1 minute");
        assert_eq!(duration_part(14 * 86_400, 28 * 86_400).to_string(), "14");
        assert_eq!(duration_part(3600, 28 * 86_400).to_string(), "1 hour");
        assert_eq!(percent(200).to_string(), "2 %");
        assert_eq!(percent(2050).to_string(), "20.5 %");
        assert_eq!(percent(199).to_string(), "1.99 %");
        assert_eq!(clock(90).to_string(), "1:30");
        assert_eq!(count(1, "day").to_string(), "1 day");
        assert_eq!(count(1200, "credit").to_string(), "1,200 credits");
        assert_eq!(thousands(0).to_string(), "0");
        assert_eq!(thousands(999).to_string(), "999");
        assert_eq!(thousands(1000).to_string(), "1,000");
        assert_eq!(
            thousands(u128::MAX).to_string(),
            "340,282,366,920,938,463,463,374,607,431,768,211,455"
        );
    }

    #[test]
    fn instants_carry_their_offset() {
        let at = |offset: i32, y: i32| {
            let zone = FixedOffset::east_opt(offset).expect("an offset under a day");
            chrono::NaiveDate::from_ymd_opt(y, 2, 28)
                .and_then(|d| d.and_hms_opt(9, 5, 7))
                .and_then(|t| t.and_local_timezone(zone).single())
                .expect("a valid instant")
        };
        for (offset, year) in [
            (0, 2026),
            (3600, 999),
            (-(5 * 3600 + 1800), 2027),
            (14 * 3600, 10_000),
            (-(23 * 3600 + 59 * 60), -1),
        ] {
            let t = at(offset, year);
            assert_eq!(
                instant(t).to_string(),
                t.format("%Y-%m-%d %H:%M:%S (UTC%:z)").to_string()
            );
        }
        // Seconds in an offset round to the nearest minute.
        assert_eq!(
            instant(at(-(3600 + 59), 2026)).to_string(),
            "2026-02-28 09:05:07 (UTC-01:01)"
        );
    }
}
