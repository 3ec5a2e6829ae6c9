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

    const ALL: [Msg; 11] = [
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
