//! The element's attributes, parsed into a typed configuration.
//!
//! Attributes arrive as strings from the host page. Each one is checked here so that a
//! wrong value becomes a readable message inside the widget instead of a blank box.

use core::fmt;

use chrono::{DateTime, FixedOffset};

use crate::format::CurrencyDisplay;
use crate::i18n::Locale;

/// The attribute names the element observes.
pub const ATTRIBUTE_NAMES: [&str; 12] = [
    "view",
    "catalogue",
    "locale",
    "currency-display",
    "time-zone",
    "tax-rate-bp",
    "current-plan",
    "started-at",
    "target-plan",
    "at",
    "editable",
    "account",
];

/// The highest tax rate accepted, in basis points (100 %).
pub const MAX_TAX_RATE_BP: u32 = 10_000;

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
        let Some(known) = ATTRIBUTE_NAMES.iter().find(|n| **n == name) else {
            return;
        };
        self.values.retain(|(n, _)| n != known);
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
            None => Locale::from_tag(&browser.locale).unwrap_or_default(),
            Some(tag) => Locale::from_tag(tag)
                .ok_or_else(|| error("locale", tag, "a language tag starting with `en` or `de`"))?,
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
        let tax_rate_bp = match self.get("tax-rate-bp") {
            None => 0,
            Some(text) => text
                .parse::<u32>()
                .ok()
                .filter(|bp| *bp <= MAX_TAX_RATE_BP)
                .ok_or_else(|| {
                    error(
                        "tax-rate-bp",
                        text,
                        "a whole number of basis points from 0 to 10000 (2000 = 20 %)",
                    )
                })?,
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
            ("locale", "xx"),
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
    fn the_loader_observes_every_attribute() {
        assert_eq!(crate::model::loader_list("ATTRIBUTES"), ATTRIBUTE_NAMES);
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
