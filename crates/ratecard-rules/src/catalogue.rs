//! Catalogues: plans, models, licences and the policy settings of RULES.md.
//!
//! A [`CatalogueSpec`] is the plain serde shape shared by TOML files, JSON files and the
//! HTTP API. A [`Catalogue`] is a spec that passed [`Catalogue::validate`]; every
//! calculation takes a `Catalogue`, so none of them has to re-check ids or prices.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::RuleError;
use crate::money::Currency;

/// The id of the default catalogue.
pub const DEFAULT_CATALOGUE_ID: &str = "stable-audio";

/// The serialisable shape of a catalogue, before validation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueSpec {
    /// A stable id such as `stable-audio`.
    pub id: String,
    /// The name shown to people.
    pub name: String,
    /// The version label of this price list (R-PRICE-LOCK-1).
    pub version: String,
    /// When this version takes effect (R-PRICE-LOCK-1, R-PRICE-CHANGE-1).
    pub effective_from: DateTime<Utc>,
    /// The currency of every price in the catalogue.
    pub currency: Currency,
    /// The plans, cheapest first by convention.
    pub plans: Vec<PlanSpec>,
    /// The generation models and what they cost in credits (R-CREDIT-COST-1).
    #[serde(default)]
    pub models: Vec<ModelSpec>,
    /// The licence tiers plans refer to (R-LICENCE-1).
    #[serde(default)]
    pub licences: Vec<LicenceSpec>,
}

/// One plan of a catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanSpec {
    /// A stable id such as `pro`.
    pub id: String,
    /// The name shown to people.
    pub name: String,
    /// The price per period in minor units, tax-exclusive (R-MONEY-3); 0 for a free plan.
    pub price_minor: i64,
    /// Credits granted per period (R-QUOTA-1).
    pub credits_per_period: u64,
    /// Upload time granted per period, in seconds (R-UPLOAD-1).
    pub upload_seconds_per_period: u32,
    /// The length an upload is cropped to, in seconds (R-UPLOAD-2).
    pub upload_crop_seconds: u32,
    /// The id of the plan's licence (R-LICENCE-1).
    pub licence: String,
}

/// One generation model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// A stable id such as `stable-audio-2.0`.
    pub id: String,
    /// The name shown to people.
    pub name: String,
    /// Credits one generation costs (R-CREDIT-COST-1).
    pub credits: u32,
}

/// One licence tier (R-LICENCE-1, R-LICENCE-2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicenceSpec {
    /// A stable id such as `creator`.
    pub id: String,
    /// The name shown to people.
    pub name: String,
    /// Whether commercial use is allowed at all.
    pub commercial_use: bool,
    /// Commercial products must stay strictly below this many monthly active users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mau_limit: Option<u64>,
    /// Whether the licence is granted by individual agreement only.
    #[serde(default)]
    pub by_agreement: bool,
}

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
        let fail = |field: String, problem: String| RuleError::InvalidCatalogue {
            source: source.to_owned(),
            field,
            problem,
        };
        check_id(&spec.id).map_err(|p| fail("id".into(), p))?;
        if spec.name.trim().is_empty() {
            return Err(fail("name".into(), "must not be empty".into()));
        }
        if spec.plans.is_empty() {
            return Err(fail("plans".into(), "must list at least one plan".into()));
        }
        for (i, licence) in spec.licences.iter().enumerate() {
            check_id(&licence.id).map_err(|p| fail(format!("licences[{i}].id"), p))?;
            if spec.licences[..i].iter().any(|l| l.id == licence.id) {
                return Err(fail(
                    format!("licences[{i}].id"),
                    format!("duplicate licence id `{}`", licence.id),
                ));
            }
        }
        for (i, model) in spec.models.iter().enumerate() {
            check_id(&model.id).map_err(|p| fail(format!("models[{i}].id"), p))?;
            if spec.models[..i].iter().any(|m| m.id == model.id) {
                return Err(fail(
                    format!("models[{i}].id"),
                    format!("duplicate model id `{}`", model.id),
                ));
            }
            if model.credits == 0 {
                return Err(fail(
                    format!("models[{i}].credits"),
                    "a generation must cost at least 1 credit".into(),
                ));
            }
        }
        for (i, plan) in spec.plans.iter().enumerate() {
            check_id(&plan.id).map_err(|p| fail(format!("plans[{i}].id"), p))?;
            if spec.plans[..i].iter().any(|p| p.id == plan.id) {
                return Err(fail(
                    format!("plans[{i}].id"),
                    format!("duplicate plan id `{}`", plan.id),
                ));
            }
            if plan.price_minor < 0 {
                return Err(fail(
                    format!("plans[{i}].price_minor"),
                    format!("a price cannot be negative, got {}", plan.price_minor),
                ));
            }
            if !spec.licences.iter().any(|l| l.id == plan.licence) {
                let valid: Vec<&str> = spec.licences.iter().map(|l| l.id.as_str()).collect();
                return Err(fail(
                    format!("plans[{i}].licence"),
                    format!(
                        "unknown licence `{}`; valid licences: {}",
                        plan.licence,
                        valid.join(", ")
                    ),
                ));
            }
            if plan.upload_crop_seconds > plan.upload_seconds_per_period
                && plan.upload_seconds_per_period > 0
            {
                return Err(fail(
                    format!("plans[{i}].upload_crop_seconds"),
                    format!(
                        "the crop length ({} s) is longer than the upload allowance ({} s)",
                        plan.upload_crop_seconds, plan.upload_seconds_per_period
                    ),
                ));
            }
        }
        Ok(Catalogue { spec })
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
                field: "(document)".into(),
                problem: e.to_string(),
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
    pub fn from_toml(source: &str, text: &str) -> Result<Catalogue, RuleError> {
        let spec: CatalogueSpec = toml::from_str(text).map_err(|e| RuleError::InvalidCatalogue {
            source: source.to_owned(),
            field: "(document)".into(),
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
    pub fn to_toml(&self) -> Result<String, RuleError> {
        toml::to_string(&self.spec).map_err(|e| RuleError::InvalidCatalogue {
            source: self.spec.id.clone(),
            field: "(document)".into(),
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
        match id {
            DEFAULT_CATALOGUE_ID => Catalogue::validate(DEFAULT_CATALOGUE_ID, stable_audio()),
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
    #[must_use]
    pub fn builtin_ids() -> &'static [&'static str] {
        &[DEFAULT_CATALOGUE_ID]
    }

    /// The validated spec.
    #[must_use]
    pub fn spec(&self) -> &CatalogueSpec {
        &self.spec
    }

    /// The catalogue id.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.spec.id
    }

    /// The currency of every price.
    #[must_use]
    pub fn currency(&self) -> Currency {
        self.spec.currency
    }

    /// The plans in catalogue order.
    #[must_use]
    pub fn plans(&self) -> &[PlanSpec] {
        &self.spec.plans
    }

    /// The models in catalogue order.
    #[must_use]
    pub fn models(&self) -> &[ModelSpec] {
        &self.spec.models
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
            .find(|p| p.id == id)
            .ok_or_else(|| RuleError::UnknownId {
                kind: "plan",
                id: id.to_owned(),
                valid: self.spec.plans.iter().map(|p| p.id.clone()).collect(),
            })
    }

    /// A licence by id.
    ///
    /// # Errors
    ///
    /// [`RuleError::UnknownId`] listing the valid licence ids.
    pub fn licence(&self, id: &str) -> Result<&LicenceSpec, RuleError> {
        self.spec
            .licences
            .iter()
            .find(|l| l.id == id)
            .ok_or_else(|| RuleError::UnknownId {
                kind: "licence",
                id: id.to_owned(),
                valid: self.spec.licences.iter().map(|l| l.id.clone()).collect(),
            })
    }
}

/// Checks that an id is non-empty, short, and made of lower-case letters, digits, `-`, `_`
/// and `.`.
fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("an id must not be empty".into());
    }
    if id.len() > 64 {
        return Err(format!("an id is at most 64 characters, got {}", id.len()));
    }
    if let Some(bad) = id
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!(
            "`{id}` contains `{bad}`; ids use a-z, 0-9, `-`, `_` and `.`"
        ));
    }
    Ok(())
}

/// The default catalogue: the example table at the end of RULES.md.
fn stable_audio() -> CatalogueSpec {
    let plan = |id: &str, name: &str, price, credits, upload_min: u32, crop, licence: &str| {
        PlanSpec {
            id: id.into(),
            name: name.into(),
            price_minor: price,
            credits_per_period: credits,
            upload_seconds_per_period: upload_min * 60,
            upload_crop_seconds: crop,
            licence: licence.into(),
        }
    };
    let model = |id: &str, name: &str, credits| ModelSpec {
        id: id.into(),
        name: name.into(),
        credits,
    };
    CatalogueSpec {
        id: DEFAULT_CATALOGUE_ID.into(),
        name: "Stable Audio".into(),
        version: "2026-01".into(),
        effective_from: DateTime::from_timestamp(1_767_225_600, 0).unwrap_or_default(),
        currency: Currency::Usd,
        // R-UPLOAD-1 and R-UPLOAD-2: allowances and crop lengths per plan.
        plans: vec![
            plan("free", "Free", 0, 20, 2, 30, "personal"),
            plan("pro", "Pro", 1199, 500, 30, 180, "creator"),
            plan("studio", "Studio", 2999, 1350, 60, 180, "creator"),
            plan("max", "Max", 8999, 2700, 90, 180, "creator"),
        ],
        // R-CREDIT-COST-1: credits per generation by model.
        models: vec![
            model("stable-audio-1.0", "Stable Audio 1.0", 1),
            model("stable-audio-1.1", "Stable Audio 1.1", 1),
            model("stable-audio-2.0", "Stable Audio 2.0", 2),
        ],
        // R-LICENCE-1 and R-LICENCE-2: the three tiers.
        licences: vec![
            LicenceSpec {
                id: "personal".into(),
                name: "Personal".into(),
                commercial_use: false,
                mau_limit: None,
                by_agreement: false,
            },
            LicenceSpec {
                id: "creator".into(),
                name: "Creator".into(),
                commercial_use: true,
                mau_limit: Some(100_000),
                by_agreement: false,
            },
            LicenceSpec {
                id: "enterprise".into(),
                name: "Enterprise".into(),
                commercial_use: true,
                mau_limit: None,
                by_agreement: true,
            },
        ],
    }
}
