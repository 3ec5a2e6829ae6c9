//! The element's attributes, parsed into a typed configuration.
//!
//! Attributes arrive as strings from the host page. Each one is checked here so that a
//! wrong value becomes a readable message inside the widget instead of a blank box.

use core::fmt;

use crate::i18n::Locale;

/// Which view the element shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The tier table of a pricing page.
    Tiers,
}

/// Where the catalogue comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CatalogueSource {
    /// A catalogue compiled into the widget, by id.
    Builtin(String),
}

/// The widget's configuration, parsed from its attributes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WidgetConfig {
    /// The view to show.
    pub view: View,
    /// The catalogue to show.
    pub catalogue: CatalogueSource,
    /// The language of every string.
    pub locale: Locale,
    /// The plan to mark as the customer's current one.
    pub current_plan: Option<String>,
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

/// The attribute names the element observes.
pub const ATTRIBUTE_NAMES: [&str; 4] = ["view", "catalogue", "locale", "current-plan"];

/// The raw attribute values, as the host set them (`None` when absent).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawAttributes {
    /// `view`.
    pub view: Option<String>,
    /// `catalogue`.
    pub catalogue: Option<String>,
    /// `locale`.
    pub locale: Option<String>,
    /// `current-plan`.
    pub current_plan: Option<String>,
}

impl RawAttributes {
    /// Sets one attribute by its HTML name; unknown names are ignored, as browsers do.
    pub fn set(&mut self, name: &str, value: Option<String>) {
        match name {
            "view" => self.view = value,
            "catalogue" => self.catalogue = value,
            "locale" => self.locale = value,
            "current-plan" => self.current_plan = value,
            _ => {}
        }
    }

    /// Parses the attributes. `browser_locale` is the fallback for a missing `locale`.
    ///
    /// # Errors
    ///
    /// The first attribute whose value is not acceptable.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard::model::attrs::{RawAttributes, View};
    /// let mut raw = RawAttributes::default();
    /// raw.set("view", Some("tiers".into()));
    /// assert_eq!(raw.parse("en-GB").map(|c| c.view), Ok(View::Tiers));
    /// raw.set("view", Some("chart".into()));
    /// assert!(raw.parse("en-GB").is_err());
    /// ```
    pub fn parse(&self, browser_locale: &str) -> Result<WidgetConfig, AttributeError> {
        let view = match self.view.as_deref().map(str::trim) {
            None | Some("" | "tiers") => View::Tiers,
            Some(other) => {
                return Err(AttributeError {
                    attribute: "view",
                    value: other.to_owned(),
                    expected: "`tiers`",
                });
            }
        };
        let catalogue = match self.catalogue.as_deref().map(str::trim) {
            None | Some("") => {
                CatalogueSource::Builtin(ratecard_rules::DEFAULT_CATALOGUE_ID.to_owned())
            }
            Some(id) => CatalogueSource::Builtin(id.to_owned()),
        };
        let locale = match self.locale.as_deref().map(str::trim) {
            None | Some("") => Locale::from_tag(browser_locale).unwrap_or_default(),
            Some(tag) => Locale::from_tag(tag).ok_or_else(|| AttributeError {
                attribute: "locale",
                value: tag.to_owned(),
                expected: "a language tag starting with `en` or `de`",
            })?,
        };
        let current_plan = self
            .current_plan
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned);
        Ok(WidgetConfig {
            view,
            catalogue,
            locale,
            current_plan,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_tiers_of_the_default_catalogue_in_the_browser_language() {
        let config = RawAttributes::default().parse("de-AT").expect("defaults parse");
        assert_eq!(config.view, View::Tiers);
        assert_eq!(
            config.catalogue,
            CatalogueSource::Builtin("stable-audio".into())
        );
        assert_eq!(config.locale.tag(), "de-AT");
        assert_eq!(config.current_plan, None);
    }

    #[test]
    fn an_unsupported_browser_language_falls_back_to_english() {
        let config = RawAttributes::default().parse("fr-FR").expect("defaults parse");
        assert_eq!(config.locale.tag(), "en-US");
    }

    #[test]
    fn a_bad_locale_attribute_names_the_attribute_and_the_value() {
        let mut raw = RawAttributes::default();
        raw.set("locale", Some("xx".into()));
        let err = raw.parse("en-US").expect_err("xx is not a supported locale");
        assert_eq!(err.attribute, "locale");
        assert!(err.to_string().contains("`xx`"));
    }

    #[test]
    fn a_blank_current_plan_is_no_current_plan() {
        let mut raw = RawAttributes::default();
        raw.set("current-plan", Some("  ".into()));
        assert_eq!(raw.parse("en").expect("parses").current_plan, None);
        raw.set("current-plan", Some("pro".into()));
        assert_eq!(
            raw.parse("en").expect("parses").current_plan.as_deref(),
            Some("pro")
        );
    }
}
