//! Catalogues: plans, models, licences and the policy settings of RULES.md.
//!
//! A [`CatalogueSpec`] is the plain serde shape shared by TOML files, JSON files and the
//! HTTP API (`spec.rs`). A [`Catalogue`] is a spec that passed [`Catalogue::validate`]
//! (`validate.rs`); every calculation takes a `Catalogue`, so none of them has to re-check
//! ids or prices. `builtin.rs` holds the three built-in catalogues.

mod builtin;
mod spec;
mod validate;

pub use self::builtin::{API_CREDITS_ID, DEFAULT_CATALOGUE_ID, PAY_AS_YOU_GO_ID};
pub use self::spec::{
    CatalogueKind, CatalogueSpec, DowngradeTiming, Interval, LicenceSpec, ModelSpec, PlanSpec,
    Policy, PrepaidSettings, PriceSpec, PriceVersion, RefundPolicy, TopUpSettings,
    UpgradeAllowance, UploadOverflow,
};

use chrono::{DateTime, Utc};
use serde::Serialize;

use self::builtin::{api_credits, pay_as_you_go, stable_audio};
pub use self::validate::CatalogueDocument;

use self::validate::{DOCUMENT, check_spec, field_at_fault};
use crate::error::RuleError;
use crate::money::Currency;

/// A validated catalogue.
///
/// Its fields are private so that every `Catalogue` in existence has unique ids, known
/// licences and non-negative prices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Catalogue {
    spec: CatalogueSpec,
}

impl Catalogue {
    /// Validates a spec. `source` names where it came from (a file name, a URL, `request`)
    /// and appears in every error.
    ///
    /// # Errors
    ///
    /// [`RuleError::InvalidCatalogue`] naming the source, the field and the problem.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let mut spec = Catalogue::builtin("stable-audio")?.spec().clone();
    /// spec.plans[1].licence = "platinum".into();
    /// let err = Catalogue::validate("mine.toml", spec).unwrap_err();
    /// assert!(err.to_string().contains("plans[1].licence"));
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn validate(source: &str, spec: CatalogueSpec) -> Result<Catalogue, RuleError> {
        match check_spec(&spec) {
            Ok(()) => Ok(Catalogue { spec }),
            Err((field, problem)) => Err(RuleError::InvalidCatalogue {
                source: source.to_owned(),
                field,
                problem,
            }),
        }
    }

    /// Parses and validates a catalogue written as JSON.
    ///
    /// # Errors
    ///
    /// [`RuleError::InvalidCatalogue`] for malformed JSON or a failed validation.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let json = Catalogue::builtin("stable-audio")?.to_json();
    /// assert_eq!(Catalogue::from_json("copy.json", &json)?, Catalogue::builtin("stable-audio")?);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn from_json(source: &str, text: &str) -> Result<Catalogue, RuleError> {
        let spec: CatalogueSpec =
            serde_json::from_str(text).map_err(|e| RuleError::InvalidCatalogue {
                source: source.to_owned(),
                field: serde_json::from_str(text).map_or_else(
                    |_| DOCUMENT.to_owned(),
                    |doc: serde_json::Value| field_at_fault(&doc),
                ),
                problem: e.to_string(),
            })?;
        Catalogue::validate(source, spec)
    }

    /// Reads and validates a catalogue document that is already parsed, such as the
    /// result of the browser's `JSON.parse`; [`Catalogue::from_json`] is this for text.
    ///
    /// # Errors
    ///
    /// [`RuleError::InvalidCatalogue`] for a document that is not a catalogue, naming the
    /// field at fault (such as `plans[1].price_minor`), or for a failed validation.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let doc: serde_json::Value = serde_json::from_str(&Catalogue::builtin("stable-audio")?.to_json())
    ///     .expect("JSON");
    /// assert_eq!(Catalogue::from_document("copy.json", &doc)?, Catalogue::builtin("stable-audio")?);
    ///
    /// let mut bad = doc.clone();
    /// bad["plans"][1]["price_minor"] = "free".into();
    /// let err = Catalogue::from_document("bad.json", &bad).unwrap_err();
    /// assert!(err.to_string().contains("plans[1].price_minor"));
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn from_document<D: CatalogueDocument>(
        source: &str,
        doc: &D,
    ) -> Result<Catalogue, RuleError> {
        let spec: CatalogueSpec = doc.read().map_err(|problem| RuleError::InvalidCatalogue {
            source: source.to_owned(),
            field: field_at_fault(doc),
            problem,
        })?;
        Catalogue::validate(source, spec)
    }

    /// Parses and validates a catalogue written as TOML, with the same schema as JSON.
    ///
    /// # Errors
    ///
    /// [`RuleError::InvalidCatalogue`] for malformed TOML or a failed validation.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let toml = Catalogue::builtin("stable-audio")?.to_toml()?;
    /// assert_eq!(Catalogue::from_toml("copy.toml", &toml)?, Catalogue::builtin("stable-audio")?);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[cfg(feature = "toml")]
    pub fn from_toml(source: &str, text: &str) -> Result<Catalogue, RuleError> {
        let spec: CatalogueSpec =
            toml::from_str(text).map_err(|e| RuleError::InvalidCatalogue {
                source: source.to_owned(),
                field: toml::from_str(text).map_or_else(
                    |_| DOCUMENT.to_owned(),
                    |doc: serde_json::Value| field_at_fault(&doc),
                ),
                problem: e.message().to_owned(),
            })?;
        Catalogue::validate(source, spec)
    }

    /// The catalogue as pretty-printed JSON, in the shape of `GET /api/v1/catalogues/{id}`.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// assert!(Catalogue::builtin("stable-audio")?.to_json().contains("\"price_minor\": 1199"));
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn to_json(&self) -> String {
        // A catalogue holds only strings, integers, booleans and lists, which always
        // serialise; the fallback is unreachable but keeps the function total.
        serde_json::to_string_pretty(&self.spec).unwrap_or_default()
    }

    /// The catalogue as TOML.
    ///
    /// # Errors
    ///
    /// [`RuleError::InvalidCatalogue`] if the TOML writer refuses a value.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// assert!(Catalogue::builtin("stable-audio")?.to_toml()?.contains("price_minor = 1199"));
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[cfg(feature = "toml")]
    pub fn to_toml(&self) -> Result<String, RuleError> {
        toml::to_string(&self.spec).map_err(|e| RuleError::InvalidCatalogue {
            source: self.spec.id.clone(),
            field: DOCUMENT.into(),
            problem: e.to_string(),
        })
    }

    /// A built-in catalogue by id.
    ///
    /// # Errors
    ///
    /// [`RuleError::UnknownCatalogue`] listing the built-in ids.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.plan("pro")?.price_minor, 1199);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn builtin(id: &str) -> Result<Catalogue, RuleError> {
        // The built-in specs are constants, and `builtin_catalogues_are_valid` below runs
        // every check of `validate` on each of them, so they are not checked again here:
        // a pricing page with a built-in catalogue never downloads the validation code.
        match id {
            DEFAULT_CATALOGUE_ID => Ok(Catalogue {
                spec: stable_audio(),
            }),
            API_CREDITS_ID => Ok(Catalogue {
                spec: api_credits(),
            }),
            PAY_AS_YOU_GO_ID => Ok(Catalogue {
                spec: pay_as_you_go(),
            }),
            _ => Err(RuleError::UnknownCatalogue {
                id: id.to_owned(),
                valid: Catalogue::builtin_ids()
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect(),
            }),
        }
    }

    /// The ids of the built-in catalogues.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// assert_eq!(Catalogue::builtin_ids(), ["stable-audio", "api-credits", "pay-as-you-go"]);
    /// ```
    #[must_use]
    pub fn builtin_ids() -> &'static [&'static str] {
        &[DEFAULT_CATALOGUE_ID, API_CREDITS_ID, PAY_AS_YOU_GO_ID]
    }

    /// The validated spec.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.spec().version, "2026-01");
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn spec(&self) -> &CatalogueSpec {
        &self.spec
    }

    /// The catalogue id.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.id(), "stable-audio");
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn id(&self) -> &str {
        &self.spec.id
    }

    /// The currency of every price.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.currency().code(), "USD");
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn currency(&self) -> Currency {
        self.spec.currency
    }

    /// The plans in catalogue order.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// let ids: Vec<&str> = c.plans().iter().map(|p| p.id.as_str()).collect();
    /// assert_eq!(ids, ["free", "pro", "studio", "max"]);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn plans(&self) -> &[PlanSpec] {
        &self.spec.plans
    }

    /// The models in catalogue order.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// let costs: Vec<u32> = c.models().iter().map(|m| m.credits).collect();
    /// assert_eq!(costs, [1, 1, 2]);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn models(&self) -> &[ModelSpec] {
        &self.spec.models
    }

    /// What the catalogue sells.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::{Catalogue, CatalogueKind};
    /// assert_eq!(Catalogue::builtin("api-credits")?.kind(), CatalogueKind::Prepaid);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn kind(&self) -> CatalogueKind {
        self.spec.kind
    }

    /// The policy settings.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::{Catalogue, DowngradeTiming};
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.policy().downgrade, DowngradeTiming::EndOfPeriod);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn policy(&self) -> &Policy {
        &self.spec.policy
    }

    /// The refund policy.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.refund_policy().window_hours, 48);
    /// assert_eq!(c.refund_policy().usage_threshold_bp, 200);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn refund_policy(&self) -> &RefundPolicy {
        &self.spec.refund_policy
    }

    /// The free plan of a subscription catalogue: the one with price 0 (R-CYCLE-4).
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.free_plan().map(|p| p.id.as_str()), Some("free"));
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn free_plan(&self) -> Option<&PlanSpec> {
        self.spec.plans.iter().find(|p| p.price_minor == 0)
    }

    /// When a version of the price list took effect: the catalogue's own or an earlier one.
    pub(crate) fn version_effective_from(&self, version: &str) -> Option<DateTime<Utc>> {
        if version == self.spec.version {
            return Some(self.spec.effective_from);
        }
        self.spec
            .earlier_versions
            .iter()
            .find(|v| v.version == version)
            .map(|v| v.effective_from)
    }

    /// A model by id.
    ///
    /// # Errors
    ///
    /// [`RuleError::UnknownId`] listing the valid model ids.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.model("stable-audio-2.0")?.credits, 2);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn model(&self, id: &str) -> Result<&ModelSpec, RuleError> {
        self.spec
            .models
            .iter()
            .find(|m| same_id(&m.id, id))
            .ok_or_else(|| RuleError::UnknownId {
                kind: "model",
                id: id.to_owned(),
                valid: self.spec.models.iter().map(|m| m.id.clone()).collect(),
            })
    }

    /// Every currency the catalogue prices in, the default first (R-CURRENCY-1).
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::{Catalogue, Currency};
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.currencies(), [Currency::Usd, Currency::Eur, Currency::Gbp, Currency::Jpy]);
    /// assert_eq!(Catalogue::builtin("api-credits")?.currencies(), [Currency::Usd]);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn currencies(&self) -> &[Currency] {
        if self.spec.currencies.is_empty() {
            core::slice::from_ref(&self.spec.currency)
        } else {
            &self.spec.currencies
        }
    }

    /// `currency` if the catalogue prices in it (R-CURRENCY-1); `None` means the default.
    ///
    /// # Errors
    ///
    /// [`RuleError::UnknownId`] listing the catalogue's currencies.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::{Catalogue, Currency};
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.priced_currency(None)?, Currency::Usd);
    /// let err = c.priced_currency(Some(Currency::Chf)).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "the catalogue does not price in `CHF` (R-CURRENCY-1); its currencies: USD, EUR, GBP, JPY"
    /// );
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn priced_currency(&self, currency: Option<Currency>) -> Result<Currency, RuleError> {
        let Some(currency) = currency else {
            return Ok(self.spec.currency);
        };
        if self.currencies().contains(&currency) {
            Ok(currency)
        } else {
            Err(RuleError::UnknownId {
                kind: "currency",
                id: currency.code().to_owned(),
                valid: self
                    .currencies()
                    .iter()
                    .map(|c| c.code().to_owned())
                    .collect(),
            })
        }
    }

    /// The currency a pricing table shows (R-CURRENCY-2): the one asked for, else the one
    /// the visitor's region (ISO 3166-1 alpha-2, any case) maps to, else the default.
    ///
    /// # Errors
    ///
    /// [`RuleError::UnknownId`] when the currency asked for is not one the catalogue prices
    /// in, listing those it does.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::{Catalogue, Currency};
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.display_currency(None, Some("de"))?, Currency::Eur);
    /// assert_eq!(c.display_currency(None, Some("US"))?, Currency::Usd);
    /// assert_eq!(c.display_currency(Some(Currency::Jpy), Some("DE"))?, Currency::Jpy);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn display_currency(
        &self,
        asked: Option<Currency>,
        region: Option<&str>,
    ) -> Result<Currency, RuleError> {
        if asked.is_some() {
            return self.priced_currency(asked);
        }
        let by_region = region.and_then(|r| {
            self.spec
                .currency_by_region
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(r.trim()))
                .map(|(_, c)| *c)
        });
        Ok(by_region.unwrap_or(self.spec.currency))
    }

    /// The price of `plan` per `interval` in `currency`, tax-exclusive, at the current
    /// price list (R-INTERVAL-1, R-CURRENCY-1); `None` when the plan is not sold so.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::{Catalogue, Currency, Interval};
    /// let c = Catalogue::builtin("stable-audio")?;
    /// let pro = c.plan("pro")?;
    /// assert_eq!(c.price(pro, Interval::Year, Currency::Eur), Some(10_990));
    /// assert_eq!(c.price(c.plan("free")?, Interval::Year, Currency::Usd), None);
    /// assert_eq!(c.price(c.plan("free")?, Interval::Month, Currency::Jpy), Some(0));
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn price(&self, plan: &PlanSpec, interval: Interval, currency: Currency) -> Option<i64> {
        if plan.prices.is_empty() {
            let sold = interval == Interval::Month
                && (currency == self.spec.currency || plan.price_minor == 0);
            return sold.then_some(plan.price_minor);
        }
        plan.prices
            .iter()
            .find(|p| p.interval == interval && p.currency == currency)
            .map(|p| p.amount_minor)
    }

    /// The intervals `plan` is sold at, monthly first (R-INTERVAL-1).
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::{Catalogue, Interval};
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.intervals(c.plan("max")?), [Interval::Month, Interval::Year]);
    /// assert_eq!(c.intervals(c.plan("free")?), [Interval::Month]);
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn intervals(&self, plan: &PlanSpec) -> Vec<Interval> {
        Interval::ALL
            .into_iter()
            .filter(|i| self.price(plan, *i, self.spec.currency).is_some())
            .collect()
    }

    /// The price of `plan` per `interval` in `currency`, or why it has none.
    ///
    /// # Errors
    ///
    /// [`RuleError::Impossible`] naming the plan, the interval and the currency.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::{Catalogue, Currency, Interval};
    /// let c = Catalogue::builtin("stable-audio")?;
    /// let err = c.price_or_err(c.plan("free")?, Interval::Year, Currency::Usd).unwrap_err();
    /// assert_eq!(err.to_string(), "plan `free` is not sold per year in USD");
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn price_or_err(
        &self,
        plan: &PlanSpec,
        interval: Interval,
        currency: Currency,
    ) -> Result<i64, RuleError> {
        self.price(plan, interval, currency)
            .ok_or_else(|| RuleError::Impossible {
                detail: format!(
                    "plan `{}` is not sold per {} in {}",
                    plan.id,
                    interval.as_str(),
                    currency.code()
                ),
            })
    }

    /// The price list that applies to a billing period starting at `period_start` of a
    /// subscription that started at `started_at` and is billed per `interval` in
    /// `currency`, where `period_index` counts periods from the start (0 for the first).
    /// Returns the version label and the plan's price.
    ///
    /// A subscription keeps the price list in force when it started for its initial term
    /// (R-PRICE-LOCK-1, counted in periods of its interval, R-INTERVAL-7); a later list
    /// reaches it at the first renewal on or after the list's `effective_from`
    /// (R-PRICE-CHANGE-1). Earlier price lists hold monthly prices in the default
    /// currency; any other price is the current list's.
    ///
    /// # Errors
    ///
    /// [`RuleError::UnknownId`] for an unknown plan, and [`RuleError::Impossible`] when
    /// the plan is not sold per `interval` in `currency`.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use ratecard_rules::{Catalogue, Currency, Interval};
    /// let c = Catalogue::builtin("stable-audio")?;
    /// let t = Utc.with_ymd_and_hms(2027, 5, 1, 0, 0, 0).unwrap();
    /// let monthly = (Interval::Month, Currency::Usd);
    /// assert_eq!(c.price_for("pro", monthly, t, t, 0)?, ("2026-01".to_owned(), 1199));
    /// let yearly = (Interval::Year, Currency::Gbp);
    /// assert_eq!(c.price_for("pro", yearly, t, t, 0)?, ("2026-01".to_owned(), 9990));
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn price_for(
        &self,
        plan: &str,
        (interval, currency): (Interval, Currency),
        started_at: DateTime<Utc>,
        period_start: DateTime<Utc>,
        period_index: u64,
    ) -> Result<(String, i64), RuleError> {
        let current = self.plan(plan)?;
        let price = self.price_or_err(current, interval, currency)?;
        if (interval, currency) != (Interval::Month, self.spec.currency) {
            return Ok((self.spec.version.clone(), price));
        }
        // The list that decides: the one in force at the start during the initial term,
        // and the one in force at the renewal afterwards.
        let decisive = if period_index < u64::from(self.spec.policy.initial_term_periods) {
            started_at
        } else {
            period_start.max(started_at)
        };
        if decisive >= self.spec.effective_from {
            return Ok((self.spec.version.clone(), price));
        }
        let earlier = self
            .spec
            .earlier_versions
            .iter()
            .rev()
            .find(|v| v.effective_from <= decisive)
            .or_else(|| self.spec.earlier_versions.first());
        match earlier {
            Some(v) => Ok((
                v.version.clone(),
                v.prices.get(plan).copied().unwrap_or(price),
            )),
            None => Ok((self.spec.version.clone(), price)),
        }
    }

    /// A plan by id.
    ///
    /// # Errors
    ///
    /// [`RuleError::UnknownId`] listing the valid plan ids.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// let err = c.plan("platinum").unwrap_err();
    /// assert_eq!(err.to_string(), "unknown plan `platinum`; valid plans: free, pro, studio, max");
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn plan(&self, id: &str) -> Result<&PlanSpec, RuleError> {
        self.spec
            .plans
            .iter()
            .find(|p| same_id(&p.id, id))
            .ok_or_else(|| RuleError::UnknownId {
                kind: "plan",
                id: id.to_owned(),
                valid: self.spec.plans.iter().map(|p| p.id.clone()).collect(),
            })
    }

    /// The plan a Stripe price id stands for, by the plans' `stripe_price_ids`.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// let plan = c.plan_by_stripe_price("price_stable_audio_studio_monthly");
    /// assert_eq!(plan.map(|p| p.id.as_str()), Some("studio"));
    /// assert!(c.plan_by_stripe_price("price_unknown").is_none());
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    #[must_use]
    pub fn plan_by_stripe_price(&self, price_id: &str) -> Option<&PlanSpec> {
        self.spec
            .plans
            .iter()
            .find(|p| p.stripe_price_ids.iter().any(|id| id == price_id))
    }

    /// A licence by id.
    ///
    /// # Errors
    ///
    /// [`RuleError::UnknownId`] listing the valid licence ids.
    ///
    /// # Example
    ///
    /// ```
    /// use ratecard_rules::Catalogue;
    /// let c = Catalogue::builtin("stable-audio")?;
    /// assert_eq!(c.licence("creator")?.mau_limit, Some(100_000));
    /// # Ok::<(), ratecard_rules::RuleError>(())
    /// ```
    pub fn licence(&self, id: &str) -> Result<&LicenceSpec, RuleError> {
        self.spec
            .licences
            .iter()
            .find(|l| same_id(&l.id, id))
            .ok_or_else(|| RuleError::UnknownId {
                kind: "licence",
                id: id.to_owned(),
                valid: self.spec.licences.iter().map(|l| l.id.clone()).collect(),
            })
    }
}

/// Whether two ids are the same string, compared eight bytes at a time.
///
/// `str`'s `==` calls `memcmp`, which on wasm32 is a loop over single bytes. The ids of
/// one catalogue share long prefixes (`stable-audio-1.0`, `stable-audio-1.1`), and a quota
/// looks up one model per generation, so in the browser that loop was most of a quota's
/// time. The answer is always the same as `a == b`.
fn same_id(a: &str, b: &str) -> bool {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    while let (Some((x, rest_a)), Some((y, rest_b))) =
        (a.split_first_chunk::<8>(), b.split_first_chunk::<8>())
    {
        if u64::from_ne_bytes(*x) != u64::from_ne_bytes(*y) {
            return false;
        }
        a = rest_a;
        b = rest_b;
    }
    a.iter().zip(b).all(|(x, y)| x == y)
}

#[cfg(test)]
mod tests {
    use super::same_id;
    use super::{Catalogue, CatalogueSpec};
    use crate::error::RuleError;

    fn invalid_field(spec: CatalogueSpec) -> (String, String) {
        match Catalogue::validate("t.json", spec) {
            Err(RuleError::InvalidCatalogue { field, problem, .. }) => (field, problem),
            other => panic!("expected an invalid catalogue, got {other:?}"),
        }
    }

    #[test]
    fn stripe_price_ids_find_their_plan() {
        let c = Catalogue::builtin("stable-audio").expect("built in");
        for (price, plan) in [
            ("price_stable_audio_pro_monthly", "pro"),
            ("price_stable_audio_studio_monthly", "studio"),
            ("price_stable_audio_max_monthly", "max"),
        ] {
            assert_eq!(
                c.plan_by_stripe_price(price).map(|p| p.id.as_str()),
                Some(plan)
            );
        }
        assert!(c.plan_by_stripe_price("").is_none());
        assert!(c.plan_by_stripe_price("price_stable_audio_pro").is_none());
        assert!(c.plan("free").expect("free").stripe_price_ids.is_empty());
        // The other built-ins sell nothing through Stripe subscriptions.
        for id in ["api-credits", "pay-as-you-go"] {
            let c = Catalogue::builtin(id).expect("built in");
            assert!(c.plans().iter().all(|p| p.stripe_price_ids.is_empty()));
        }
    }

    #[test]
    fn stripe_price_ids_are_optional_and_not_written_when_empty() {
        let c = Catalogue::builtin("stable-audio").expect("built in");
        let json = c.to_json();
        assert!(
            json.contains("\"stripe_price_ids\": [\n        \"price_stable_audio_pro_monthly\"")
        );
        let free = serde_json::to_value(c.plan("free").expect("free")).expect("json");
        assert!(free.get("stripe_price_ids").is_none(), "{free}");
        // A document without the field reads, with none.
        let mut doc: serde_json::Value = serde_json::from_str(&json).expect("json");
        for plan in doc["plans"].as_array_mut().expect("plans") {
            plan.as_object_mut()
                .expect("plan")
                .remove("stripe_price_ids");
        }
        let read = Catalogue::from_json("old.json", &doc.to_string()).expect("valid");
        assert!(read.plans().iter().all(|p| p.stripe_price_ids.is_empty()));
        assert!(
            read.plan_by_stripe_price("price_stable_audio_pro_monthly")
                .is_none()
        );
    }

    #[test]
    fn builtin_catalogues_are_valid() {
        for id in Catalogue::builtin_ids() {
            let builtin = Catalogue::builtin(id).expect("a built-in id");
            let checked = Catalogue::validate(id, builtin.spec().clone());
            assert_eq!(checked.as_ref(), Ok(&builtin), "{id}");
        }
    }

    #[test]
    fn stripe_price_ids_are_validated_by_field() {
        let base = Catalogue::builtin("stable-audio")
            .expect("built in")
            .spec()
            .clone();

        let mut spec = base.clone();
        spec.plans[2].stripe_price_ids = vec!["price_stable_audio_pro_monthly".into()];
        let (field, problem) = invalid_field(spec);
        assert_eq!(field, "plans[2].stripe_price_ids[0]");
        assert!(
            problem.contains("already belongs to plan `pro`"),
            "{problem}"
        );

        let mut spec = base.clone();
        spec.plans[3].stripe_price_ids.push(String::new());
        let (field, problem) = invalid_field(spec);
        assert_eq!(field, "plans[3].stripe_price_ids[2]");
        assert!(problem.contains("must not be empty"), "{problem}");

        let mut spec = base.clone();
        spec.plans[1]
            .stripe_price_ids
            .push("price_stable_audio_pro_monthly".into());
        let (field, problem) = invalid_field(spec);
        assert_eq!(field, "plans[1].stripe_price_ids[2]");
        assert!(problem.contains("listed twice"), "{problem}");

        let mut spec = base.clone();
        spec.plans[1].stripe_price_ids = vec!["price pro".into()];
        assert_eq!(invalid_field(spec).0, "plans[1].stripe_price_ids[0]");

        let mut spec = base.clone();
        spec.plans[1].stripe_price_ids = vec!["p".repeat(256)];
        assert_eq!(invalid_field(spec).0, "plans[1].stripe_price_ids[0]");

        // Several ids for one plan (a monthly and a yearly price, say) are fine.
        let mut spec = base;
        spec.plans[1]
            .stripe_price_ids
            .push("price_pro_yearly".into());
        let c = Catalogue::validate("t.json", spec).expect("valid");
        assert_eq!(
            c.plan_by_stripe_price("price_pro_yearly")
                .map(|p| p.id.as_str()),
            Some("pro")
        );
    }

    #[test]
    fn same_id_tells_apart_ids_that_share_a_prefix() {
        assert!(same_id("stable-audio-1.0", "stable-audio-1.0"));
        assert!(!same_id("stable-audio-1.0", "stable-audio-1.1"));
        assert!(!same_id("stable-audio-1.0", "stable-audio-2.0"));
        assert!(!same_id("stable-audio-2.0", "stable-audio-2.0 "));
        assert!(!same_id("pro", "max"));
        assert!(same_id("", ""));
        assert!(!same_id("", "a"));
        // A last byte decides, at the end of a word of eight bytes and after it.
        assert!(!same_id("creator-licence1", "creator-licence2"));
        assert!(!same_id("creator-licence-a", "creator-licence-b"));
    }

    /// Proptest is a dev-dependency on the host only, so the property is checked there; the
    /// cases above build for every target.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use proptest::prelude::*;

        use super::same_id;

        proptest! {
            /// `same_id` answers exactly as `==`, on ids drawn from a small alphabet so equal
            /// ids and ids that differ in one late byte are common.
            #[test]
            fn same_id_is_string_equality(
                a in "[ab.-]{0,24}",
                b in "[ab.-]{0,24}",
                cut in 0usize..24,
            ) {
                prop_assert_eq!(same_id(&a, &b), a == b);
                prop_assert!(same_id(&a, &a.clone()));
                // The same id with one byte changed is never the same.
                let mut c = a.clone().into_bytes();
                if let Some(byte) = c.get_mut(cut) {
                    *byte = if *byte == b'a' { b'b' } else { b'a' };
                    let c = String::from_utf8(c).expect("ASCII");
                    prop_assert!(!same_id(&a, &c));
                }
            }
        }
    }
}
