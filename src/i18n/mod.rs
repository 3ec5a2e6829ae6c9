//! Every string the widget shows, in English and German, in one place.
//!
//! Numbers, amounts and dates are not formatted here: the caller formats them with the
//! browser's `Intl` (see [`crate::format`]) and passes the formatted text in. The one
//! exception is [`explain`], which renders the rules crate's typed reasons as German
//! sentences and formats their numbers through [`crate::format`] itself.
//!
//! Errors read in the widget's language too: [`error_text`] for the rules crate's
//! errors, [`attribute_error_text`] for attributes and [`load_error_text`] for a remote
//! catalogue.

pub mod explain;

use ratecard_rules::{Currency, RuleError};

use crate::model::account::AccountError;
use crate::model::attrs::AttributeError;
use crate::model::source::{CatalogueLoadError, MAX_CATALOGUE_BYTES};

/// A language the widget is written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// German.
    De,
}

/// A BCP 47 locale: its tag formats numbers and dates through `Intl`, and its language
/// picks the strings (German for `de`, English for every other language).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Locale {
    tag: String,
    lang: Lang,
}

impl Default for Locale {
    fn default() -> Locale {
        Locale {
            tag: "en-US".to_owned(),
            lang: Lang::En,
        }
    }
}

impl Locale {
    /// Accepts a well-formed language tag such as `en-GB`, `de` or `ja-JP`: a primary
    /// language of two or three letters, then subtags of one to eight letters or digits.
    /// German tags read German; every other language reads English, with the tag's own
    /// number and date formats.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard::i18n::{Lang, Locale};
    /// assert_eq!(Locale::from_tag("de-CH").map(|l| l.lang()), Some(Lang::De));
    /// assert_eq!(Locale::from_tag("ja-JP").map(|l| l.lang()), Some(Lang::En));
    /// assert_eq!(Locale::from_tag("<script>"), None);
    /// ```
    #[must_use]
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let tag = tag.replace('_', "-");
        let mut subtags = tag.split('-');
        let primary = subtags.next()?;
        let well_formed = tag.len() <= 35
            && (2..=3).contains(&primary.len())
            && primary.chars().all(|c| c.is_ascii_alphabetic())
            && subtags.all(|s| {
                (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric())
            });
        if !well_formed {
            return None;
        }
        let lang = if primary.eq_ignore_ascii_case("de") {
            Lang::De
        } else {
            Lang::En
        };
        Some(Locale { tag, lang })
    }

    /// Like [`Locale::from_tag`], for a language the widget is written in (English or
    /// German) only: the browser's language is used only when it is one of them.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard::i18n::Locale;
    /// assert!(Locale::translated("en-GB").is_some());
    /// assert_eq!(Locale::translated("fr-FR"), None);
    /// ```
    #[must_use]
    pub fn translated(tag: &str) -> Option<Locale> {
        Locale::from_tag(tag).filter(|l| {
            let primary = l.tag.split('-').next().unwrap_or_default();
            primary.eq_ignore_ascii_case("en") || primary.eq_ignore_ascii_case("de")
        })
    }

    /// The region subtag of the tag (ISO 3166-1 alpha-2, upper case), if it has one:
    /// `DE` for `de-DE`, `CN` for `zh-Hans-CN`, none for `de` or `es-419`.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard::i18n::Locale;
    /// assert_eq!(Locale::from_tag("en-GB").and_then(|l| l.region()).as_deref(), Some("GB"));
    /// assert_eq!(Locale::from_tag("de").and_then(|l| l.region()), None);
    /// ```
    #[must_use]
    pub fn region(&self) -> Option<String> {
        region_of(&self.tag)
    }

    /// The tag, for `Intl`.
    #[must_use]
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The language of the strings.
    #[must_use]
    pub fn lang(&self) -> Lang {
        self.lang
    }
}

/// The region subtag of a language tag: the first subtag after the language (and an
/// optional four-letter script) that is two letters.
#[must_use]
pub fn region_of(tag: &str) -> Option<String> {
    tag.split(['-', '_'])
        .skip(1)
        .find(|s| s.len() != 4)
        .filter(|s| s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic()))
        .map(str::to_ascii_uppercase)
}

/// A fixed string of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    /// The accessible name of the tier table.
    PlansHeading,
    /// Unit after the price.
    PerMonth,
    /// The badge on the customer's current plan.
    CurrentPlan,
    /// The label of a plan's selection button.
    Choose,
    /// The label of the current plan's button.
    YourPlan,
    /// The renewal rule of a free plan (R-CYCLE-4).
    RenewsFirstOfMonth,
    /// The renewal rule of a paid plan (R-CYCLE-1, R-CYCLE-2).
    RenewsOnAnchorDay,
    /// A licence without commercial use (R-LICENCE-1).
    PersonalUseOnly,
    /// A licence granted by agreement (R-LICENCE-1).
    ByAgreement,
    /// Heading of an error box in the tier table.
    ErrorHeading,
    /// Heading of an error box in the checkout and support views.
    CalculationErrorHeading,
    /// Shown while the widget starts.
    Loading,
    /// The accessible name of the checkout view.
    CheckoutHeading,
    /// The kind of an upgrade.
    UpgradeNow,
    /// The kind of a downgrade.
    DowngradeAtRenewal,
    /// The kind of a cancellation.
    CancelToFree,
    /// The total line.
    DueNow,
    /// When the change takes effect.
    TakesEffect,
    /// The next renewal.
    NextRenewal,
    /// The allowance after the change.
    AllowanceAfter,
    /// The heading of the explanation.
    WhyTheseNumbers,
    /// The target is the current plan.
    NoChange,
    /// The checkout lacks a current or target plan.
    ChoosePlans,
    /// Form label: the current plan.
    FieldCurrentPlan,
    /// Form label: the new plan.
    FieldTargetPlan,
    /// Form label: when the subscription started.
    FieldStartedAt,
    /// Form label: the tax rate.
    FieldTaxRate,
    /// The caption of the lines table.
    LinesCaption,
    /// Column heading: the item.
    ColumnItem,
    /// Column heading: the amount.
    ColumnAmount,
    /// The accessible name and heading of the support console.
    SupportHeading,
    /// Label of the history textarea.
    HistoryLabel,
    /// Help under the history textarea.
    HistoryHelp,
    /// The button filling in a sample history.
    LoadSample,
    /// Shown while the history is empty.
    HistoryEmpty,
    /// The button copying the plain-text explanation.
    CopyExplanation,
    /// Status after copying.
    Copied,
    /// Status when the clipboard refuses.
    CopyFailed,
    /// Label of the fallback text area.
    CopyFallbackLabel,
    /// Heading of the timeline.
    TimelineHeading,
    /// Caption of the timeline table.
    TimelineCaption,
    /// Column heading: when.
    ColumnWhen,
    /// Column heading: what happened.
    ColumnWhat,
    /// Column heading: the explanation.
    ColumnWhy,
    /// Column heading: amount or quantity.
    ColumnQuantity,
    /// Heading of the state summary.
    SummaryHeading,
    /// Heading of the quota meters.
    QuotaHeading,
    /// Label of the credit meter.
    CreditsMeter,
    /// Label of the upload meter.
    UploadsMeter,
    /// Heading of the refund position.
    RefundHeading,
    /// A refund eligible for review (R-REFUND-4).
    RefundEligible,
    /// A refund not eligible.
    RefundNotEligible,
    /// No charge to refund.
    RefundNoCharge,
    /// The charge a refund is about.
    ChargeInQuestion,
    /// Credits used since the charge.
    UsageSinceCharge,
    /// The rules that decided.
    DecidedBy,
    /// The reply-by date.
    ReplyBy,
    /// Heading of the licence check.
    LicenceHeading,
    /// Form label: the plan a track was made on.
    FieldPlan,
    /// Form label: the intended use.
    FieldUse,
    /// Form label: monthly active users.
    FieldMau,
    /// The use is allowed.
    LicenceAllowed,
    /// The use is not allowed.
    LicenceNotAllowed,
    /// Use: a release on streaming platforms.
    UseStreaming,
    /// Use: social media.
    UseSocial,
    /// Use: a personal podcast.
    UsePodcast,
    /// Use: a video.
    UseVideo,
    /// Use: a commercial product.
    UseProduct,
    /// Heading of the prepaid balance.
    PrepaidHeading,
    /// The prepaid balance.
    PrepaidBalance,
    /// What expires next.
    NextExpiry,
    /// Nothing left to expire.
    NothingExpires,
    /// Heading of the key terms dates.
    TermsHeading,
    /// Arbitration opt-out deadline (R-TERMS-2).
    OptOutBy,
    /// Data deletion deadline (R-TERMS-5).
    DataDeletedBy,
    /// Liability cap (R-TERMS-3).
    LiabilityCap,
    /// The history has no subscription at the instant.
    NoSubscription,
    /// The report instant.
    ReportAt,
    /// Timeline: a charge.
    KindCharge,
    /// Timeline: a credit.
    KindCredit,
    /// Timeline: tax.
    KindTax,
    /// Timeline: an allowance reset.
    KindAllowanceReset,
    /// Timeline: a refusal.
    KindRefusal,
    /// Timeline: a plan change.
    KindPlanChange,
    /// Timeline: a scheduled change.
    KindChangeScheduled,
    /// Timeline: allowance lost.
    KindAllowanceLost,
    /// Timeline: a grant.
    KindGrant,
    /// Timeline: prepaid credits spent.
    KindGrantSpend,
    /// Timeline: prepaid credits expired.
    KindGrantExpiry,
    /// Timeline: an upload deleted.
    KindUploadDeleted,
    /// Timeline: a refund request judged.
    KindRefundReview,
    /// Option: the current plan of the history.
    PlanFromHistory,
    /// The current period.
    PeriodLabel,
    /// Label of the account search field.
    AccountSearchLabel,
    /// The account search button.
    AccountSearchButton,
    /// Shown before the first search.
    AccountSearchHint,
    /// A search without results.
    NoAccountsFound,
    /// While a search runs.
    Searching,
    /// The accessible name of the search results.
    AccountsFound,
    /// While an account loads.
    LoadingAccount,
    /// Heading of an opened account.
    AccountHeading,
    /// The account id.
    AccountId,
    /// The customer's name.
    AccountName,
    /// The customer's email.
    AccountEmail,
    /// The account's current plan.
    AccountPlan,
    /// A field the account leaves empty.
    NotGiven,
    /// Heading of an account error box.
    AccountErrorHeading,
    /// The summary of the pasted-history section.
    PasteHistory,
    /// The licence of the account's plan.
    AccountLicence,
    /// Unit after a yearly price.
    PerYear,
    /// The accessible name of the interval toggle.
    BillingInterval,
    /// The toggle's monthly button.
    Monthly,
    /// The toggle's yearly button.
    Yearly,
    /// The badge of the recommended plan.
    Recommended,
    /// A button: a dearer plan, at once.
    ActionUpgrade,
    /// A button: a cheaper plan, from the end of the period.
    ActionDowngrade,
    /// A button: the same plan billed yearly.
    ActionSwitchToYearly,
    /// A button: the same plan billed monthly.
    ActionSwitchToMonthly,
    /// A button: the free plan, which cancels the paid one.
    ActionCancel,
    /// A button: start the plan's free trial.
    ActionStartTrial,
    /// The renewal rule of a yearly plan (R-INTERVAL-1, R-INTERVAL-2).
    RenewsYearlyOnAnchorDay,
    /// The kind of a change from monthly to yearly billing (R-INTERVAL-4).
    IntervalChangeNow,
    /// Form label: the current billing interval.
    FieldCurrentInterval,
    /// Form label: the new billing interval.
    FieldTargetInterval,
    /// The end of a free trial.
    TrialEnds,
    /// The checkout of a new subscription, with or without a trial.
    NewSubscription,
    /// When the first charge is made.
    FirstChargeAt,
    /// The first charge.
    FirstCharge,
}

/// The text of a fixed string.
///
/// # Example
///
/// ```
/// use ratecard::i18n::{text, Lang, Msg};
/// assert_eq!(text(Lang::De, Msg::PerMonth), "pro Monat");
/// ```
#[must_use]
pub fn text(lang: Lang, msg: Msg) -> &'static str {
    match (lang, msg) {
        (Lang::En, Msg::PlansHeading) => "Plans",
        (Lang::De, Msg::PlansHeading) => "Tarife",
        (Lang::En, Msg::PerMonth) => "per month",
        (Lang::De, Msg::PerMonth) => "pro Monat",
        (Lang::En, Msg::CurrentPlan) => "Current plan",
        (Lang::De, Msg::CurrentPlan) => "Aktueller Tarif",
        (Lang::En, Msg::Choose) => "Choose",
        (Lang::De, Msg::Choose) => "Auswählen",
        (Lang::En, Msg::YourPlan) => "Your plan",
        (Lang::De, Msg::YourPlan) => "Ihr Tarif",
        (Lang::En, Msg::RenewsFirstOfMonth) => {
            "Allowance resets at midnight on the 1st of every month"
        }
        (Lang::De, Msg::RenewsFirstOfMonth) => {
            "Das Kontingent wird am 1. jedes Monats um Mitternacht erneuert"
        }
        (Lang::En, Msg::RenewsOnAnchorDay) => {
            "Renews monthly on the day you subscribed (the last day in shorter months)"
        }
        (Lang::De, Msg::RenewsOnAnchorDay) => {
            "Verlängert sich monatlich am Tag des Abschlusses (in kürzeren Monaten am letzten Tag)"
        }
        (Lang::En, Msg::PersonalUseOnly) => "Personal use only, no commercial use",
        (Lang::De, Msg::PersonalUseOnly) => "Nur private Nutzung, keine kommerzielle Nutzung",
        (Lang::En, Msg::ByAgreement) => "Commercial use by individual agreement",
        (Lang::De, Msg::ByAgreement) => "Kommerzielle Nutzung nach individueller Vereinbarung",
        (Lang::En, Msg::ErrorHeading) => "This pricing table cannot be shown",
        (Lang::De, Msg::ErrorHeading) => "Diese Preistabelle kann nicht angezeigt werden",
        (Lang::En, Msg::CalculationErrorHeading) => "This cannot be calculated",
        (Lang::De, Msg::CalculationErrorHeading) => "Das lässt sich nicht berechnen",
        (Lang::En, Msg::Loading) => "Loading prices…",
        (Lang::De, Msg::Loading) => "Preise werden geladen…",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::CheckoutHeading) => "Plan change",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::CheckoutHeading) => "Tarifwechsel",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::UpgradeNow) => "Upgrade, effective immediately",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::UpgradeNow) => "Upgrade, sofort wirksam",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::DowngradeAtRenewal) => "Downgrade at the end of the current period",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::DowngradeAtRenewal) => "Downgrade zum Ende des laufenden Zeitraums",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::CancelToFree) => "Cancellation, effective immediately",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::CancelToFree) => "Kündigung, sofort wirksam",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::DueNow) => "Due now",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::DueNow) => "Jetzt fällig",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::TakesEffect) => "Takes effect",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::TakesEffect) => "Wirksam ab",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::NextRenewal) => "Next renewal",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::NextRenewal) => "Nächste Verlängerung",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::AllowanceAfter) => "Allowance after the change",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::AllowanceAfter) => "Kontingent nach dem Wechsel",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::WhyTheseNumbers) => "How this is calculated",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::WhyTheseNumbers) => "So wird gerechnet",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::NoChange) => {
            "This is the current plan: nothing changes and nothing is due."
        }
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::NoChange) => {
            "Das ist der aktuelle Tarif: Es ändert sich nichts und nichts ist fällig."
        }
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::ChoosePlans) => {
            "Choose the current plan, its start and the new plan to see the price of the change."
        }
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::ChoosePlans) => {
            "Wählen Sie den aktuellen Tarif, seinen Beginn und den neuen Tarif, um den Preis des Wechsels zu sehen."
        }
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::FieldCurrentPlan) => "Current plan",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::FieldCurrentPlan) => "Aktueller Tarif",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::FieldTargetPlan) => "New plan",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::FieldTargetPlan) => "Neuer Tarif",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::FieldStartedAt) => "Subscribed at (RFC 3339)",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::FieldStartedAt) => "Abgeschlossen am (RFC 3339)",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::FieldTaxRate) => "Tax rate (basis points, 2000 = 20 %)",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::FieldTaxRate) => "Steuersatz (Basispunkte, 2000 = 20 %)",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::LinesCaption) => "What is charged now",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::LinesCaption) => "Was jetzt berechnet wird",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::ColumnItem) => "Item",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::ColumnItem) => "Posten",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::ColumnAmount) => "Amount",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::ColumnAmount) => "Betrag",
        #[cfg(feature = "support")]
        (Lang::En, Msg::SupportHeading) => "Support console",
        #[cfg(feature = "support")]
        (Lang::De, Msg::SupportHeading) => "Support-Konsole",
        #[cfg(feature = "support")]
        (Lang::En, Msg::HistoryLabel) => "Account history (ledger JSON)",
        #[cfg(feature = "support")]
        (Lang::De, Msg::HistoryLabel) => "Kontoverlauf (Ledger-JSON)",
        #[cfg(feature = "support")]
        (Lang::En, Msg::HistoryHelp) => {
            "Paste the account history, or load the sample and edit it. Everything is computed in this browser."
        }
        #[cfg(feature = "support")]
        (Lang::De, Msg::HistoryHelp) => {
            "Fügen Sie den Kontoverlauf ein oder laden Sie das Beispiel und bearbeiten Sie es. Alles wird in diesem Browser berechnet."
        }
        #[cfg(feature = "support")]
        (Lang::En, Msg::LoadSample) => "Load sample",
        #[cfg(feature = "support")]
        (Lang::De, Msg::LoadSample) => "Beispiel laden",
        #[cfg(feature = "support")]
        (Lang::En, Msg::HistoryEmpty) => {
            "Paste an account history or load the sample to see its timeline."
        }
        #[cfg(feature = "support")]
        (Lang::De, Msg::HistoryEmpty) => {
            "Fügen Sie einen Kontoverlauf ein oder laden Sie das Beispiel, um die Zeitleiste zu sehen."
        }
        #[cfg(feature = "support")]
        (Lang::En, Msg::CopyExplanation) => "Copy explanation",
        #[cfg(feature = "support")]
        (Lang::De, Msg::CopyExplanation) => "Erklärung kopieren",
        #[cfg(feature = "support")]
        (Lang::En, Msg::Copied) => "Explanation copied to the clipboard.",
        #[cfg(feature = "support")]
        (Lang::De, Msg::Copied) => "Erklärung in die Zwischenablage kopiert.",
        #[cfg(feature = "support")]
        (Lang::En, Msg::CopyFailed) => {
            "The clipboard is not available. The text is selected below: copy it with Ctrl+C or ⌘C."
        }
        #[cfg(feature = "support")]
        (Lang::De, Msg::CopyFailed) => {
            "Die Zwischenablage ist nicht verfügbar. Der Text ist unten markiert: Kopieren Sie ihn mit Strg+C oder ⌘C."
        }
        #[cfg(feature = "support")]
        (Lang::En, Msg::CopyFallbackLabel) => "Explanation as plain text",
        #[cfg(feature = "support")]
        (Lang::De, Msg::CopyFallbackLabel) => "Erklärung als reiner Text",
        #[cfg(feature = "support")]
        (Lang::En, Msg::TimelineHeading) => "Timeline",
        #[cfg(feature = "support")]
        (Lang::De, Msg::TimelineHeading) => "Zeitleiste",
        #[cfg(feature = "support")]
        (Lang::En, Msg::TimelineCaption) => {
            "Charges, credits, allowance resets and refusals, oldest first"
        }
        #[cfg(feature = "support")]
        (Lang::De, Msg::TimelineCaption) => {
            "Belastungen, Gutschriften, Kontingent-Erneuerungen und Ablehnungen, älteste zuerst"
        }
        #[cfg(feature = "support")]
        (Lang::En, Msg::AccountSearchLabel) => "Find an account by email or id",
        #[cfg(feature = "support")]
        (Lang::De, Msg::AccountSearchLabel) => "Konto nach E-Mail-Adresse oder ID suchen",
        #[cfg(feature = "support")]
        (Lang::En, Msg::AccountSearchButton) => "Search",
        #[cfg(feature = "support")]
        (Lang::De, Msg::AccountSearchButton) => "Suchen",
        #[cfg(feature = "support")]
        (Lang::En, Msg::AccountSearchHint) => {
            "Type part of an email address or the start of an account id, then search."
        }
        #[cfg(feature = "support")]
        (Lang::De, Msg::AccountSearchHint) => {
            "Geben Sie einen Teil der E-Mail-Adresse oder den Anfang einer Konto-ID ein und suchen Sie."
        }
        #[cfg(feature = "support")]
        (Lang::En, Msg::NoAccountsFound) => "No account matches this search.",
        #[cfg(feature = "support")]
        (Lang::De, Msg::NoAccountsFound) => "Kein Konto passt zu dieser Suche.",
        #[cfg(feature = "support")]
        (Lang::En, Msg::Searching) => "Searching…",
        #[cfg(feature = "support")]
        (Lang::De, Msg::Searching) => "Suche läuft…",
        #[cfg(feature = "support")]
        (Lang::En, Msg::AccountsFound) => "Accounts found",
        #[cfg(feature = "support")]
        (Lang::De, Msg::AccountsFound) => "Gefundene Konten",
        #[cfg(feature = "support")]
        (Lang::En, Msg::LoadingAccount) => "Loading the account…",
        #[cfg(feature = "support")]
        (Lang::De, Msg::LoadingAccount) => "Das Konto wird geladen…",
        #[cfg(feature = "support")]
        (Lang::En, Msg::AccountHeading) => "Account",
        #[cfg(feature = "support")]
        (Lang::De, Msg::AccountHeading) => "Konto",
        #[cfg(feature = "support")]
        (Lang::En, Msg::AccountId) => "Account id",
        #[cfg(feature = "support")]
        (Lang::De, Msg::AccountId) => "Konto-ID",
        #[cfg(feature = "support")]
        (Lang::En, Msg::AccountName) => "Customer name",
        #[cfg(feature = "support")]
        (Lang::De, Msg::AccountName) => "Name des Kunden",
        #[cfg(feature = "support")]
        (Lang::En, Msg::AccountEmail) => "Email",
        #[cfg(feature = "support")]
        (Lang::De, Msg::AccountEmail) => "E-Mail",
        #[cfg(feature = "support")]
        (Lang::En, Msg::AccountPlan) => "Plan",
        #[cfg(feature = "support")]
        (Lang::De, Msg::AccountPlan) => "Tarif",
        #[cfg(feature = "support")]
        (Lang::En, Msg::NotGiven) => "not given",
        #[cfg(feature = "support")]
        (Lang::De, Msg::NotGiven) => "nicht angegeben",
        #[cfg(feature = "support")]
        (Lang::En, Msg::AccountErrorHeading) => "This account cannot be shown",
        #[cfg(feature = "support")]
        (Lang::De, Msg::AccountErrorHeading) => "Dieses Konto kann nicht angezeigt werden",
        #[cfg(feature = "support")]
        (Lang::En, Msg::AccountLicence) => "Licence",
        #[cfg(feature = "support")]
        (Lang::De, Msg::AccountLicence) => "Lizenz",
        #[cfg(feature = "support")]
        (Lang::En, Msg::PasteHistory) => "Paste a history",
        #[cfg(feature = "support")]
        (Lang::De, Msg::PasteHistory) => "Einen Verlauf einfügen",
        #[cfg(feature = "support")]
        (Lang::En, Msg::ColumnWhen) => "When",
        #[cfg(feature = "support")]
        (Lang::De, Msg::ColumnWhen) => "Wann",
        #[cfg(feature = "support")]
        (Lang::En, Msg::ColumnWhat) => "What",
        #[cfg(feature = "support")]
        (Lang::De, Msg::ColumnWhat) => "Was",
        #[cfg(feature = "support")]
        (Lang::En, Msg::ColumnWhy) => "Why",
        #[cfg(feature = "support")]
        (Lang::De, Msg::ColumnWhy) => "Warum",
        #[cfg(feature = "support")]
        (Lang::En, Msg::ColumnQuantity) => "Amount",
        #[cfg(feature = "support")]
        (Lang::De, Msg::ColumnQuantity) => "Betrag",
        #[cfg(feature = "support")]
        (Lang::En, Msg::SummaryHeading) => "Summary",
        #[cfg(feature = "support")]
        (Lang::De, Msg::SummaryHeading) => "Zusammenfassung",
        #[cfg(feature = "support")]
        (Lang::En, Msg::QuotaHeading) => "Quota this period",
        #[cfg(feature = "support")]
        (Lang::De, Msg::QuotaHeading) => "Kontingent in diesem Zeitraum",
        #[cfg(feature = "support")]
        (Lang::En, Msg::CreditsMeter) => "Credits",
        #[cfg(feature = "support")]
        (Lang::De, Msg::CreditsMeter) => "Credit-Kontingent",
        #[cfg(feature = "support")]
        (Lang::En, Msg::UploadsMeter) => "Upload time",
        #[cfg(feature = "support")]
        (Lang::De, Msg::UploadsMeter) => "Upload-Zeit",
        #[cfg(feature = "support")]
        (Lang::En, Msg::RefundHeading) => "Refund",
        #[cfg(feature = "support")]
        (Lang::De, Msg::RefundHeading) => "Erstattung",
        #[cfg(feature = "support")]
        (Lang::En, Msg::RefundEligible) => "Eligible for review",
        #[cfg(feature = "support")]
        (Lang::De, Msg::RefundEligible) => "Zur Prüfung berechtigt",
        #[cfg(feature = "support")]
        (Lang::En, Msg::RefundNotEligible) => "Not eligible",
        #[cfg(feature = "support")]
        (Lang::De, Msg::RefundNotEligible) => "Nicht berechtigt",
        #[cfg(feature = "support")]
        (Lang::En, Msg::RefundNoCharge) => "There is no charge to refund.",
        #[cfg(feature = "support")]
        (Lang::De, Msg::RefundNoCharge) => "Es gibt keine Belastung, die erstattet werden könnte.",
        #[cfg(feature = "support")]
        (Lang::En, Msg::ChargeInQuestion) => "Latest charge",
        #[cfg(feature = "support")]
        (Lang::De, Msg::ChargeInQuestion) => "Letzte Belastung",
        #[cfg(feature = "support")]
        (Lang::En, Msg::UsageSinceCharge) => "Credits used since the charge",
        #[cfg(feature = "support")]
        (Lang::De, Msg::UsageSinceCharge) => "Seit der Belastung verbrauchte Credits",
        #[cfg(feature = "support")]
        (Lang::En, Msg::DecidedBy) => "Decided by",
        #[cfg(feature = "support")]
        (Lang::De, Msg::DecidedBy) => "Entschieden nach",
        #[cfg(feature = "support")]
        (Lang::En, Msg::ReplyBy) => "Reply by",
        #[cfg(feature = "support")]
        (Lang::De, Msg::ReplyBy) => "Antwort bis",
        #[cfg(feature = "support")]
        (Lang::En, Msg::LicenceHeading) => "Licence check",
        #[cfg(feature = "support")]
        (Lang::De, Msg::LicenceHeading) => "Lizenzprüfung",
        #[cfg(feature = "support")]
        (Lang::En, Msg::FieldPlan) => "Plan the track was generated on",
        #[cfg(feature = "support")]
        (Lang::De, Msg::FieldPlan) => "Tarif, mit dem der Track erzeugt wurde",
        #[cfg(feature = "support")]
        (Lang::En, Msg::FieldUse) => "Intended use",
        #[cfg(feature = "support")]
        (Lang::De, Msg::FieldUse) => "Geplante Nutzung",
        #[cfg(feature = "support")]
        (Lang::En, Msg::FieldMau) => "Monthly active users (commercial products)",
        #[cfg(feature = "support")]
        (Lang::De, Msg::FieldMau) => "Monatlich aktive Nutzer (kommerzielle Produkte)",
        #[cfg(feature = "support")]
        (Lang::En, Msg::LicenceAllowed) => "Allowed",
        #[cfg(feature = "support")]
        (Lang::De, Msg::LicenceAllowed) => "Erlaubt",
        #[cfg(feature = "support")]
        (Lang::En, Msg::LicenceNotAllowed) => "Not allowed",
        #[cfg(feature = "support")]
        (Lang::De, Msg::LicenceNotAllowed) => "Nicht erlaubt",
        #[cfg(feature = "support")]
        (Lang::En, Msg::UseStreaming) => "Music release on streaming platforms",
        #[cfg(feature = "support")]
        (Lang::De, Msg::UseStreaming) => "Musikveröffentlichung auf Streaming-Plattformen",
        #[cfg(feature = "support")]
        (Lang::En, Msg::UseSocial) => "Social media",
        #[cfg(feature = "support")]
        (Lang::De, Msg::UseSocial) => "Soziale Medien",
        #[cfg(feature = "support")]
        (Lang::En, Msg::UsePodcast) => "Personal podcast",
        #[cfg(feature = "support")]
        (Lang::De, Msg::UsePodcast) => "Persönlicher Podcast",
        #[cfg(feature = "support")]
        (Lang::En, Msg::UseVideo) => "Video",
        #[cfg(feature = "support")]
        (Lang::De, Msg::UseVideo) => "Videoproduktion",
        #[cfg(feature = "support")]
        (Lang::En, Msg::UseProduct) => "Commercial product",
        #[cfg(feature = "support")]
        (Lang::De, Msg::UseProduct) => "Kommerzielles Produkt",
        #[cfg(feature = "support")]
        (Lang::En, Msg::PrepaidHeading) => "Prepaid credits",
        #[cfg(feature = "support")]
        (Lang::De, Msg::PrepaidHeading) => "Vorausbezahlte Credits",
        #[cfg(feature = "support")]
        (Lang::En, Msg::PrepaidBalance) => "Balance",
        #[cfg(feature = "support")]
        (Lang::De, Msg::PrepaidBalance) => "Guthaben",
        #[cfg(feature = "support")]
        (Lang::En, Msg::NextExpiry) => "Next expiry",
        #[cfg(feature = "support")]
        (Lang::De, Msg::NextExpiry) => "Nächster Verfall",
        #[cfg(feature = "support")]
        (Lang::En, Msg::NothingExpires) => "Nothing left to expire",
        #[cfg(feature = "support")]
        (Lang::De, Msg::NothingExpires) => "Nichts verfällt mehr",
        #[cfg(feature = "support")]
        (Lang::En, Msg::TermsHeading) => "Key terms dates",
        #[cfg(feature = "support")]
        (Lang::De, Msg::TermsHeading) => "Wichtige Fristen",
        #[cfg(feature = "support")]
        (Lang::En, Msg::OptOutBy) => "Arbitration opt-out by",
        #[cfg(feature = "support")]
        (Lang::De, Msg::OptOutBy) => "Widerspruch gegen Schiedsverfahren bis",
        #[cfg(feature = "support")]
        (Lang::En, Msg::DataDeletedBy) => "Data deleted by",
        #[cfg(feature = "support")]
        (Lang::De, Msg::DataDeletedBy) => "Daten gelöscht bis",
        #[cfg(feature = "support")]
        (Lang::En, Msg::LiabilityCap) => "Liability cap for a claim now",
        #[cfg(feature = "support")]
        (Lang::De, Msg::LiabilityCap) => "Haftungsgrenze für einen Anspruch jetzt",
        #[cfg(feature = "support")]
        (Lang::En, Msg::NoSubscription) => "No subscription at this instant.",
        #[cfg(feature = "support")]
        (Lang::De, Msg::NoSubscription) => "Zu diesem Zeitpunkt besteht kein Abonnement.",
        #[cfg(feature = "support")]
        (Lang::En, Msg::ReportAt) => "State at",
        #[cfg(feature = "support")]
        (Lang::De, Msg::ReportAt) => "Stand",
        #[cfg(feature = "support")]
        (Lang::En, Msg::KindCharge) => "Charge",
        #[cfg(feature = "support")]
        (Lang::De, Msg::KindCharge) => "Belastung",
        #[cfg(feature = "support")]
        (Lang::En, Msg::KindCredit) => "Credit",
        #[cfg(feature = "support")]
        (Lang::De, Msg::KindCredit) => "Gutschrift",
        #[cfg(feature = "support")]
        (Lang::En, Msg::KindTax) => "Tax",
        #[cfg(feature = "support")]
        (Lang::De, Msg::KindTax) => "Steuer",
        #[cfg(feature = "support")]
        (Lang::En, Msg::KindAllowanceReset) => "Allowance reset",
        #[cfg(feature = "support")]
        (Lang::De, Msg::KindAllowanceReset) => "Kontingent erneuert",
        #[cfg(feature = "support")]
        (Lang::En, Msg::KindRefusal) => "Refused",
        #[cfg(feature = "support")]
        (Lang::De, Msg::KindRefusal) => "Abgelehnt",
        #[cfg(feature = "support")]
        (Lang::En, Msg::KindPlanChange) => "Plan change",
        #[cfg(feature = "support")]
        (Lang::De, Msg::KindPlanChange) => "Tarifwechsel",
        #[cfg(feature = "support")]
        (Lang::En, Msg::KindChangeScheduled) => "Change scheduled",
        #[cfg(feature = "support")]
        (Lang::De, Msg::KindChangeScheduled) => "Wechsel geplant",
        #[cfg(feature = "support")]
        (Lang::En, Msg::KindAllowanceLost) => "Allowance lost",
        #[cfg(feature = "support")]
        (Lang::De, Msg::KindAllowanceLost) => "Kontingent verfallen",
        #[cfg(feature = "support")]
        (Lang::En, Msg::KindGrant) => "Credits granted",
        #[cfg(feature = "support")]
        (Lang::De, Msg::KindGrant) => "Credits gutgeschrieben",
        #[cfg(feature = "support")]
        (Lang::En, Msg::KindGrantSpend) => "Prepaid credits spent",
        #[cfg(feature = "support")]
        (Lang::De, Msg::KindGrantSpend) => "Vorausbezahlte Credits verbraucht",
        #[cfg(feature = "support")]
        (Lang::En, Msg::KindGrantExpiry) => "Prepaid credits expired",
        #[cfg(feature = "support")]
        (Lang::De, Msg::KindGrantExpiry) => "Vorausbezahlte Credits verfallen",
        #[cfg(feature = "support")]
        (Lang::En, Msg::KindUploadDeleted) => "Upload deleted (copyright)",
        #[cfg(feature = "support")]
        (Lang::De, Msg::KindUploadDeleted) => "Upload gelöscht (Urheberrecht)",
        #[cfg(feature = "support")]
        (Lang::En, Msg::KindRefundReview) => "Refund request",
        #[cfg(feature = "support")]
        (Lang::De, Msg::KindRefundReview) => "Erstattungsantrag",
        #[cfg(feature = "support")]
        (Lang::En, Msg::PlanFromHistory) => "Current plan (from the history)",
        #[cfg(feature = "support")]
        (Lang::De, Msg::PlanFromHistory) => "Aktueller Tarif (aus dem Verlauf)",
        #[cfg(feature = "support")]
        (Lang::En, Msg::PeriodLabel) => "Current period",
        #[cfg(feature = "support")]
        (Lang::De, Msg::PeriodLabel) => "Laufender Zeitraum",
        (Lang::En, Msg::PerYear) => "per year",
        (Lang::De, Msg::PerYear) => "pro Jahr",
        (Lang::En, Msg::BillingInterval) => "Billing interval",
        (Lang::De, Msg::BillingInterval) => "Abrechnungszeitraum",
        (Lang::En, Msg::Monthly) => "Monthly",
        (Lang::De, Msg::Monthly) => "Monatlich",
        (Lang::En, Msg::Yearly) => "Yearly",
        (Lang::De, Msg::Yearly) => "Jährlich",
        (Lang::En, Msg::Recommended) => "Recommended",
        (Lang::De, Msg::Recommended) => "Empfohlen",
        (Lang::En, Msg::ActionUpgrade) => "Upgrade",
        (Lang::De, Msg::ActionUpgrade) => "Upgraden",
        (Lang::En, Msg::ActionDowngrade) => "Downgrade",
        (Lang::De, Msg::ActionDowngrade) => "Downgraden",
        (Lang::En, Msg::ActionSwitchToYearly) => "Switch to yearly",
        (Lang::De, Msg::ActionSwitchToYearly) => "Zu jährlich wechseln",
        (Lang::En, Msg::ActionSwitchToMonthly) => "Switch to monthly",
        (Lang::De, Msg::ActionSwitchToMonthly) => "Zu monatlich wechseln",
        (Lang::En, Msg::ActionCancel) => "Cancel subscription",
        (Lang::De, Msg::ActionCancel) => "Abo kündigen",
        (Lang::En, Msg::ActionStartTrial) => "Start free trial",
        (Lang::De, Msg::ActionStartTrial) => "Kostenlos testen",
        (Lang::En, Msg::RenewsYearlyOnAnchorDay) => {
            "Renews yearly on the date you subscribed; the allowance resets every month"
        }
        (Lang::De, Msg::RenewsYearlyOnAnchorDay) => {
            "Verlängert sich jährlich am Tag des Abschlusses; das Kontingent wird jeden Monat erneuert"
        }
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::IntervalChangeNow) => "Switch to yearly billing, effective immediately",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::IntervalChangeNow) => "Wechsel zur jährlichen Abrechnung, sofort wirksam",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::FieldCurrentInterval) => "Billed now",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::FieldCurrentInterval) => "Derzeit abgerechnet",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::FieldTargetInterval) => "New billing interval",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::FieldTargetInterval) => "Neuer Abrechnungszeitraum",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::TrialEnds) => "Free trial ends",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::TrialEnds) => "Testphase endet",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::NewSubscription) => "New subscription",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::NewSubscription) => "Neues Abonnement",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::FirstChargeAt) => "First charge on",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::FirstChargeAt) => "Erste Abbuchung am",
        #[cfg(feature = "checkout")]
        (Lang::En, Msg::FirstCharge) => "First charge",
        #[cfg(feature = "checkout")]
        (Lang::De, Msg::FirstCharge) => "Erste Abbuchung",
        // The strings of a view this bundle is built without (the `checkout` and
        // `support` features): that view never renders, so its strings stay out of the
        // Wasm of a pricing page.
        #[cfg(not(all(feature = "checkout", feature = "support")))]
        _ => "",
    }
}

/// The label of a billing interval in a form.
#[must_use]
pub fn interval_name(lang: Lang, interval: ratecard_rules::Interval) -> &'static str {
    match interval {
        ratecard_rules::Interval::Month => text(lang, Msg::Monthly),
        ratecard_rules::Interval::Year => text(lang, Msg::Yearly),
    }
}

/// The monthly equivalent of a yearly price (R-INTERVAL-3).
#[must_use]
pub fn per_month_equivalent(lang: Lang, amount: &str) -> String {
    match lang {
        Lang::En => format!("{amount} per month, billed yearly"),
        Lang::De => format!("{amount} pro Monat bei jährlicher Zahlung"),
    }
}

/// The saving of a yearly price against twelve monthly payments (R-INTERVAL-3).
#[must_use]
pub fn saving(lang: Lang, percent: &str) -> String {
    match lang {
        Lang::En => format!("Save {percent}"),
        Lang::De => format!("{percent} sparen"),
    }
}

/// A plan's free trial (R-TRIAL-1).
#[must_use]
pub fn trial_days(lang: Lang, days: &str) -> String {
    match lang {
        Lang::En => format!("{days}-day free trial"),
        Lang::De => format!("{days} Tage kostenlos testen"),
    }
}

/// The label of tax-inclusive prices (R-DISPLAY-1).
#[must_use]
pub fn prices_include_tax(lang: Lang, rate: &str) -> String {
    match lang {
        Lang::En => format!("Prices include {rate} tax"),
        Lang::De => format!("Preise inklusive {rate} MwSt."),
    }
}

/// A plan's button with what is due today: "Upgrade · $9.00 today".
#[must_use]
pub fn due_today(lang: Lang, action: &str, amount: &str) -> String {
    match lang {
        Lang::En => format!("{action} · {amount} today"),
        Lang::De => format!("{action} · heute {amount}"),
    }
}

/// A plan's button with the day a later change takes effect: "Downgrade · From 28 Feb".
#[must_use]
pub fn due_from(lang: Lang, action: &str, day: &str) -> String {
    match lang {
        Lang::En => format!("{action} · From {day}"),
        Lang::De => format!("{action} · ab {day}"),
    }
}

/// The accessible name of a plan's button: its visible text and the plan.
#[must_use]
pub fn plan_button_label(lang: Lang, visible: &str, plan: &str) -> String {
    match lang {
        Lang::En => format!("{visible} ({plan} plan)"),
        Lang::De => format!("{visible} (Tarif {plan})"),
    }
}

/// Why the buttons show no amounts due.
#[must_use]
pub fn due_unavailable(lang: Lang, detail: &str) -> String {
    match lang {
        Lang::En => format!("The amounts due now cannot be calculated: {detail}"),
        Lang::De => format!("Die jetzt fälligen Beträge lassen sich nicht berechnen: {detail}"),
    }
}

/// A free trial until a date, then the first charge (R-TRIAL-1).
#[must_use]
pub fn trial_until(lang: Lang, days: &str, end: &str) -> String {
    match lang {
        Lang::En => format!("{days}-day free trial until {end}: nothing is due now"),
        Lang::De => format!("{days} Tage kostenlos bis {end}: Jetzt ist nichts fällig"),
    }
}

/// "N credits per month".
#[must_use]
pub fn credits_per_month(lang: Lang, credits: &str) -> String {
    match lang {
        Lang::En => format!("{credits} credits per month"),
        Lang::De => format!("{credits} Credits pro Monat"),
    }
}

/// "N tracks with MODEL" (R-CREDIT-COST-1).
#[must_use]
pub fn tracks_with(lang: Lang, tracks: &str, models: &str) -> String {
    match lang {
        Lang::En => format!("{tracks} tracks with {models}"),
        Lang::De => format!("{tracks} Tracks mit {models}"),
    }
}

/// The joiner between model names that share a cost.
#[must_use]
pub fn or_word(lang: Lang) -> &'static str {
    match lang {
        Lang::En => " or ",
        Lang::De => " oder ",
    }
}

/// "N min of uploads per month, each cropped to M" (R-UPLOAD-1, R-UPLOAD-2).
#[must_use]
pub fn uploads(lang: Lang, allowance: &str, crop: &str) -> String {
    match lang {
        Lang::En => format!("{allowance} of uploads per month, each cropped to {crop}"),
        Lang::De => format!("{allowance} Uploads pro Monat, jeweils auf {crop} gekürzt"),
    }
}

/// Commercial use below a monthly-active-user limit (R-LICENCE-2).
#[must_use]
pub fn commercial_below(lang: Lang, limit: Option<&str>) -> String {
    match (lang, limit) {
        (Lang::En, Some(limit)) => format!(
            "Commercial use: releases, streaming, social media, podcasts, videos, and products under {limit} monthly active users"
        ),
        (Lang::De, Some(limit)) => format!(
            "Kommerzielle Nutzung: Veröffentlichungen, Streaming, soziale Medien, Podcasts, Videos und Produkte unter {limit} monatlich aktiven Nutzern"
        ),
        (Lang::En, None) => "Commercial use".to_owned(),
        (Lang::De, None) => "Kommerzielle Nutzung".to_owned(),
    }
}

/// "N credits and M of uploads per period".
#[must_use]
pub fn allowance(lang: Lang, credits: &str, uploads: &str) -> String {
    match lang {
        Lang::En => format!("{credits} credits and {uploads} of uploads per period"),
        Lang::De => format!("{credits} Credits und {uploads} Uploads pro Zeitraum"),
    }
}

/// An account history that is not valid ledger JSON.
#[must_use]
pub fn history_parse_error(lang: Lang, detail: &str) -> String {
    match lang {
        Lang::En => format!("The account history is not valid ledger JSON: {detail}"),
        Lang::De => format!("Der Kontoverlauf ist kein gültiges Ledger-JSON: {detail}"),
    }
}

/// An account history the rules refuse.
#[must_use]
pub fn history_rules_error(lang: Lang, detail: &str) -> String {
    match lang {
        Lang::En => format!("The account history cannot be replayed: {detail}"),
        Lang::De => format!("Der Kontoverlauf kann nicht nachgerechnet werden: {detail}"),
    }
}

/// "N credits".
#[must_use]
pub fn credits(lang: Lang, n: &str) -> String {
    match lang {
        Lang::En => format!("{n} credits"),
        Lang::De => format!("{n} Credits"),
    }
}

/// "U of A used, R left".
#[must_use]
pub fn used_of(lang: Lang, used: &str, allowance: &str, remaining: &str) -> String {
    match lang {
        Lang::En => format!("{used} of {allowance} used, {remaining} left"),
        Lang::De => format!("{used} von {allowance} verbraucht, {remaining} übrig"),
    }
}

/// A monthly-active-user count that is not a whole number.
#[must_use]
pub fn bad_mau(lang: Lang, value: &str) -> String {
    match lang {
        Lang::En => format!("monthly active users `{value}` is not a whole number"),
        Lang::De => format!("Monatlich aktive Nutzer `{value}` ist keine ganze Zahl"),
    }
}

/// Credits used since a charge, in basis points of the monthly allowance (R-REFUND-3).
#[must_use]
pub fn usage_bp(lang: Lang, bp: &str) -> String {
    match lang {
        Lang::En => {
            format!("{bp} basis points of the monthly allowance (below 200 = 2 % qualifies)")
        }
        Lang::De => {
            format!("{bp} Basispunkte des Monatskontingents (unter 200 = 2 % qualifiziert)")
        }
    }
}

/// "N credits expire on DATE".
#[must_use]
pub fn expiring(lang: Lang, credits: &str, date: &str) -> String {
    match lang {
        Lang::En => format!("{credits} credits on {date}"),
        Lang::De => format!("{credits} Credits am {date}"),
    }
}

/// A rules-crate error in the widget's language.
///
/// English is the rules crate's own message. German names the same ids and values; the
/// free-text details some errors carry (a catalogue field's problem, why a request is
/// impossible) come from the rules crate and stay as it wrote them.
#[must_use]
pub fn error_text(lang: Lang, error: &RuleError) -> String {
    if lang == Lang::En {
        return error.to_string();
    }
    match error {
        RuleError::UnknownCurrency { code } => {
            let valid: Vec<&str> = Currency::ALL.iter().map(|c| c.code()).collect();
            format!(
                "Unbekannte Währung `{code}`; gültige Währungen: {}",
                valid.join(", ")
            )
        }
        RuleError::CurrencyMismatch { expected, actual } => {
            format!("{expected} und {actual} können nicht miteinander verrechnet werden")
        }
        RuleError::Overflow { .. } => {
            "Die Werte sind zu groß, um sie genau zu berechnen (Zahlenüberlauf)".to_owned()
        }
        RuleError::InvalidFraction {
            numerator,
            denominator,
        } => format!("Ungültiger Bruch {numerator}/{denominator}"),
        RuleError::InvalidCatalogue {
            source,
            field,
            problem,
        } => format!("Ungültiger Katalog {source}, Feld `{field}`: {problem}"),
        RuleError::UnknownCatalogue { id, valid } => format!(
            "Unbekannter Katalog `{id}`; gültige Kataloge: {}",
            valid.join(", ")
        ),
        RuleError::UnknownId { kind, id, valid } if *kind == "currency" => format!(
            "Der Katalog hat keine Preise in `{id}` (R-CURRENCY-1); seine Währungen: {}",
            valid.join(", ")
        ),
        RuleError::UnknownId { kind, id, valid } => {
            let (what, plural) = match *kind {
                "plan" => ("Tarif", "Tarife"),
                "model" => ("Modell", "Modelle"),
                "licence" => ("Lizenz", "Lizenzen"),
                "time zone" => ("Zeitzone", "Zeitzonen"),
                other => (other, other),
            };
            format!(
                "Unbekannte Angabe für {what}: `{id}`; gültige {plural}: {}",
                valid.join(", ")
            )
        }
        RuleError::Impossible { detail } => format!("Nicht berechenbar: {detail}"),
    }
}

/// An attribute the widget cannot use, in the widget's language.
#[must_use]
pub fn attribute_error_text(lang: Lang, error: &AttributeError) -> String {
    let AttributeError {
        attribute,
        value,
        expected,
    } = error;
    if lang == Lang::En {
        return error.to_string();
    }
    let expected = match *attribute {
        "view" => "`tiers`, `checkout` oder `support`",
        "catalogue" if *expected == crate::model::source::TOML_IN_BROWSER => {
            "ein JSON-Katalog: Das Widget liest `.json`-Dateien; TOML-Kataloge liefert \
             ratecard-server (`--catalogues DIR`) per ID aus"
        }
        "catalogue" => {
            "eine eingebaute Katalog-ID, eine ID auf dem Server (Buchstaben, Ziffern, `-`, `_`, `.`) \
             oder eine http(s)- bzw. relative URL mit der Endung `.json`"
        }
        "locale" => "ein Sprach-Tag nach BCP 47 wie `en-GB`, `de-DE` oder `ja-JP`",
        "currency-display" => "`symbol`, `narrow-symbol`, `code` oder `name`",
        "tax-rate-bp" | "tax-inclusive-rate-bp" => {
            "eine ganze Zahl von Basispunkten von 0 bis 10000 (2000 = 20 %)"
        }
        "started-at" | "at" | "trial-ends-at" => {
            "ein Zeitpunkt nach RFC 3339 wie 2027-01-31T09:00:00Z"
        }
        "interval" | "current-interval" | "target-interval" => "`month` oder `year`",
        "interval-toggle" => "`on` oder `off`",
        "currency" => "ein dreibuchstabiger ISO-4217-Währungscode wie `EUR`",
        "region" => "ein zweibuchstabiger ISO-3166-1-Regionscode wie `DE`",
        _ => expected,
    };
    format!("Das Attribut `{attribute}` hat den Wert `{value}`; erwartet: {expected}")
}

/// Why a remote catalogue cannot be shown, in the widget's language.
#[must_use]
pub fn load_error_text(lang: Lang, error: &CatalogueLoadError) -> String {
    if lang == Lang::En {
        return error.to_string();
    }
    match error {
        CatalogueLoadError::Network { url, detail } => format!(
            "Der Katalog unter {url} konnte nicht abgerufen werden (der Server ist nicht erreichbar oder lässt den Ursprung dieser Seite nicht zu): {detail}"
        ),
        CatalogueLoadError::Status { url, status } => format!(
            "Der Katalog unter {url} konnte nicht geladen werden: Der Server antwortete mit HTTP {status}"
        ),
        CatalogueLoadError::UnknownId { id, detail } => {
            format!("Der Server hat keinen Katalog `{id}`: {detail}")
        }
        CatalogueLoadError::Invalid(detail) => format!("Ungültiger Katalog: {detail}"),
        CatalogueLoadError::TooLarge { url } => format!(
            "Der Katalog unter {url} ist größer als {} KiB",
            MAX_CATALOGUE_BYTES / 1024
        ),
    }
}

/// Why account data cannot be shown, in the widget's language.
#[must_use]
pub fn account_error_text(lang: Lang, error: &AccountError) -> String {
    if lang == Lang::En {
        return error.to_string();
    }
    match error {
        AccountError::Unauthorised => {
            "Der Support-Schlüssel wurde abgelehnt (401): Melden Sie sich \
             mit einem gültigen Schlüssel erneut an."
                .to_owned()
        }
        AccountError::Forbidden => "Dieser Schlüssel darf keine Konten lesen (403): Er ist kein \
             Support-Schlüssel. Melden Sie sich mit einem Support-Schlüssel an."
            .to_owned(),
        AccountError::UnknownAccount { id } => format!(
            "Es gibt kein Konto `{id}` (404): Prüfen Sie die ID oder suchen Sie nach der E-Mail-Adresse."
        ),
        AccountError::Unavailable => "Der Kontospeicher ist nicht verfügbar (503): Versuchen Sie \
             es gleich noch einmal."
            .to_owned(),
        AccountError::Status { status } => {
            format!("Der Server antwortete auf die Frage nach Kontodaten mit HTTP {status}.")
        }
        AccountError::Network { detail } => format!(
            "Der Server ist nicht erreichbar (er läuft nicht, dieser Rechner ist offline oder der \
             Server lässt den Ursprung dieser Seite nicht zu): {detail}"
        ),
        AccountError::Invalid { detail } => {
            format!("Die Kontodaten des Servers sind nicht lesbar: {detail}")
        }
        AccountError::Catalogue(e) => format!(
            "Der Katalog des Kontos kann nicht geladen werden: {}",
            load_error_text(lang, e)
        ),
        AccountError::History(e) => e.message(lang),
    }
}

/// A catalogue at a URL that is not loaded.
#[must_use]
pub fn url_not_loaded(lang: Lang, url: &str) -> String {
    match lang {
        Lang::En => format!("the catalogue at {url} is not loaded"),
        Lang::De => format!("Der Katalog unter {url} ist nicht geladen"),
    }
}

/// A view that the running Wasm bundle was built without. `ratecard.js` starts the
/// bundle each view needs, so a reader sees this only if a page bypasses it.
#[must_use]
pub fn view_not_in_bundle(lang: Lang, view: &str) -> String {
    match lang {
        Lang::En => format!("this copy of the widget has no `{view}` view; reload the page"),
        Lang::De => {
            format!("Diese Fassung des Widgets hat keine Ansicht `{view}`; laden Sie die Seite neu")
        }
    }
}

/// The time zone data a calculation needs could not be fetched or failed its check.
#[cfg(any(feature = "plan-change", feature = "support"))]
#[must_use]
pub fn zone_load_error(lang: Lang, zone: &str, detail: &str) -> String {
    match lang {
        Lang::En => format!(
            "the time zone data for {zone} could not be loaded ({detail}); check the connection and reload the page"
        ),
        Lang::De => format!(
            "Die Zeitzonendaten für {zone} ließen sich nicht laden ({detail}); prüfen Sie die Verbindung und laden Sie die Seite neu"
        ),
    }
}

/// A remote catalogue in the bundle built without the JSON reader. `ratecard.js` starts
/// a bundle with it for every catalogue that is not built in.
#[must_use]
pub fn remote_not_in_bundle(lang: Lang) -> String {
    match lang {
        Lang::En => {
            "this copy of the widget reads built-in catalogues only; reload the page".to_owned()
        }
        Lang::De => {
            "Diese Fassung des Widgets liest nur eingebaute Kataloge; laden Sie die Seite neu"
                .to_owned()
        }
    }
}

/// A catalogue on the server that is not loaded.
#[must_use]
pub fn id_not_loaded(lang: Lang, id: &str) -> String {
    match lang {
        Lang::En => format!("the catalogue `{id}` is not loaded"),
        Lang::De => format!("Der Katalog `{id}` ist nicht geladen"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_and_load_errors_read_in_german() {
        let e = AttributeError {
            attribute: "view",
            value: "chart".into(),
            expected: "`tiers`, `checkout` or `support`",
        };
        assert_eq!(attribute_error_text(Lang::En, &e), e.to_string());
        assert_eq!(
            attribute_error_text(Lang::De, &e),
            "Das Attribut `view` hat den Wert `chart`; erwartet: `tiers`, `checkout` oder `support`"
        );
        let l = CatalogueLoadError::Status {
            url: "/x.json".into(),
            status: 404,
        };
        assert_eq!(load_error_text(Lang::En, &l), l.to_string());
        assert!(load_error_text(Lang::De, &l).contains("HTTP 404"));
    }

    #[test]
    fn rules_errors_read_in_german_and_keep_their_ids() {
        let unknown = RuleError::UnknownId {
            kind: "plan",
            id: "gold".into(),
            valid: vec!["free".into(), "pro".into()],
        };
        assert_eq!(error_text(Lang::En, &unknown), unknown.to_string());
        assert_eq!(
            error_text(Lang::De, &unknown),
            "Unbekannte Angabe für Tarif: `gold`; gültige Tarife: free, pro"
        );
        let catalogue = RuleError::UnknownCatalogue {
            id: "x".into(),
            valid: vec!["stable-audio".into()],
        };
        assert!(error_text(Lang::De, &catalogue).starts_with("Unbekannter Katalog `x`"));
    }

    const ALL: [Msg; 128] = [
        Msg::PerYear,
        Msg::BillingInterval,
        Msg::Monthly,
        Msg::Yearly,
        Msg::Recommended,
        Msg::ActionUpgrade,
        Msg::ActionDowngrade,
        Msg::ActionSwitchToYearly,
        Msg::ActionSwitchToMonthly,
        Msg::ActionCancel,
        Msg::ActionStartTrial,
        Msg::RenewsYearlyOnAnchorDay,
        Msg::IntervalChangeNow,
        Msg::FieldCurrentInterval,
        Msg::FieldTargetInterval,
        Msg::TrialEnds,
        Msg::NewSubscription,
        Msg::FirstChargeAt,
        Msg::FirstCharge,
        Msg::AccountLicence,
        Msg::AccountSearchLabel,
        Msg::AccountSearchButton,
        Msg::AccountSearchHint,
        Msg::NoAccountsFound,
        Msg::Searching,
        Msg::AccountsFound,
        Msg::LoadingAccount,
        Msg::AccountHeading,
        Msg::AccountId,
        Msg::AccountName,
        Msg::AccountEmail,
        Msg::AccountPlan,
        Msg::NotGiven,
        Msg::AccountErrorHeading,
        Msg::PasteHistory,
        Msg::CalculationErrorHeading,
        Msg::PlanFromHistory,
        Msg::PeriodLabel,
        Msg::SupportHeading,
        Msg::HistoryLabel,
        Msg::HistoryHelp,
        Msg::LoadSample,
        Msg::HistoryEmpty,
        Msg::CopyExplanation,
        Msg::Copied,
        Msg::CopyFailed,
        Msg::CopyFallbackLabel,
        Msg::TimelineHeading,
        Msg::TimelineCaption,
        Msg::ColumnWhen,
        Msg::ColumnWhat,
        Msg::ColumnWhy,
        Msg::ColumnQuantity,
        Msg::SummaryHeading,
        Msg::QuotaHeading,
        Msg::CreditsMeter,
        Msg::UploadsMeter,
        Msg::RefundHeading,
        Msg::RefundEligible,
        Msg::RefundNotEligible,
        Msg::RefundNoCharge,
        Msg::ChargeInQuestion,
        Msg::UsageSinceCharge,
        Msg::DecidedBy,
        Msg::ReplyBy,
        Msg::LicenceHeading,
        Msg::FieldPlan,
        Msg::FieldUse,
        Msg::FieldMau,
        Msg::LicenceAllowed,
        Msg::LicenceNotAllowed,
        Msg::UseStreaming,
        Msg::UseSocial,
        Msg::UsePodcast,
        Msg::UseVideo,
        Msg::UseProduct,
        Msg::PrepaidHeading,
        Msg::PrepaidBalance,
        Msg::NextExpiry,
        Msg::NothingExpires,
        Msg::TermsHeading,
        Msg::OptOutBy,
        Msg::DataDeletedBy,
        Msg::LiabilityCap,
        Msg::NoSubscription,
        Msg::ReportAt,
        Msg::KindCharge,
        Msg::KindCredit,
        Msg::KindTax,
        Msg::KindAllowanceReset,
        Msg::KindRefusal,
        Msg::KindPlanChange,
        Msg::KindChangeScheduled,
        Msg::KindAllowanceLost,
        Msg::KindGrant,
        Msg::KindGrantSpend,
        Msg::KindGrantExpiry,
        Msg::KindUploadDeleted,
        Msg::KindRefundReview,
        Msg::CheckoutHeading,
        Msg::UpgradeNow,
        Msg::DowngradeAtRenewal,
        Msg::CancelToFree,
        Msg::DueNow,
        Msg::TakesEffect,
        Msg::NextRenewal,
        Msg::AllowanceAfter,
        Msg::WhyTheseNumbers,
        Msg::NoChange,
        Msg::ChoosePlans,
        Msg::FieldCurrentPlan,
        Msg::FieldTargetPlan,
        Msg::FieldStartedAt,
        Msg::FieldTaxRate,
        Msg::LinesCaption,
        Msg::ColumnItem,
        Msg::ColumnAmount,
        Msg::PlansHeading,
        Msg::PerMonth,
        Msg::CurrentPlan,
        Msg::Choose,
        Msg::YourPlan,
        Msg::RenewsFirstOfMonth,
        Msg::RenewsOnAnchorDay,
        Msg::PersonalUseOnly,
        Msg::ByAgreement,
        Msg::ErrorHeading,
        Msg::Loading,
    ];

    // A bundle without a view leaves that view's strings out (see `text`).
    #[cfg(all(feature = "checkout", feature = "support"))]
    #[test]
    fn every_message_is_translated_and_differs_between_languages() {
        for msg in ALL {
            let (en, de) = (text(Lang::En, msg), text(Lang::De, msg));
            assert!(!en.is_empty() && !de.is_empty(), "{msg:?} is empty");
            assert_ne!(en, de, "{msg:?} is not translated");
        }
    }

    #[test]
    fn every_account_error_reads_in_german() {
        let errors = [
            AccountError::Unauthorised,
            AccountError::Forbidden,
            AccountError::UnknownAccount { id: "cus_9".into() },
            AccountError::Unavailable,
            AccountError::Status { status: 500 },
            AccountError::Network {
                detail: "Failed to fetch".into(),
            },
            AccountError::Invalid { detail: "x".into() },
        ];
        for e in &errors {
            let (en, de) = (
                account_error_text(Lang::En, e),
                account_error_text(Lang::De, e),
            );
            assert_eq!(en, e.to_string());
            assert_ne!(en, de, "{e:?}");
        }
        assert!(account_error_text(Lang::De, &errors[0]).contains("(401)"));
        assert!(account_error_text(Lang::De, &errors[2]).contains("`cus_9` (404)"));
    }

    #[test]
    fn locale_tags_keep_their_region() {
        let locale = Locale::from_tag("en_GB").expect("en_GB is English");
        assert_eq!(locale.tag(), "en-GB");
        assert_eq!(locale.lang(), Lang::En);
        assert_eq!(Locale::from_tag("<script>"), None);
    }
}
