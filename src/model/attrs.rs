//! The element's attributes, parsed into a typed configuration.
//!
//! Attributes arrive as strings from the host page. Each one is checked here so that a
//! wrong value becomes a readable message inside the widget instead of a blank box.

use core::fmt;

use chrono::{DateTime, FixedOffset};
use ratecard_rules::Interval;

use crate::format::CurrencyDisplay;
use crate::i18n::{Locale, region_of};

/// The attribute names the element observes: the lines of `src/embed/attributes.txt`,
/// which `cargo xtask dist` also writes into `ratecard.js` as the element's
/// `observedAttributes`, so the two can never disagree.
///
/// # Example
///
/// ```
/// use ratecard::model::attrs::attribute_names;
/// assert!(attribute_names().any(|name| name == "time-zone"));
/// ```
pub fn attribute_names() -> impl Iterator<Item = &'static str> {
    include_str!("../embed/attributes.txt")
        .lines()
        .filter(|line| !line.is_empty())
}

/// The highest tax rate accepted, in basis points (100 %).
pub const MAX_TAX_RATE_BP: u32 = 10_000;

/// What a tax-rate attribute accepts.
const RATE_EXPECTED: &str = "a whole number of basis points from 0 to 10000 (2000 = 20 %)";
/// What an interval attribute accepts.
pub const INTERVAL_EXPECTED: &str = "`month` or `year`";
/// What `currency` accepts; the catalogue then says whether it prices in it.
const CURRENCY_EXPECTED: &str = "a three-letter ISO 4217 currency code such as `EUR`";
/// What `region` accepts.
const REGION_EXPECTED: &str = "a two-letter ISO 3166-1 region code such as `DE`";

/// Which view the element shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The tier table of a pricing page.
    Tiers,
    /// The upgrade, downgrade or cancel preview of a checkout page.
    Checkout,
    /// The support console: an account history explained.
    Support,
}

pub use crate::model::source::CatalogueSource;

/// The widget's configuration, parsed from its attributes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WidgetConfig {
    /// The view to show.
    pub view: View,
    /// The catalogue to show.
    pub catalogue: CatalogueSource,
    /// The language of every string.
    pub locale: Locale,
    /// How currencies are named in amounts.
    pub currency_display: CurrencyDisplay,
    /// The customer's IANA time zone.
    pub time_zone: String,
    /// The tax rate in basis points (R-MONEY-3).
    pub tax_rate_bp: u32,
    /// The customer's current plan, if the host says.
    pub current_plan: Option<String>,
    /// When the current subscription started, if the host says.
    pub started_at: Option<DateTime<FixedOffset>>,
    /// The plan the checkout previews a change to.
    pub target_plan: Option<String>,
    /// The instant previews are computed for.
    pub at: DateTime<FixedOffset>,
    /// Whether the checkout view shows its own input form.
    pub editable: bool,
    /// The stored account the support view opens (its id on the server); without it the
    /// support view offers a search.
    pub account: Option<String>,
    /// The interval the tier table shows first (R-INTERVAL-1).
    pub interval: Interval,
    /// Whether the tier table offers a toggle between monthly and yearly prices.
    pub interval_toggle: bool,
    /// The currency the host asks for, as an upper-case ISO 4217 code; the catalogue
    /// decides whether it prices in it (R-CURRENCY-2).
    pub currency: Option<String>,
    /// The visitor's region (ISO 3166-1 alpha-2, upper case): the `region` attribute, else
    /// the region of `locale`, else the region of the browser's language (R-CURRENCY-2).
    pub region: Option<String>,
    /// Show prices including tax at this rate, in basis points (R-DISPLAY-1).
    pub tax_inclusive_rate_bp: Option<u32>,
    /// How the current subscription is billed.
    pub current_interval: Interval,
    /// The interval the checkout previews a change to; the current one when absent.
    pub target_interval: Option<Interval>,
    /// The end of the current subscription's free trial, while one runs (R-TRIAL-3).
    pub trial_ends_at: Option<DateTime<FixedOffset>>,
}

/// An attribute with a value the widget cannot use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttributeError {
    /// The attribute name.
    pub attribute: &'static str,
    /// The value as given.
    pub value: String,
    /// The values that would have been accepted.
    pub expected: &'static str,
}

impl fmt::Display for AttributeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "attribute `{}` has the value `{}`; expected {}",
            self.attribute, self.value, self.expected
        )
    }
}

/// What the browser supplies when an attribute is absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrowserDefaults {
    /// `navigator.language`.
    pub locale: String,
    /// The browser's IANA time zone.
    pub time_zone: String,
    /// The current instant.
    pub now: DateTime<FixedOffset>,
}

/// The raw attribute values, as the host set them (`None` when absent).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawAttributes {
    values: Vec<(&'static str, String)>,
}

impl RawAttributes {
    /// Sets one attribute by its HTML name; `None` removes it. Names the element does not
    /// observe are ignored, as browsers do.
    pub fn set(&mut self, name: &str, value: Option<String>) {
        let Some(known) = attribute_names().find(|n| *n == name) else {
            return;
        };
        self.values.retain(|(n, _)| *n != known);
        if let Some(value) = value {
            self.values.push((known, value));
        }
    }

    /// The trimmed value of an attribute, `None` when absent or blank.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Parses the attributes, falling back to the browser's settings.
    ///
    /// # Errors
    ///
    /// The first attribute whose value is not acceptable.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard::model::attrs::{BrowserDefaults, RawAttributes, View};
    /// let browser = BrowserDefaults {
    ///     locale: "en-GB".into(),
    ///     time_zone: "Europe/London".into(),
    ///     now: "2027-02-15T00:00:00Z".parse().unwrap(),
    /// };
    /// let mut raw = RawAttributes::default();
    /// raw.set("view", Some("checkout".into()));
    /// assert_eq!(raw.parse(&browser).map(|c| c.view), Ok(View::Checkout));
    /// raw.set("view", Some("support".into()));
    /// assert_eq!(raw.parse(&browser).map(|c| c.view), Ok(View::Support));
    /// raw.set("view", Some("chart".into()));
    /// assert!(raw.parse(&browser).is_err());
    /// ```
    pub fn parse(&self, browser: &BrowserDefaults) -> Result<WidgetConfig, AttributeError> {
        let error = |attribute: &'static str, value: &str, expected: &'static str| AttributeError {
            attribute,
            value: value.to_owned(),
            expected,
        };
        let view = match self.get("view") {
            None | Some("tiers") => View::Tiers,
            Some("checkout") => View::Checkout,
            Some("support") => View::Support,
            Some(other) => {
                return Err(error("view", other, "`tiers`, `checkout` or `support`"));
            }
        };
        let catalogue = match self.get("catalogue") {
            None => CatalogueSource::Builtin(ratecard_rules::DEFAULT_CATALOGUE_ID.to_owned()),
            Some(value) => CatalogueSource::classify(value)
                .map_err(|expected| error("catalogue", value, expected))?,
        };
        let locale = match self.get("locale") {
            None => Locale::translated(&browser.locale).unwrap_or_default(),
            Some(tag) => Locale::from_tag(tag).ok_or_else(|| {
                error(
                    "locale",
                    tag,
                    "a BCP 47 language tag such as `en-GB`, `de-DE` or `ja-JP`",
                )
            })?,
        };
        let currency_display = match self.get("currency-display") {
            None | Some("symbol") => CurrencyDisplay::Symbol,
            Some("narrowSymbol" | "narrow-symbol") => CurrencyDisplay::NarrowSymbol,
            Some("code") => CurrencyDisplay::Code,
            Some("name") => CurrencyDisplay::Name,
            Some(other) => {
                return Err(error(
                    "currency-display",
                    other,
                    "`symbol`, `narrow-symbol`, `code` or `name`",
                ));
            }
        };
        let rate = |name: &'static str| -> Result<Option<u32>, AttributeError> {
            self.get(name)
                .map(|text| {
                    text.parse::<u32>()
                        .ok()
                        .filter(|bp| *bp <= MAX_TAX_RATE_BP)
                        .ok_or_else(|| error(name, text, RATE_EXPECTED))
                })
                .transpose()
        };
        let tax_rate_bp = rate("tax-rate-bp")?.unwrap_or(0);
        let tax_inclusive_rate_bp = rate("tax-inclusive-rate-bp")?;
        let interval = |name: &'static str| -> Result<Option<Interval>, AttributeError> {
            self.get(name)
                .map(|text| match text {
                    "month" => Ok(Interval::Month),
                    "year" => Ok(Interval::Year),
                    other => Err(error(name, other, INTERVAL_EXPECTED)),
                })
                .transpose()
        };
        let shown_interval = interval("interval")?.unwrap_or_default();
        let current_interval = interval("current-interval")?.unwrap_or_default();
        let target_interval = interval("target-interval")?;
        let interval_toggle = match self.get("interval-toggle") {
            None | Some("on") => true,
            Some("off") => false,
            Some(other) => return Err(error("interval-toggle", other, "`on` or `off`")),
        };
        let currency = self
            .get("currency")
            .map(|code| {
                (code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()))
                    .then(|| code.to_ascii_uppercase())
                    .ok_or_else(|| error("currency", code, CURRENCY_EXPECTED))
            })
            .transpose()?;
        let region = match self.get("region") {
            Some(code) => Some(
                (code.len() == 2 && code.chars().all(|c| c.is_ascii_alphabetic()))
                    .then(|| code.to_ascii_uppercase())
                    .ok_or_else(|| error("region", code, REGION_EXPECTED))?,
            ),
            None => self
                .get("locale")
                .and_then(region_of)
                .or_else(|| region_of(&browser.locale)),
        };
        let instant =
            |name: &'static str| -> Result<Option<DateTime<FixedOffset>>, AttributeError> {
                self.get(name)
                    .map(|text| {
                        DateTime::parse_from_rfc3339(text).map_err(|_| {
                            error(
                                name,
                                text,
                                "an RFC 3339 instant such as 2027-01-31T09:00:00Z",
                            )
                        })
                    })
                    .transpose()
            };
        let started_at = instant("started-at")?;
        let trial_ends_at = instant("trial-ends-at")?;
        let at = instant("at")?.unwrap_or(browser.now);
        Ok(WidgetConfig {
            view,
            catalogue,
            locale,
            currency_display,
            time_zone: self
                .get("time-zone")
                .unwrap_or(&browser.time_zone)
                .to_owned(),
            tax_rate_bp,
            current_plan: self.get("current-plan").map(str::to_owned),
            started_at,
            target_plan: self.get("target-plan").map(str::to_owned),
            at,
            editable: self.values.iter().any(|(n, _)| *n == "editable"),
            account: self.get("account").map(str::to_owned),
            interval: shown_interval,
            interval_toggle,
            currency,
            region,
            tax_inclusive_rate_bp,
            current_interval,
            target_interval,
            trial_ends_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn browser(locale: &str) -> BrowserDefaults {
        BrowserDefaults {
            locale: locale.into(),
            time_zone: "America/New_York".into(),
            now: "2027-02-15T12:00:00-05:00".parse().expect("valid instant"),
        }
    }

    fn raw(pairs: &[(&str, &str)]) -> RawAttributes {
        let mut raw = RawAttributes::default();
        for (name, value) in pairs {
            raw.set(name, Some((*value).to_owned()));
        }
        raw
    }

    #[test]
    fn defaults_come_from_the_browser() {
        let config = RawAttributes::default()
            .parse(&browser("de-AT"))
            .expect("defaults parse");
        assert_eq!(config.view, View::Tiers);
        assert_eq!(
            config.catalogue,
            CatalogueSource::Builtin("stable-audio".into())
        );
        assert_eq!(config.locale.tag(), "de-AT");
        assert_eq!(config.time_zone, "America/New_York");
        assert_eq!(config.at.to_rfc3339(), "2027-02-15T12:00:00-05:00");
        assert_eq!(config.tax_rate_bp, 0);
        assert!(!config.editable);
    }

    #[test]
    fn an_unsupported_browser_language_falls_back_to_english() {
        let config = RawAttributes::default()
            .parse(&browser("fr-FR"))
            .expect("defaults parse");
        assert_eq!(config.locale.tag(), "en-US");
    }

    #[test]
    fn every_bad_value_names_its_attribute() {
        for (name, value) in [
            ("view", "chart"),
            ("locale", "english"),
            ("interval", "weekly"),
            ("current-interval", "annual"),
            ("target-interval", "Year"),
            ("interval-toggle", "hidden"),
            ("currency", "euro"),
            ("region", "DEU"),
            ("tax-inclusive-rate-bp", "19%"),
            ("trial-ends-at", "soon"),
            ("currency-display", "loud"),
            ("tax-rate-bp", "-5"),
            ("tax-rate-bp", "10001"),
            ("tax-rate-bp", "20%"),
            ("started-at", "yesterday"),
            ("at", "2027-02-30T00:00:00Z"),
            ("catalogue", "javascript:alert(1)"),
        ] {
            let err = raw(&[(name, value)])
                .parse(&browser("en"))
                .expect_err("a bad value");
            assert_eq!(err.attribute, name);
            assert!(err.to_string().contains(&format!("`{value}`")), "{err}");
        }
    }

    #[test]
    fn checkout_attributes_parse() {
        let config = raw(&[
            ("view", "checkout"),
            ("current-plan", "pro"),
            ("started-at", "2027-01-31T09:00:00Z"),
            ("target-plan", "studio"),
            ("tax-rate-bp", "2000"),
            ("at", "2027-02-10T09:00:00Z"),
            ("time-zone", "Europe/London"),
            ("editable", ""),
        ])
        .parse(&browser("en-GB"))
        .expect("parses");
        assert_eq!(config.view, View::Checkout);
        assert_eq!(config.current_plan.as_deref(), Some("pro"));
        assert_eq!(config.target_plan.as_deref(), Some("studio"));
        assert_eq!(config.tax_rate_bp, 2000);
        assert_eq!(config.time_zone, "Europe/London");
        assert_eq!(
            config.started_at.map(|s| s.to_rfc3339()).as_deref(),
            Some("2027-01-31T09:00:00+00:00")
        );
        assert!(config.editable);
        assert_eq!(config.account, None);
    }

    #[test]
    fn the_support_view_names_an_account() {
        let config = raw(&[("view", "support"), ("account", " cus_1 ")])
            .parse(&browser("en"))
            .expect("parses");
        assert_eq!(config.account.as_deref(), Some("cus_1"));
        // The key is never an attribute: `access-token` is not observed.
        let mut attrs = RawAttributes::default();
        attrs.set("access-token", Some("secret".into()));
        assert_eq!(attrs.get("access-token"), None);
    }

    #[test]
    fn interval_currency_region_and_tax_attributes_parse() {
        let config = raw(&[
            ("interval", "year"),
            ("interval-toggle", "off"),
            ("currency", "eur"),
            ("region", "at"),
            ("tax-inclusive-rate-bp", "1900"),
            ("current-interval", "year"),
            ("target-interval", "month"),
            ("trial-ends-at", "2027-02-08T09:00:00Z"),
        ])
        .parse(&browser("en-US"))
        .expect("parses");
        assert_eq!(config.interval, Interval::Year);
        assert!(!config.interval_toggle);
        assert_eq!(config.currency.as_deref(), Some("EUR"));
        assert_eq!(config.region.as_deref(), Some("AT"));
        assert_eq!(config.tax_inclusive_rate_bp, Some(1900));
        assert_eq!(config.current_interval, Interval::Year);
        assert_eq!(config.target_interval, Some(Interval::Month));
        assert!(config.trial_ends_at.is_some());

        let defaults = RawAttributes::default()
            .parse(&browser("en-US"))
            .expect("parses");
        assert_eq!(defaults.interval, Interval::Month);
        assert!(defaults.interval_toggle);
        assert_eq!(defaults.currency, None);
        assert_eq!(defaults.tax_inclusive_rate_bp, None);
        assert_eq!(defaults.current_interval, Interval::Month);
        assert_eq!(defaults.target_interval, None);
    }

    #[test]
    fn the_region_comes_from_the_attribute_then_the_locale_then_the_browser() {
        let region = |pairs: &[(&str, &str)], browser_language: &str| {
            raw(pairs)
                .parse(&browser(browser_language))
                .expect("parses")
                .region
        };
        assert_eq!(
            region(&[("region", "gb"), ("locale", "de-DE")], "en-US").as_deref(),
            Some("GB")
        );
        assert_eq!(
            region(&[("locale", "ja-JP")], "en-US").as_deref(),
            Some("JP")
        );
        assert_eq!(region(&[("locale", "en")], "de-DE").as_deref(), Some("DE"));
        assert_eq!(region(&[], "fr-FR").as_deref(), Some("FR"));
        assert_eq!(region(&[("locale", "de")], "de").as_deref(), None);
    }

    #[test]
    fn any_well_formed_locale_formats_numbers_and_reads_english_unless_german() {
        let config = raw(&[("locale", "ja-JP")])
            .parse(&browser("de-DE"))
            .expect("parses");
        assert_eq!(config.locale.tag(), "ja-JP");
        assert_eq!(config.locale.lang(), crate::i18n::Lang::En);
    }

    #[test]
    fn the_view_error_lists_every_view() {
        assert_eq!(
            raw(&[("view", "support")])
                .parse(&browser("en"))
                .map(|c| c.view),
            Ok(View::Support)
        );
        let err = raw(&[("view", "agent")])
            .parse(&browser("en"))
            .expect_err("not a view");
        assert_eq!(err.expected, "`tiers`, `checkout` or `support`");
    }

    #[test]
    fn removing_an_attribute_restores_the_default() {
        let mut attrs = raw(&[("current-plan", "pro")]);
        attrs.set("current-plan", None);
        assert_eq!(
            attrs.parse(&browser("en")).expect("parses").current_plan,
            None
        );
        attrs.set("current-plan", Some("  ".into()));
        assert_eq!(
            attrs.parse(&browser("en")).expect("parses").current_plan,
            None
        );
    }
}
