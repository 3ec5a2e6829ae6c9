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

/// A BCP 47 locale whose language the widget supports.
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
    /// Accepts a tag whose primary language is English or German, such as `en-GB` or `de`.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard::i18n::{Lang, Locale};
    /// assert_eq!(Locale::from_tag("de-CH").map(|l| l.lang()), Some(Lang::De));
    /// assert_eq!(Locale::from_tag("fr"), None);
    /// ```
    #[must_use]
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        let lang = match primary.as_str() {
            "en" => Lang::En,
            "de" => Lang::De,
            _ => return None,
        };
        let valid = tag.len() <= 35
            && tag
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        valid.then(|| Locale {
            tag: tag.replace('_', "-"),
            lang,
        })
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
        (Lang::En, Msg::CheckoutHeading) => "Plan change",
        (Lang::De, Msg::CheckoutHeading) => "Tarifwechsel",
        (Lang::En, Msg::UpgradeNow) => "Upgrade, effective immediately",
        (Lang::De, Msg::UpgradeNow) => "Upgrade, sofort wirksam",
        (Lang::En, Msg::DowngradeAtRenewal) => "Downgrade at the end of the current period",
        (Lang::De, Msg::DowngradeAtRenewal) => "Downgrade zum Ende des laufenden Zeitraums",
        (Lang::En, Msg::CancelToFree) => "Cancellation, effective immediately",
        (Lang::De, Msg::CancelToFree) => "Kündigung, sofort wirksam",
        (Lang::En, Msg::DueNow) => "Due now",
        (Lang::De, Msg::DueNow) => "Jetzt fällig",
        (Lang::En, Msg::TakesEffect) => "Takes effect",
        (Lang::De, Msg::TakesEffect) => "Wirksam ab",
        (Lang::En, Msg::NextRenewal) => "Next renewal",
        (Lang::De, Msg::NextRenewal) => "Nächste Verlängerung",
        (Lang::En, Msg::AllowanceAfter) => "Allowance after the change",
        (Lang::De, Msg::AllowanceAfter) => "Kontingent nach dem Wechsel",
        (Lang::En, Msg::WhyTheseNumbers) => "How this is calculated",
        (Lang::De, Msg::WhyTheseNumbers) => "So wird gerechnet",
        (Lang::En, Msg::NoChange) => {
            "This is the current plan: nothing changes and nothing is due."
        }
        (Lang::De, Msg::NoChange) => {
            "Das ist der aktuelle Tarif: Es ändert sich nichts und nichts ist fällig."
        }
        (Lang::En, Msg::ChoosePlans) => {
            "Choose the current plan, its start and the new plan to see the price of the change."
        }
        (Lang::De, Msg::ChoosePlans) => {
            "Wählen Sie den aktuellen Tarif, seinen Beginn und den neuen Tarif, um den Preis des Wechsels zu sehen."
        }
        (Lang::En, Msg::FieldCurrentPlan) => "Current plan",
        (Lang::De, Msg::FieldCurrentPlan) => "Aktueller Tarif",
        (Lang::En, Msg::FieldTargetPlan) => "New plan",
        (Lang::De, Msg::FieldTargetPlan) => "Neuer Tarif",
        (Lang::En, Msg::FieldStartedAt) => "Subscribed at (RFC 3339)",
        (Lang::De, Msg::FieldStartedAt) => "Abgeschlossen am (RFC 3339)",
        (Lang::En, Msg::FieldTaxRate) => "Tax rate (basis points, 2000 = 20 %)",
        (Lang::De, Msg::FieldTaxRate) => "Steuersatz (Basispunkte, 2000 = 20 %)",
        (Lang::En, Msg::LinesCaption) => "What is charged now",
        (Lang::De, Msg::LinesCaption) => "Was jetzt berechnet wird",
        (Lang::En, Msg::ColumnItem) => "Item",
        (Lang::De, Msg::ColumnItem) => "Posten",
        (Lang::En, Msg::ColumnAmount) => "Amount",
        (Lang::De, Msg::ColumnAmount) => "Betrag",
        (Lang::En, Msg::SupportHeading) => "Support console",
        (Lang::De, Msg::SupportHeading) => "Support-Konsole",
        (Lang::En, Msg::HistoryLabel) => "Account history (ledger JSON)",
        (Lang::De, Msg::HistoryLabel) => "Kontoverlauf (Ledger-JSON)",
        (Lang::En, Msg::HistoryHelp) => {
            "Paste the account history, or load the sample and edit it. Everything is computed in this browser."
        }
        (Lang::De, Msg::HistoryHelp) => {
            "Fügen Sie den Kontoverlauf ein oder laden Sie das Beispiel und bearbeiten Sie es. Alles wird in diesem Browser berechnet."
        }
        (Lang::En, Msg::LoadSample) => "Load sample",
        (Lang::De, Msg::LoadSample) => "Beispiel laden",
        (Lang::En, Msg::HistoryEmpty) => {
            "Paste an account history or load the sample to see its timeline."
        }
        (Lang::De, Msg::HistoryEmpty) => {
            "Fügen Sie einen Kontoverlauf ein oder laden Sie das Beispiel, um die Zeitleiste zu sehen."
        }
        (Lang::En, Msg::CopyExplanation) => "Copy explanation",
        (Lang::De, Msg::CopyExplanation) => "Erklärung kopieren",
        (Lang::En, Msg::Copied) => "Explanation copied to the clipboard.",
        (Lang::De, Msg::Copied) => "Erklärung in die Zwischenablage kopiert.",
        (Lang::En, Msg::CopyFailed) => {
            "The clipboard is not available. The text is selected below: copy it with Ctrl+C or ⌘C."
        }
        (Lang::De, Msg::CopyFailed) => {
            "Die Zwischenablage ist nicht verfügbar. Der Text ist unten markiert: Kopieren Sie ihn mit Strg+C oder ⌘C."
        }
        (Lang::En, Msg::CopyFallbackLabel) => "Explanation as plain text",
        (Lang::De, Msg::CopyFallbackLabel) => "Erklärung als reiner Text",
        (Lang::En, Msg::TimelineHeading) => "Timeline",
        (Lang::De, Msg::TimelineHeading) => "Zeitleiste",
        (Lang::En, Msg::TimelineCaption) => {
            "Charges, credits, allowance resets and refusals, oldest first"
        }
        (Lang::De, Msg::TimelineCaption) => {
            "Belastungen, Gutschriften, Kontingent-Erneuerungen und Ablehnungen, älteste zuerst"
        }
        (Lang::En, Msg::AccountSearchLabel) => "Find an account by email or id",
        (Lang::De, Msg::AccountSearchLabel) => "Konto nach E-Mail-Adresse oder ID suchen",
        (Lang::En, Msg::AccountSearchButton) => "Search",
        (Lang::De, Msg::AccountSearchButton) => "Suchen",
        (Lang::En, Msg::AccountSearchHint) => {
            "Type part of an email address or the start of an account id, then search."
        }
        (Lang::De, Msg::AccountSearchHint) => {
            "Geben Sie einen Teil der E-Mail-Adresse oder den Anfang einer Konto-ID ein und suchen Sie."
        }
        (Lang::En, Msg::NoAccountsFound) => "No account matches this search.",
        (Lang::De, Msg::NoAccountsFound) => "Kein Konto passt zu dieser Suche.",
        (Lang::En, Msg::Searching) => "Searching…",
        (Lang::De, Msg::Searching) => "Suche läuft…",
        (Lang::En, Msg::AccountsFound) => "Accounts found",
        (Lang::De, Msg::AccountsFound) => "Gefundene Konten",
        (Lang::En, Msg::LoadingAccount) => "Loading the account…",
        (Lang::De, Msg::LoadingAccount) => "Das Konto wird geladen…",
        (Lang::En, Msg::AccountHeading) => "Account",
        (Lang::De, Msg::AccountHeading) => "Konto",
        (Lang::En, Msg::AccountId) => "Account id",
        (Lang::De, Msg::AccountId) => "Konto-ID",
        (Lang::En, Msg::AccountName) => "Customer name",
        (Lang::De, Msg::AccountName) => "Name des Kunden",
        (Lang::En, Msg::AccountEmail) => "Email",
        (Lang::De, Msg::AccountEmail) => "E-Mail",
        (Lang::En, Msg::AccountPlan) => "Plan",
        (Lang::De, Msg::AccountPlan) => "Tarif",
        (Lang::En, Msg::NotGiven) => "not given",
        (Lang::De, Msg::NotGiven) => "nicht angegeben",
        (Lang::En, Msg::AccountErrorHeading) => "This account cannot be shown",
        (Lang::De, Msg::AccountErrorHeading) => "Dieses Konto kann nicht angezeigt werden",
        (Lang::En, Msg::AccountLicence) => "Licence",
        (Lang::De, Msg::AccountLicence) => "Lizenz",
        (Lang::En, Msg::PasteHistory) => "Paste a history",
        (Lang::De, Msg::PasteHistory) => "Einen Verlauf einfügen",
        (Lang::En, Msg::ColumnWhen) => "When",
        (Lang::De, Msg::ColumnWhen) => "Wann",
        (Lang::En, Msg::ColumnWhat) => "What",
        (Lang::De, Msg::ColumnWhat) => "Was",
        (Lang::En, Msg::ColumnWhy) => "Why",
        (Lang::De, Msg::ColumnWhy) => "Warum",
        (Lang::En, Msg::ColumnQuantity) => "Amount",
        (Lang::De, Msg::ColumnQuantity) => "Betrag",
        (Lang::En, Msg::SummaryHeading) => "Summary",
        (Lang::De, Msg::SummaryHeading) => "Zusammenfassung",
        (Lang::En, Msg::QuotaHeading) => "Quota this period",
        (Lang::De, Msg::QuotaHeading) => "Kontingent in diesem Zeitraum",
        (Lang::En, Msg::CreditsMeter) => "Credits",
        (Lang::De, Msg::CreditsMeter) => "Credit-Kontingent",
        (Lang::En, Msg::UploadsMeter) => "Upload time",
        (Lang::De, Msg::UploadsMeter) => "Upload-Zeit",
        (Lang::En, Msg::RefundHeading) => "Refund",
        (Lang::De, Msg::RefundHeading) => "Erstattung",
        (Lang::En, Msg::RefundEligible) => "Eligible for review",
        (Lang::De, Msg::RefundEligible) => "Zur Prüfung berechtigt",
        (Lang::En, Msg::RefundNotEligible) => "Not eligible",
        (Lang::De, Msg::RefundNotEligible) => "Nicht berechtigt",
        (Lang::En, Msg::RefundNoCharge) => "There is no charge to refund.",
        (Lang::De, Msg::RefundNoCharge) => "Es gibt keine Belastung, die erstattet werden könnte.",
        (Lang::En, Msg::ChargeInQuestion) => "Latest charge",
        (Lang::De, Msg::ChargeInQuestion) => "Letzte Belastung",
        (Lang::En, Msg::UsageSinceCharge) => "Credits used since the charge",
        (Lang::De, Msg::UsageSinceCharge) => "Seit der Belastung verbrauchte Credits",
        (Lang::En, Msg::DecidedBy) => "Decided by",
        (Lang::De, Msg::DecidedBy) => "Entschieden nach",
        (Lang::En, Msg::ReplyBy) => "Reply by",
        (Lang::De, Msg::ReplyBy) => "Antwort bis",
        (Lang::En, Msg::LicenceHeading) => "Licence check",
        (Lang::De, Msg::LicenceHeading) => "Lizenzprüfung",
        (Lang::En, Msg::FieldPlan) => "Plan the track was generated on",
        (Lang::De, Msg::FieldPlan) => "Tarif, mit dem der Track erzeugt wurde",
        (Lang::En, Msg::FieldUse) => "Intended use",
        (Lang::De, Msg::FieldUse) => "Geplante Nutzung",
        (Lang::En, Msg::FieldMau) => "Monthly active users (commercial products)",
        (Lang::De, Msg::FieldMau) => "Monatlich aktive Nutzer (kommerzielle Produkte)",
        (Lang::En, Msg::LicenceAllowed) => "Allowed",
        (Lang::De, Msg::LicenceAllowed) => "Erlaubt",
        (Lang::En, Msg::LicenceNotAllowed) => "Not allowed",
        (Lang::De, Msg::LicenceNotAllowed) => "Nicht erlaubt",
        (Lang::En, Msg::UseStreaming) => "Music release on streaming platforms",
        (Lang::De, Msg::UseStreaming) => "Musikveröffentlichung auf Streaming-Plattformen",
        (Lang::En, Msg::UseSocial) => "Social media",
        (Lang::De, Msg::UseSocial) => "Soziale Medien",
        (Lang::En, Msg::UsePodcast) => "Personal podcast",
        (Lang::De, Msg::UsePodcast) => "Persönlicher Podcast",
        (Lang::En, Msg::UseVideo) => "Video",
        (Lang::De, Msg::UseVideo) => "Videoproduktion",
        (Lang::En, Msg::UseProduct) => "Commercial product",
        (Lang::De, Msg::UseProduct) => "Kommerzielles Produkt",
        (Lang::En, Msg::PrepaidHeading) => "Prepaid credits",
        (Lang::De, Msg::PrepaidHeading) => "Vorausbezahlte Credits",
        (Lang::En, Msg::PrepaidBalance) => "Balance",
        (Lang::De, Msg::PrepaidBalance) => "Guthaben",
        (Lang::En, Msg::NextExpiry) => "Next expiry",
        (Lang::De, Msg::NextExpiry) => "Nächster Verfall",
        (Lang::En, Msg::NothingExpires) => "Nothing left to expire",
        (Lang::De, Msg::NothingExpires) => "Nichts verfällt mehr",
        (Lang::En, Msg::TermsHeading) => "Key terms dates",
        (Lang::De, Msg::TermsHeading) => "Wichtige Fristen",
        (Lang::En, Msg::OptOutBy) => "Arbitration opt-out by",
        (Lang::De, Msg::OptOutBy) => "Widerspruch gegen Schiedsverfahren bis",
        (Lang::En, Msg::DataDeletedBy) => "Data deleted by",
        (Lang::De, Msg::DataDeletedBy) => "Daten gelöscht bis",
        (Lang::En, Msg::LiabilityCap) => "Liability cap for a claim now",
        (Lang::De, Msg::LiabilityCap) => "Haftungsgrenze für einen Anspruch jetzt",
        (Lang::En, Msg::NoSubscription) => "No subscription at this instant.",
        (Lang::De, Msg::NoSubscription) => "Zu diesem Zeitpunkt besteht kein Abonnement.",
        (Lang::En, Msg::ReportAt) => "State at",
        (Lang::De, Msg::ReportAt) => "Stand",
        (Lang::En, Msg::KindCharge) => "Charge",
        (Lang::De, Msg::KindCharge) => "Belastung",
        (Lang::En, Msg::KindCredit) => "Credit",
        (Lang::De, Msg::KindCredit) => "Gutschrift",
        (Lang::En, Msg::KindTax) => "Tax",
        (Lang::De, Msg::KindTax) => "Steuer",
        (Lang::En, Msg::KindAllowanceReset) => "Allowance reset",
        (Lang::De, Msg::KindAllowanceReset) => "Kontingent erneuert",
        (Lang::En, Msg::KindRefusal) => "Refused",
        (Lang::De, Msg::KindRefusal) => "Abgelehnt",
        (Lang::En, Msg::KindPlanChange) => "Plan change",
        (Lang::De, Msg::KindPlanChange) => "Tarifwechsel",
        (Lang::En, Msg::KindChangeScheduled) => "Change scheduled",
        (Lang::De, Msg::KindChangeScheduled) => "Wechsel geplant",
        (Lang::En, Msg::KindAllowanceLost) => "Allowance lost",
        (Lang::De, Msg::KindAllowanceLost) => "Kontingent verfallen",
        (Lang::En, Msg::KindGrant) => "Credits granted",
        (Lang::De, Msg::KindGrant) => "Credits gutgeschrieben",
        (Lang::En, Msg::KindGrantSpend) => "Prepaid credits spent",
        (Lang::De, Msg::KindGrantSpend) => "Vorausbezahlte Credits verbraucht",
        (Lang::En, Msg::KindGrantExpiry) => "Prepaid credits expired",
        (Lang::De, Msg::KindGrantExpiry) => "Vorausbezahlte Credits verfallen",
        (Lang::En, Msg::KindUploadDeleted) => "Upload deleted (copyright)",
        (Lang::De, Msg::KindUploadDeleted) => "Upload gelöscht (Urheberrecht)",
        (Lang::En, Msg::KindRefundReview) => "Refund request",
        (Lang::De, Msg::KindRefundReview) => "Erstattungsantrag",
        (Lang::En, Msg::PlanFromHistory) => "Current plan (from the history)",
        (Lang::De, Msg::PlanFromHistory) => "Aktueller Tarif (aus dem Verlauf)",
        (Lang::En, Msg::PeriodLabel) => "Current period",
        (Lang::De, Msg::PeriodLabel) => "Laufender Zeitraum",
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

/// The accessible label of a plan's selection button.
#[must_use]
pub fn choose_plan_label(lang: Lang, plan: &str) -> String {
    match lang {
        Lang::En => format!("Choose the {plan} plan"),
        Lang::De => format!("Tarif {plan} auswählen"),
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
        "locale" => "ein Sprach-Tag, das mit `en` oder `de` beginnt",
        "currency-display" => "`symbol`, `narrow-symbol`, `code` oder `name`",
        "tax-rate-bp" => "eine ganze Zahl von Basispunkten von 0 bis 10000 (2000 = 20 %)",
        "started-at" | "at" => "ein Zeitpunkt nach RFC 3339 wie 2027-01-31T09:00:00Z",
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

    const ALL: [Msg; 109] = [
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
