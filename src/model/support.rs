//! The support console: an account history (the ledger input) parsed, replayed by the
//! rules crate, and turned into what an agent reads back to a customer.
//!
//! Everything here is plain data: the component in [`crate::views::support`] only
//! arranges and formats it.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
use ratecard_rules::api::{
    self, EntryKind, LedgerEntry, LedgerEvent, LedgerRequest, LedgerResponse, LicenceCheckRequest,
    LicenceCheckResponse, LicenceUse, Usage,
};
use ratecard_rules::{Catalogue, CatalogueDocument, Currency, RuleError};

use crate::format::{self, CurrencyDisplay};
use crate::i18n::explain::{Numbers, sentences};
use crate::i18n::{self, Lang, Msg, text};
use crate::model::json;

/// A realistic account history to start from: a free start with a refused upload, an
/// upgrade to Pro, generations, uploads (one flagged for copyright), a one-off charge, a
/// promotional grant, an upgrade to Studio and a refund request after the renewal.
pub const SAMPLE_HISTORY: &str = r#"{
  "time_zone": "Europe/Berlin",
  "at": "2027-03-11T12:00:00Z",
  "tax_rate_bp": 1900,
  "events": [
    {"type": "subscribe", "at": "2026-12-20T10:00:00Z", "plan": "free"},
    {"type": "upload", "at": "2026-12-21T18:00:00Z", "seconds": 45},
    {"type": "upload", "at": "2026-12-22T18:00:00Z", "seconds": 30},
    {"type": "upload", "at": "2026-12-23T18:00:00Z", "seconds": 30},
    {"type": "upload", "at": "2026-12-24T18:00:00Z", "seconds": 30},
    {"type": "upload", "at": "2026-12-27T18:00:00Z", "seconds": 20},
    {"type": "upgrade", "at": "2027-01-10T09:00:00Z", "to_plan": "pro"},
    {"type": "generation", "at": "2027-01-12T14:00:00Z", "model": "stable-audio-2.0"},
    {"type": "generation", "at": "2027-01-12T14:05:00Z", "model": "stable-audio-1.1"},
    {"type": "upload", "at": "2027-01-15T16:30:00Z", "seconds": 95},
    {"type": "upload", "at": "2027-01-25T11:00:00Z", "seconds": 240, "copyright_flagged": true},
    {"type": "charge", "at": "2027-01-28T08:00:00Z", "amount_minor": 499, "description": "Stem pack"},
    {"type": "grant", "at": "2027-02-01T00:00:00Z", "id": "welcome-bonus", "credits": 200},
    {"type": "upgrade", "at": "2027-02-24T09:00:00Z", "to_plan": "studio"},
    {"type": "generation", "at": "2027-02-25T10:00:00Z", "model": "stable-audio-2.0"},
    {"type": "generation", "at": "2027-03-10T11:00:00Z", "model": "stable-audio-2.0"},
    {"type": "refund-request", "at": "2027-03-10T20:00:00Z", "reason": "accidental-purchase"}
  ]
}"#;

/// Why a history could not be explained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SupportError {
    /// The text is not a ledger request: bad JSON or a wrong field.
    Parse(String),
    /// The rules refused the history (an unknown plan, say).
    Rules(RuleError),
    /// The data of the history's time zone is still being fetched (`None`), or could not
    /// be had (the readable reason).
    ZoneData(Option<String>),
}

impl SupportError {
    /// The readable message, in the widget's language.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        match self {
            SupportError::Parse(detail) => i18n::history_parse_error(lang, detail),
            SupportError::Rules(error) => {
                i18n::history_rules_error(lang, &i18n::error_text(lang, error))
            }
            SupportError::ZoneData(None) => i18n::text(lang, i18n::Msg::Loading).to_owned(),
            SupportError::ZoneData(Some(reason)) => reason.clone(),
        }
    }
}

/// The time zone of a history whose data this build must fetch before the history can be
/// replayed (see [`ratecard_rules::zone_file_needed`]); `None` for text that is not a
/// history, and always natively, where the whole zone database is compiled in.
///
/// # Example
///
/// ```
/// use ratecard::model::support::{SAMPLE_HISTORY, zone_to_fetch};
/// assert_eq!(zone_to_fetch(SAMPLE_HISTORY), None);
/// ```
#[must_use]
pub fn zone_to_fetch(input: &str) -> Option<String> {
    let request = parse_history(input).ok()?;
    matches!(
        ratecard_rules::zone_file_needed(&request.time_zone),
        Ok(Some(_))
    )
    .then_some(request.time_zone)
}

/// A parsed history and its replay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The history as parsed.
    pub request: LedgerRequest,
    /// The rules crate's answer.
    pub response: LedgerResponse,
    /// The catalogue the history was replayed with.
    pub catalogue: Catalogue,
}

/// Parses the text of a history.
///
/// # Errors
///
/// [`SupportError::Parse`] with the parser's message for text that is not JSON (it names
/// the line and the column), and for a document that is not a history, the message of
/// the first event at fault, by index and type, or else of the document.
pub fn parse_history(input: &str) -> Result<LedgerRequest, SupportError> {
    let doc = json::parse(input).map_err(SupportError::Parse)?;
    doc.read::<LedgerRequest>().map_err(|problem| {
        let events = doc
            .member("events")
            .and_then(|e| e.items())
            .unwrap_or_default();
        let at_fault = events.iter().enumerate().find_map(|(index, event)| {
            let problem = event.read::<LedgerEvent>().err()?;
            let kind = event
                .member("type")
                .and_then(|t| t.as_string())
                .map_or_else(String::new, |t| format!(" (`{t}`)"));
            Some(format!("events[{index}]{kind}: {problem}"))
        });
        SupportError::Parse(at_fault.unwrap_or(problem))
    })
}

/// Parses and replays a history, entirely in the rules crate. The history's own
/// `catalogue` field wins over the widget's catalogue, as on the server.
///
/// # Errors
///
/// [`SupportError::Parse`] for bad JSON, and [`SupportError::Rules`] for a history the
/// rules refuse.
///
/// # Example
///
/// ```
/// use ratecard::model::support::{SAMPLE_HISTORY, explain_history};
/// use ratecard_rules::Catalogue;
/// let report = explain_history(&Catalogue::builtin("stable-audio")?, SAMPLE_HISTORY).unwrap();
/// assert_eq!(report.response.state.plan.as_deref(), Some("studio"));
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
pub fn explain_history(catalogue: &Catalogue, input: &str) -> Result<Report, SupportError> {
    let request = parse_history(input)?;
    let catalogue = match &request.catalogue {
        None => catalogue.clone(),
        Some(c) => api::resolve_catalogue(Some(c)).map_err(SupportError::Rules)?,
    };
    replay(&catalogue, request)
}

/// Replays a ledger request with `catalogue`, entirely in the rules crate: the one replay
/// behind a pasted history and a stored account (see [`crate::model::account`]).
///
/// # Errors
///
/// [`SupportError::Rules`] for a history the rules refuse.
pub fn replay(catalogue: &Catalogue, request: LedgerRequest) -> Result<Report, SupportError> {
    let response = api::ledger(catalogue, &request).map_err(SupportError::Rules)?;
    Ok(Report {
        request,
        response,
        catalogue: catalogue.clone(),
    })
}

/// The stable name of an entry kind, for `data-kind` and styling.
#[must_use]
pub fn kind_name(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Charge => "charge",
        EntryKind::Credit => "credit",
        EntryKind::Tax => "tax",
        EntryKind::AllowanceReset => "allowance-reset",
        EntryKind::Refusal => "refusal",
        EntryKind::PlanChange => "plan-change",
        EntryKind::ChangeScheduled => "change-scheduled",
        EntryKind::AllowanceLost => "allowance-lost",
        EntryKind::Grant => "grant",
        EntryKind::GrantSpend => "grant-spend",
        EntryKind::GrantExpiry => "grant-expiry",
        EntryKind::UploadDeleted => "upload-deleted",
        EntryKind::RefundReview => "refund-review",
    }
}

/// The label of an entry kind.
#[must_use]
pub fn kind_label(lang: Lang, kind: EntryKind) -> &'static str {
    let msg = match kind {
        EntryKind::Charge => Msg::KindCharge,
        EntryKind::Credit => Msg::KindCredit,
        EntryKind::Tax => Msg::KindTax,
        EntryKind::AllowanceReset => Msg::KindAllowanceReset,
        EntryKind::Refusal => Msg::KindRefusal,
        EntryKind::PlanChange => Msg::KindPlanChange,
        EntryKind::ChangeScheduled => Msg::KindChangeScheduled,
        EntryKind::AllowanceLost => Msg::KindAllowanceLost,
        EntryKind::Grant => Msg::KindGrant,
        EntryKind::GrantSpend => Msg::KindGrantSpend,
        EntryKind::GrantExpiry => Msg::KindGrantExpiry,
        EntryKind::UploadDeleted => Msg::KindUploadDeleted,
        EntryKind::RefundReview => Msg::KindRefundReview,
    };
    text(lang, msg)
}

/// How a support view formats numbers and instants: the locale, the customer's zone and
/// the currency of the catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Formatting {
    /// The BCP 47 locale for `Intl`.
    pub locale: String,
    /// The widget's language.
    pub lang: Lang,
    /// The customer's IANA time zone (the history's).
    pub time_zone: String,
    /// The currency of every amount.
    pub currency: Currency,
    /// How the currency is named.
    pub display: CurrencyDisplay,
}

impl Formatting {
    /// An amount.
    #[must_use]
    pub fn money(&self, minor: i64) -> String {
        format::money(&self.locale, minor, self.currency, self.display)
    }

    /// An instant, in the customer's zone.
    #[must_use]
    pub fn date_time(&self, at: &DateTime<FixedOffset>) -> String {
        format::date_time(&self.locale, at, &self.time_zone)
    }

    /// A calendar date (already in the customer's calendar).
    #[must_use]
    pub fn calendar_date(&self, date: NaiveDate) -> String {
        format::date(&self.locale, &midnight_utc(date), "UTC")
    }

    /// A count.
    #[must_use]
    pub fn count(&self, n: u64) -> String {
        format::count(&self.locale, n)
    }

    /// A number of seconds.
    #[must_use]
    pub fn seconds(&self, s: u64) -> String {
        format::duration(&self.locale, u32::try_from(s).unwrap_or(u32::MAX))
    }

    /// How numbers in explanation sentences are formatted.
    #[must_use]
    pub fn numbers(&self) -> Numbers<'_> {
        Numbers {
            locale: &self.locale,
            time_zone: &self.time_zone,
            display: self.display,
        }
    }
}

/// A calendar date as the instant of its midnight in UTC, for `Intl` with `timeZone: UTC`.
#[must_use]
pub fn midnight_utc(date: NaiveDate) -> DateTime<FixedOffset> {
    date.and_time(NaiveTime::MIN).and_utc().fixed_offset()
}

/// What a timeline row shows besides its explanation: the amount of money, or the
/// credits or seconds concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Quantity {
    /// Money, in minor units.
    Money(i64),
    /// Credits.
    Credits(u64),
    /// Seconds of upload time.
    Seconds(u64),
    /// Nothing to count.
    None,
}

/// Whether an entry's `quantity` is upload seconds rather than credits.
fn counts_seconds(entry: &LedgerEntry) -> bool {
    entry.kind == EntryKind::UploadDeleted
        || entry.rules.iter().any(|r| r.starts_with("R-UPLOAD"))
            && !entry.rules.iter().any(|r| r.starts_with("R-QUOTA"))
}

/// The quantity a timeline entry shows.
#[must_use]
pub fn quantity(entry: &LedgerEntry) -> Quantity {
    match (entry.amount_minor, entry.quantity) {
        (Some(minor), _) => Quantity::Money(minor),
        (None, Some(q)) if counts_seconds(entry) => Quantity::Seconds(q),
        (None, Some(q)) => Quantity::Credits(q),
        (None, None) => Quantity::None,
    }
}

/// A quantity as text.
#[must_use]
pub fn quantity_text(f: &Formatting, q: &Quantity) -> String {
    match q {
        Quantity::Money(minor) => f.money(*minor),
        Quantity::Credits(n) => i18n::credits(f.lang, &f.count(*n)),
        Quantity::Seconds(s) => f.seconds(*s),
        Quantity::None => String::new(),
    }
}

/// A quota meter: how much of a period's allowance is used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeterModel {
    /// `credits` or `uploads`.
    pub id: &'static str,
    /// The label, such as "Credits this period".
    pub label: &'static str,
    /// The allowance, the `max` of the meter.
    pub allowance: u64,
    /// What is used, the `value` of the meter.
    pub used: u64,
    /// What is left.
    pub remaining: u64,
    /// "12 of 1,350 used, 1,338 left".
    pub text: String,
}

/// The credit and upload meters of the current period.
#[must_use]
pub fn meters(f: &Formatting, response: &LedgerResponse) -> [MeterModel; 2] {
    let meter = |id, msg, u: &Usage, fmt: &dyn Fn(u64) -> String| MeterModel {
        id,
        label: text(f.lang, msg),
        allowance: u.allowance,
        used: u.used,
        remaining: u.remaining,
        text: i18n::used_of(f.lang, &fmt(u.used), &fmt(u.allowance), &fmt(u.remaining)),
    };
    [
        meter(
            "credits",
            Msg::CreditsMeter,
            &response.state.credits,
            &|n| f.count(n),
        ),
        meter(
            "uploads",
            Msg::UploadsMeter,
            &response.state.upload_seconds,
            &|n| f.seconds(n),
        ),
    ]
}

/// A timeline entry's explanation as `(rule, sentence)` in the widget's language.
#[must_use]
pub fn entry_sentences(f: &Formatting, entry: &LedgerEntry) -> Vec<(String, String)> {
    sentences(f.lang, &f.numbers(), &entry.explanation, &entry.reasons)
}

/// The summary explanation as `(rule, sentence)` in the widget's language.
#[must_use]
pub fn summary_sentences(f: &Formatting, response: &LedgerResponse) -> Vec<(String, String)> {
    sentences(
        f.lang,
        &f.numbers(),
        &response.explanation,
        &response.reasons,
    )
}

/// The summary sentences about refunds: those of R-REFUND rules in the state's
/// explanation, in the widget's language.
#[must_use]
pub fn refund_sentences(f: &Formatting, response: &LedgerResponse) -> Vec<(String, String)> {
    summary_sentences(f, response)
        .into_iter()
        .filter(|(rule, _)| rule.starts_with("R-REFUND"))
        .collect()
}

/// The plain text an agent pastes into a reply: the state, then every timeline entry with
/// each of its explanation lines and rule ids, then the summary, all in the widget's
/// language.
///
/// # Example
///
/// ```
/// use ratecard::i18n::Lang;
/// use ratecard::model::support::{Formatting, SAMPLE_HISTORY, explain_history, plain_text};
/// use ratecard_rules::{Catalogue, Currency, RuleError};
/// let report = explain_history(&Catalogue::builtin("stable-audio")?, SAMPLE_HISTORY).unwrap();
/// let f = Formatting {
///     locale: "en-US".into(), lang: Lang::En, time_zone: "UTC".into(),
///     currency: Currency::Usd, display: Default::default(),
/// };
/// assert!(plain_text(&f, &report).contains("[R-UPGRADE-2]"));
/// # Ok::<(), ratecard_rules::RuleError>(())
/// ```
#[must_use]
pub fn plain_text(f: &Formatting, report: &Report) -> String {
    let r = &report.response;
    let lang = f.lang;
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(text(lang, Msg::SupportHeading).to_owned());
    if let Some(plan) = &r.state.plan {
        line(format!(
            "{}: {}",
            text(lang, Msg::CurrentPlan),
            plan_name(&report.catalogue, plan)
        ));
    }
    for m in meters(f, r) {
        line(format!("{}: {}", m.label, m.text));
    }
    if let Some(refund) = &r.state.refund {
        let status = if refund.eligible {
            text(lang, Msg::RefundEligible)
        } else {
            text(lang, Msg::RefundNotEligible)
        };
        line(format!(
            "{}: {} ({}); {}: {}",
            text(lang, Msg::RefundHeading),
            status,
            refund.rules.join(", "),
            text(lang, Msg::ReplyBy),
            f.calendar_date(refund.reply_by)
        ));
    }
    line(String::new());
    line(text(lang, Msg::TimelineHeading).to_owned());
    for entry in &r.timeline {
        let q = quantity_text(f, &quantity(entry));
        let head = format!(
            "{} · {}{}",
            f.date_time(&entry.at),
            kind_label(lang, entry.kind),
            if q.is_empty() {
                String::new()
            } else {
                format!(" · {q}")
            }
        );
        line(head);
        for (rule, sentence) in entry_sentences(f, entry) {
            line(format!("  [{rule}] {sentence}"));
        }
    }
    line(String::new());
    line(text(lang, Msg::SummaryHeading).to_owned());
    for (rule, sentence) in summary_sentences(f, r) {
        line(format!("[{rule}] {sentence}"));
    }
    out
}

/// A plan's name, or its id when the catalogue does not know it.
#[must_use]
pub fn plan_name(catalogue: &Catalogue, id: &str) -> String {
    catalogue
        .plan(id)
        .map_or_else(|_| id.to_owned(), |p| p.name.clone())
}

/// The uses the licence form offers, with their wire names.
pub const LICENCE_USES: [(LicenceUse, &str); 5] = [
    (LicenceUse::StreamingRelease, "streaming-release"),
    (LicenceUse::SocialMedia, "social-media"),
    (LicenceUse::Podcast, "podcast"),
    (LicenceUse::Video, "video"),
    (LicenceUse::CommercialProduct, "commercial-product"),
];

/// The label of a use.
#[must_use]
pub fn use_label(lang: Lang, use_: LicenceUse) -> &'static str {
    let msg = match use_ {
        LicenceUse::StreamingRelease => Msg::UseStreaming,
        LicenceUse::SocialMedia => Msg::UseSocial,
        LicenceUse::Podcast => Msg::UsePodcast,
        LicenceUse::Video => Msg::UseVideo,
        LicenceUse::CommercialProduct => Msg::UseProduct,
    };
    text(lang, msg)
}

/// A use from its wire name.
#[must_use]
pub fn use_from_name(name: &str) -> Option<LicenceUse> {
    LICENCE_USES
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(u, _)| *u)
}

/// Checks a use against a plan's licence (R-LICENCE-1 to R-LICENCE-3). `mau` is the text
/// of the form's number field; blank means not given.
///
/// # Errors
///
/// A readable message for a MAU that is not a whole number, or the rules' error (an
/// unknown plan, or a commercial product without a MAU).
pub fn check_licence(
    catalogue: &Catalogue,
    lang: Lang,
    plan: &str,
    use_: LicenceUse,
    mau: &str,
) -> Result<LicenceCheckResponse, String> {
    let mau = mau.trim();
    let monthly_active_users = if mau.is_empty() {
        None
    } else {
        Some(mau.parse::<u64>().map_err(|_| i18n::bad_mau(lang, mau))?)
    };
    api::licence_check(
        catalogue,
        &LicenceCheckRequest {
            catalogue: None,
            plan: plan.to_owned(),
            use_,
            monthly_active_users,
            current_plan: None,
        },
    )
    .map_err(|e| i18n::error_text(lang, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        Catalogue::builtin("stable-audio").expect("the default catalogue is valid")
    }

    fn sample() -> Report {
        explain_history(&catalogue(), SAMPLE_HISTORY).expect("the sample replays")
    }

    fn formatting() -> Formatting {
        Formatting {
            locale: "en-US".into(),
            lang: Lang::En,
            time_zone: "UTC".into(),
            currency: Currency::Usd,
            display: CurrencyDisplay::Symbol,
        }
    }

    #[test]
    fn the_sample_covers_every_kind_an_agent_meets() {
        let report = sample();
        let kinds: Vec<&str> = report
            .response
            .timeline
            .iter()
            .map(|e| kind_name(e.kind))
            .collect();
        for kind in [
            "charge",
            "credit",
            "allowance-reset",
            "refusal",
            "plan-change",
            "grant",
            "upload-deleted",
            "refund-review",
        ] {
            assert!(kinds.contains(&kind), "no {kind} in {kinds:?}");
        }
        assert_eq!(report.response.ignored_events, 0);
    }

    #[test]
    fn the_sample_charges_are_the_rule_book_amounts() {
        let report = sample();
        let charges: Vec<i64> = report
            .response
            .timeline
            .iter()
            .filter(|e| e.kind == EntryKind::Charge)
            .filter_map(|e| e.amount_minor)
            .collect();
        // Free → Pro on 10 Jan: the full 11.99 (R-UPGRADE-3); the one-off 4.99.
        assert_eq!(charges.first(), Some(&1199));
        assert!(charges.contains(&499), "{charges:?}");
        // Studio renews on 10 Mar at 29.99.
        assert!(charges.contains(&2999), "{charges:?}");
    }

    #[test]
    fn the_sample_state_is_what_the_agent_reads_back() {
        let state = sample().response.state;
        assert_eq!(state.plan.as_deref(), Some("studio"));
        // Studio period from 10 Mar: one 2.0 generation on 10 Mar.
        assert_eq!(state.credits.allowance, 1350);
        assert_eq!(state.credits.used, 2);
        assert_eq!(state.credits.remaining, 1348);
        let refund = state.refund.expect("a charge to judge");
        assert_eq!(refund.charge.amount_minor, 2999 + 570);
        assert!(
            refund.eligible,
            "26 h after the renewal, 2 of 1350 credits used"
        );
        assert_eq!(state.prepaid.balance, 200);
        let next = state.prepaid.expiring_next.expect("the grant expires");
        assert_eq!(next.credits, 200);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn invalid_json_says_where() {
        let err = explain_history(&catalogue(), "{\"at\": ").expect_err("not JSON");
        let SupportError::Parse(detail) = &err else {
            panic!("{err:?}")
        };
        assert!(detail.contains("line 1"), "{detail}");
        assert!(err.message(Lang::De).contains("JSON"));
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_history_that_is_json_but_not_a_ledger_names_the_event_at_fault() {
        let history = r#"{"at": "2027-03-01T00:00:00Z", "events": [
            {"type": "subscribe", "at": "2027-02-01T00:00:00Z", "plan": "pro"},
            {"type": "charge", "at": "2027-02-01T00:00:00Z", "amount_minor": "11.99"}]}"#;
        let Err(SupportError::Parse(detail)) = parse_history(history) else {
            panic!("a string amount parsed")
        };
        assert!(detail.starts_with("events[1] (`charge`): "), "{detail}");
        assert!(detail.contains("invalid type"), "{detail}");
        // Without an event at fault, the message is the document's.
        let Err(SupportError::Parse(detail)) = parse_history(r#"{"at": 5, "events": []}"#) else {
            panic!("a number for `at` parsed")
        };
        assert!(detail.contains("invalid type"), "{detail}");
    }

    #[test]
    fn a_rules_error_names_the_valid_plans() {
        let history = r#"{"at": "2027-03-01T00:00:00Z",
            "events": [{"type": "subscribe", "at": "2027-02-01T00:00:00Z", "plan": "gold"}]}"#;
        let err = explain_history(&catalogue(), history).expect_err("unknown plan");
        assert!(matches!(err, SupportError::Rules(_)), "{err:?}");
        assert!(
            err.message(Lang::En).contains("free, pro, studio, max"),
            "{err:?}"
        );
    }

    #[test]
    fn meters_count_credits_and_upload_seconds() {
        let report = sample();
        let [credits, uploads] = meters(&formatting(), &report.response);
        assert_eq!((credits.used, credits.allowance), (2, 1350));
        assert_eq!(credits.text, "2 of 1350 used, 1348 left");
        assert_eq!(uploads.id, "uploads");
        assert_eq!(uploads.allowance, 3600);
    }

    #[test]
    fn deleted_uploads_count_seconds_and_charges_money() {
        let report = sample();
        let deleted = report
            .response
            .timeline
            .iter()
            .find(|e| e.kind == EntryKind::UploadDeleted)
            .expect("the flagged upload");
        // 240 s cropped to the paid plan's 3 minutes (R-UPLOAD-2, R-UPLOAD-3).
        assert_eq!(quantity(deleted), Quantity::Seconds(180));
        let charge = report
            .response
            .timeline
            .iter()
            .find(|e| e.kind == EntryKind::Charge)
            .expect("a charge");
        assert_eq!(quantity(charge), Quantity::Money(1199));
        assert_eq!(quantity_text(&formatting(), &quantity(charge)), "USD 11.99");
    }

    #[test]
    fn the_plain_text_carries_every_explanation_line_with_its_rule() {
        let report = sample();
        let out = plain_text(&formatting(), &report);
        for entry in &report.response.timeline {
            for e in &entry.explanation {
                assert!(
                    out.contains(&format!("[{}] {}", e.rule, e.text)),
                    "missing {e:?}"
                );
            }
        }
        for e in &report.response.explanation {
            assert!(out.contains(&format!("[{}] {}", e.rule, e.text)));
        }
        assert!(
            out.contains("Refund: Eligible for review (R-REFUND-3)"),
            "{out}"
        );
        assert!(out.starts_with("Support console\n"));
    }

    #[test]
    fn the_sample_ledger_explains_itself_in_german() {
        use crate::i18n::explain::reason_de;
        let request = parse_history(SAMPLE_HISTORY).expect("the sample parses");
        let response = api::ledger(&catalogue(), &request).expect("the sample replays");
        let f = Formatting {
            locale: "de-DE".into(),
            lang: Lang::De,
            ..formatting()
        };
        let explained = response
            .timeline
            .iter()
            .map(|e| (&e.explanation, &e.reasons))
            .chain([(&response.explanation, &response.reasons)]);
        let mut count = 0;
        for (lines, reasons) in explained {
            assert_eq!(lines.len(), reasons.len(), "one reason per line");
            for (line, reason) in lines.iter().zip(reasons) {
                assert_eq!(line.rule, reason.rule(), "same rule, same order");
                assert_eq!(line.text, reason.text(), "the line is the reason's");
                let de = reason_de(&f.numbers(), reason);
                assert!(!de.trim().is_empty(), "{reason:?} renders empty");
                assert_ne!(de, line.text, "{reason:?} falls back to English");
                count += 1;
            }
        }
        assert!(count > 20, "the sample explains a lot: {count}");

        let report = Report {
            request,
            response,
            catalogue: catalogue(),
        };
        let out = plain_text(&f, &report);
        assert!(out.starts_with("Support-Konsole\n"), "{out}");
        for entry in &report.response.timeline {
            for (line, reason) in entry.explanation.iter().zip(&entry.reasons) {
                let de = format!("  [{}] {}", line.rule, reason_de(&f.numbers(), reason));
                assert!(out.contains(&de), "missing {de} in {out}");
                assert!(!out.contains(&line.text), "English {} in {out}", line.text);
            }
        }
        for (line, reason) in report
            .response
            .explanation
            .iter()
            .zip(&report.response.reasons)
        {
            let de = format!("[{}] {}", line.rule, reason_de(&f.numbers(), reason));
            assert!(out.contains(&de), "missing {de} in {out}");
        }
        assert!(!out.contains("The request came"), "{out}");
        let refund = refund_sentences(&f, &report.response);
        assert!(!refund.is_empty());
        assert!(refund.iter().all(|(rule, _)| rule.starts_with("R-REFUND")));
        assert!(
            refund.iter().all(|(_, t)| out.contains(t.as_str())),
            "{refund:?}"
        );
    }

    #[test]
    fn the_licence_check_follows_the_mau_limit() {
        let c = catalogue();
        let product = LicenceUse::CommercialProduct;
        let ok = check_licence(&c, Lang::En, "pro", product, "99999").expect("checks");
        assert!(ok.allowed);
        assert_eq!(ok.licence, "creator");
        let no = check_licence(&c, Lang::En, "pro", product, " 100000 ").expect("checks");
        assert!(!no.allowed);
        let free = check_licence(&c, Lang::En, "free", LicenceUse::Podcast, "").expect("checks");
        assert!(!free.allowed);
        let bad = check_licence(&c, Lang::En, "pro", product, "lots").expect_err("not a number");
        assert!(bad.contains("`lots`"), "{bad}");
        assert!(check_licence(&c, Lang::En, "pro", product, "").is_err());
    }

    #[test]
    fn uses_round_trip_their_wire_names() {
        for (use_, name) in LICENCE_USES {
            assert_eq!(use_from_name(name), Some(use_));
            let json = serde_json::to_value(use_).expect("serialises");
            assert_eq!(json, name);
        }
        assert_eq!(use_from_name("radio"), None);
    }

    #[test]
    fn calendar_dates_are_midnight_utc() {
        let d = NaiveDate::from_ymd_opt(2027, 3, 15).expect("a date");
        assert_eq!(midnight_utc(d).to_rfc3339(), "2027-03-15T00:00:00+00:00");
    }
}
