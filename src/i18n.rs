//! Every string the widget shows, in English and German, in one place.
//!
//! Numbers, amounts and dates are not formatted here: the caller formats them with the
//! browser's `Intl` (see [`crate::format`]) and passes the formatted text in.

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
    /// Heading of an error box.
    ErrorHeading,
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

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Msg; 29] = [
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
    fn locale_tags_keep_their_region() {
        let locale = Locale::from_tag("en_GB").expect("en_GB is English");
        assert_eq!(locale.tag(), "en-GB");
        assert_eq!(locale.lang(), Lang::En);
        assert_eq!(Locale::from_tag("<script>"), None);
    }
}
