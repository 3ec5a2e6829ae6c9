//! The checks of [`Catalogue::validate`](super::Catalogue::validate), and the field a
//! parse error blames.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::catalogue::spec::{
    CatalogueKind, CatalogueSpec, Interval, LicenceSpec, ModelSpec, PlanSpec, Policy,
    PrepaidSettings, PriceSpec, PriceVersion, RefundPolicy, TopUpSettings,
};
use crate::money::Currency;

/// A validation failure: the field at fault and the problem.
type Invalid = (String, String);

fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Invalid {
    (field.into(), problem.into())
}

/// Every check of [`Catalogue::validate`](super::Catalogue::validate), in document order.
pub(super) fn check_spec(spec: &CatalogueSpec) -> Result<(), Invalid> {
    check_id(&spec.id).map_err(|p| invalid("id", p))?;
    check_name("name", &spec.name)?;
    if spec.version.trim().is_empty() {
        return Err(invalid("version", "must not be empty"));
    }
    if spec.plans.is_empty() {
        return Err(invalid("plans", "must list at least one plan"));
    }
    for (i, licence) in spec.licences.iter().enumerate() {
        check_id(&licence.id).map_err(|p| invalid(format!("licences[{i}].id"), p))?;
        check_name(&format!("licences[{i}].name"), &licence.name)?;
        if spec.licences.iter().take(i).any(|l| l.id == licence.id) {
            return Err(invalid(
                format!("licences[{i}].id"),
                format!("duplicate licence id `{}`", licence.id),
            ));
        }
        if licence.mau_limit.is_some() && !licence.commercial_use {
            return Err(invalid(
                format!("licences[{i}].mau_limit"),
                "a licence without commercial use cannot have a commercial MAU limit",
            ));
        }
    }
    for (i, model) in spec.models.iter().enumerate() {
        check_id(&model.id).map_err(|p| invalid(format!("models[{i}].id"), p))?;
        check_name(&format!("models[{i}].name"), &model.name)?;
        if spec.models.iter().take(i).any(|m| m.id == model.id) {
            return Err(invalid(
                format!("models[{i}].id"),
                format!("duplicate model id `{}`", model.id),
            ));
        }
        if model.credits == 0 {
            return Err(invalid(
                format!("models[{i}].credits"),
                "a generation must cost at least 1 credit",
            ));
        }
    }
    check_currencies(spec)?;
    if spec.kind == CatalogueKind::Subscription {
        let free = spec.plans.iter().filter(|p| p.price_minor == 0).count();
        if free != 1 {
            return Err(invalid(
                "plans",
                format!(
                    "a subscription catalogue needs exactly one free plan (price_minor = 0), found {free}"
                ),
            ));
        }
    }
    for (i, plan) in spec.plans.iter().enumerate() {
        check_plan(spec, i, plan)?;
    }
    check_policies(spec)?;
    check_versions(spec)
}

fn check_name(field: &str, name: &str) -> Result<(), Invalid> {
    if name.trim().is_empty() {
        return Err(invalid(field, "must not be empty"));
    }
    Ok(())
}

fn check_plan(spec: &CatalogueSpec, i: usize, plan: &PlanSpec) -> Result<(), Invalid> {
    check_id(&plan.id).map_err(|p| invalid(format!("plans[{i}].id"), p))?;
    check_name(&format!("plans[{i}].name"), &plan.name)?;
    if spec.plans.iter().take(i).any(|p| p.id == plan.id) {
        return Err(invalid(
            format!("plans[{i}].id"),
            format!("duplicate plan id `{}`", plan.id),
        ));
    }
    if plan.price_minor < 0 {
        return Err(invalid(
            format!("plans[{i}].price_minor"),
            format!("a price cannot be negative, got {}", plan.price_minor),
        ));
    }
    if !spec.licences.iter().any(|l| l.id == plan.licence) {
        let valid: Vec<&str> = spec.licences.iter().map(|l| l.id.as_str()).collect();
        return Err(invalid(
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
        return Err(invalid(
            format!("plans[{i}].upload_crop_seconds"),
            format!(
                "the crop length ({} s) is longer than the upload allowance ({} s)",
                plan.upload_crop_seconds, plan.upload_seconds_per_period
            ),
        ));
    }
    if plan.upload_seconds_per_period > 0 && plan.upload_crop_seconds == 0 {
        return Err(invalid(
            format!("plans[{i}].upload_crop_seconds"),
            "a plan that allows uploads needs a crop length above 0 s",
        ));
    }
    check_stripe_price_ids(spec, i, plan)?;
    check_prices(spec, i, plan)?;
    check_offer(spec, i, plan)
}

/// The currencies of a catalogue: `currencies`, or `[currency]` when it is absent.
fn currencies(spec: &CatalogueSpec) -> Vec<Currency> {
    if spec.currencies.is_empty() {
        vec![spec.currency]
    } else {
        spec.currencies.clone()
    }
}

/// R-CURRENCY-1 and R-CURRENCY-2: the default currency comes first, no currency twice,
/// regions are ISO 3166-1 alpha-2 codes mapped to currencies the catalogue prices in.
fn check_currencies(spec: &CatalogueSpec) -> Result<(), Invalid> {
    if let Some(first) = spec.currencies.first()
        && *first != spec.currency
    {
        return Err(invalid(
            "currencies[0]",
            format!(
                "the first currency is the default and must equal `currency` ({}), got {}",
                spec.currency.code(),
                first.code()
            ),
        ));
    }
    for (j, c) in spec.currencies.iter().enumerate() {
        if spec.currencies[..j].contains(c) {
            return Err(invalid(
                format!("currencies[{j}]"),
                format!("{} is listed twice", c.code()),
            ));
        }
    }
    let all = currencies(spec);
    for (region, currency) in &spec.currency_by_region {
        let field = || format!("currency_by_region.{region}");
        if region.len() != 2 || !region.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(invalid(
                field(),
                "a region is an ISO 3166-1 alpha-2 code: two capital letters such as `DE`",
            ));
        }
        if !all.contains(currency) {
            return Err(invalid(
                field(),
                format!(
                    "{} is not one of the catalogue's currencies ({})",
                    currency.code(),
                    codes(&all)
                ),
            ));
        }
    }
    Ok(())
}

fn codes(currencies: &[Currency]) -> String {
    currencies
        .iter()
        .map(|c| c.code())
        .collect::<Vec<_>>()
        .join(", ")
}

/// R-INTERVAL-1 and R-CURRENCY-1: a plan's prices are non-negative and unique per
/// interval and currency, cover every currency for every interval the plan is sold at,
/// agree with `price_minor`, and a yearly price is not below the monthly one.
fn check_prices(spec: &CatalogueSpec, i: usize, plan: &PlanSpec) -> Result<(), Invalid> {
    let all = currencies(spec);
    if plan.prices.is_empty() {
        if all.len() > 1 && plan.price_minor != 0 {
            return Err(invalid(
                format!("plans[{i}].prices"),
                format!(
                    "the catalogue prices in {}, so a paid plan lists its price in each \
                     (R-CURRENCY-1)",
                    codes(&all)
                ),
            ));
        }
        return Ok(());
    }
    for (j, price) in plan.prices.iter().enumerate() {
        let field = |name: &str| format!("plans[{i}].prices[{j}].{name}");
        if price.amount_minor < 0 {
            return Err(invalid(
                field("amount_minor"),
                format!("a price cannot be negative, got {}", price.amount_minor),
            ));
        }
        if !all.contains(&price.currency) {
            return Err(invalid(
                field("currency"),
                format!(
                    "{} is not one of the catalogue's currencies ({})",
                    price.currency.code(),
                    codes(&all)
                ),
            ));
        }
        if plan.prices[..j]
            .iter()
            .any(|p| p.interval == price.interval && p.currency == price.currency)
        {
            return Err(invalid(
                field("interval"),
                format!(
                    "a second {} price in {}",
                    price.interval.as_str(),
                    price.currency.code()
                ),
            ));
        }
    }
    let find = |interval: Interval, currency: Currency| {
        plan.prices
            .iter()
            .find(|p| p.interval == interval && p.currency == currency)
    };
    for interval in Interval::ALL {
        if !plan.prices.iter().any(|p| p.interval == interval) {
            continue;
        }
        if let Some(missing) = all.iter().find(|c| find(interval, **c).is_none()) {
            return Err(invalid(
                format!("plans[{i}].prices"),
                format!(
                    "no {} price in {}: a plan sold per {} has a price in every currency of \
                     the catalogue (R-CURRENCY-1)",
                    interval.as_str(),
                    missing.code(),
                    interval.as_str()
                ),
            ));
        }
    }
    let default_price = find(Interval::Month, spec.currency)
        .or_else(|| find(Interval::Year, spec.currency))
        .map(|p| p.amount_minor);
    if default_price != Some(plan.price_minor) {
        return Err(invalid(
            format!("plans[{i}].price_minor"),
            format!(
                "must equal the plan's monthly price in {} ({})",
                spec.currency.code(),
                default_price.unwrap_or_default()
            ),
        ));
    }
    for (j, price) in plan.prices.iter().enumerate() {
        if price.interval != Interval::Year {
            continue;
        }
        if let Some(month) = find(Interval::Month, price.currency)
            && price.amount_minor < month.amount_minor
        {
            return Err(invalid(
                format!("plans[{i}].prices[{j}].amount_minor"),
                format!(
                    "the yearly price in {} ({}) is below the monthly price ({}) \
                     (R-INTERVAL-1)",
                    price.currency.code(),
                    price.amount_minor,
                    month.amount_minor
                ),
            ));
        }
    }
    Ok(())
}

/// The longest trial accepted, in days.
const MAX_TRIAL_DAYS: u32 = 366;

/// R-TRIAL-1 and the recommended mark: a trial lasts 1 to 366 days on a paid plan of a
/// subscription catalogue, and at most one plan is recommended.
fn check_offer(spec: &CatalogueSpec, i: usize, plan: &PlanSpec) -> Result<(), Invalid> {
    if let Some(days) = plan.trial_days {
        let field = format!("plans[{i}].trial_days");
        if days == 0 || days > MAX_TRIAL_DAYS {
            return Err(invalid(
                field,
                format!("a trial lasts 1 to {MAX_TRIAL_DAYS} days, got {days}"),
            ));
        }
        if plan.price_minor == 0 || spec.kind != CatalogueKind::Subscription {
            return Err(invalid(
                field,
                "only a paid plan of a subscription catalogue can offer a trial",
            ));
        }
    }
    if plan.recommended && spec.plans[..i].iter().any(|p| p.recommended) {
        return Err(invalid(
            format!("plans[{i}].recommended"),
            "at most one plan of a catalogue is recommended",
        ));
    }
    Ok(())
}

/// The longest Stripe price id accepted; Stripe's own ids are far shorter.
const MAX_STRIPE_PRICE_ID: usize = 255;

fn check_stripe_price_ids(spec: &CatalogueSpec, i: usize, plan: &PlanSpec) -> Result<(), Invalid> {
    for (j, id) in plan.stripe_price_ids.iter().enumerate() {
        let field = || format!("plans[{i}].stripe_price_ids[{j}]");
        if id.is_empty() {
            return Err(invalid(field(), "a Stripe price id must not be empty"));
        }
        if id.len() > MAX_STRIPE_PRICE_ID {
            return Err(invalid(
                field(),
                format!(
                    "a Stripe price id is at most {MAX_STRIPE_PRICE_ID} characters, got {}",
                    id.len()
                ),
            ));
        }
        if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid(
                field(),
                format!("the Stripe price id {id:?} contains a space or a control character"),
            ));
        }
        if plan.stripe_price_ids.iter().take(j).any(|x| x == id) {
            return Err(invalid(
                field(),
                format!("the Stripe price id `{id}` is listed twice"),
            ));
        }
        if let Some(other) = spec
            .plans
            .iter()
            .take(i)
            .find(|p| p.stripe_price_ids.iter().any(|x| x == id))
        {
            return Err(invalid(
                field(),
                format!(
                    "the Stripe price id `{id}` already belongs to plan `{}`; a price id names one plan",
                    other.id
                ),
            ));
        }
    }
    Ok(())
}

fn check_policies(spec: &CatalogueSpec) -> Result<(), Invalid> {
    if spec.policy.initial_term_periods == 0 {
        return Err(invalid("policy.initial_term_periods", "must be at least 1"));
    }
    let refund = &spec.refund_policy;
    if refund.window_hours == 0 {
        return Err(invalid("refund_policy.window_hours", "must be at least 1"));
    }
    if refund.usage_threshold_bp > 10_000 {
        return Err(invalid(
            "refund_policy.usage_threshold_bp",
            format!(
                "is at most 10000 (100 %), got {}",
                refund.usage_threshold_bp
            ),
        ));
    }
    for (field, [from, to]) in [
        (
            "refund_policy.reply_business_days",
            refund.reply_business_days,
        ),
        (
            "refund_policy.bank_business_days",
            refund.bank_business_days,
        ),
    ] {
        if from > to || to > 365 {
            return Err(invalid(
                field,
                format!("must be [from, to] with from <= to <= 365, got [{from}, {to}]"),
            ));
        }
    }
    if !(1..=1200).contains(&spec.prepaid.expiry_months) {
        return Err(invalid(
            "prepaid.expiry_months",
            format!("must be 1 to 1200, got {}", spec.prepaid.expiry_months),
        ));
    }
    if let Some(topup) = spec.topup {
        if topup.topup_minor <= 0 {
            return Err(invalid(
                "topup.topup_minor",
                format!(
                    "a top-up must credit more than 0, got {}",
                    topup.topup_minor
                ),
            ));
        }
        if topup.threshold_minor < 0 {
            return Err(invalid(
                "topup.threshold_minor",
                format!("cannot be negative, got {}", topup.threshold_minor),
            ));
        }
        if topup.threshold_minor >= topup.topup_minor {
            return Err(invalid(
                "topup.threshold_minor",
                format!(
                    "the threshold ({}) must be below the top-up amount ({}), or one top-up may not lift the balance above it",
                    topup.threshold_minor, topup.topup_minor
                ),
            ));
        }
    }
    if spec.kind == CatalogueKind::PayAsYouGo && spec.topup.is_none() {
        return Err(invalid(
            "topup",
            "a pay-as-you-go catalogue needs top-up settings",
        ));
    }
    Ok(())
}

fn check_versions(spec: &CatalogueSpec) -> Result<(), Invalid> {
    for (i, v) in spec.earlier_versions.iter().enumerate() {
        let field = format!("earlier_versions[{i}]");
        if v.version.trim().is_empty() || v.version == spec.version {
            return Err(invalid(
                format!("{field}.version"),
                "must be a non-empty label different from the catalogue's own version",
            ));
        }
        if spec
            .earlier_versions
            .iter()
            .take(i)
            .any(|w| w.version == v.version)
        {
            return Err(invalid(
                format!("{field}.version"),
                format!("duplicate version `{}`", v.version),
            ));
        }
        let next = spec
            .earlier_versions
            .get(i + 1)
            .map_or(spec.effective_from, |w| w.effective_from);
        if v.effective_from >= next {
            return Err(invalid(
                format!("{field}.effective_from"),
                "earlier versions must take effect in order, before the catalogue's own effective_from",
            ));
        }
        for (plan, price) in &v.prices {
            if !spec.plans.iter().any(|p| &p.id == plan) {
                return Err(invalid(
                    format!("{field}.prices.{plan}"),
                    format!("unknown plan `{plan}`"),
                ));
            }
            if *price < 0 {
                return Err(invalid(
                    format!("{field}.prices.{plan}"),
                    format!("a price cannot be negative, got {price}"),
                ));
            }
        }
    }
    Ok(())
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

/// The field named by a parse error that no single field can be blamed for.
pub(super) const DOCUMENT: &str = "(document)";

/// A parsed catalogue document that [`Catalogue::from_document`](super::Catalogue::from_document)
/// reads: a JSON value in memory, such as a `serde_json::Value` on the server or the
/// result of the browser's `JSON.parse` in the widget.
///
/// The reader needs only these four questions to name the field a parse error blames, so
/// the widget can read catalogues without carrying a JSON parser of its own.
pub trait CatalogueDocument: Sized {
    /// The value of the member `name`, if this is an object that has one.
    fn member(&self, name: &str) -> Option<Self>;

    /// The items, if this is an array.
    fn items(&self) -> Option<Vec<Self>>;

    /// Whether this is an object.
    fn is_object(&self) -> bool;

    /// This value as a `T`.
    ///
    /// # Errors
    ///
    /// The deserialiser's message when the value does not have the shape of a `T`.
    fn read<T: serde::de::DeserializeOwned>(&self) -> Result<T, String>;
}

impl CatalogueDocument for serde_json::Value {
    fn member(&self, name: &str) -> Option<Self> {
        self.as_object()?.get(name).cloned()
    }

    fn items(&self) -> Option<Vec<Self>> {
        self.as_array().cloned()
    }

    fn is_object(&self) -> bool {
        self.is_object()
    }

    fn read<T: serde::de::DeserializeOwned>(&self) -> Result<T, String> {
        T::deserialize(self).map_err(|e| e.to_string())
    }
}

/// Whether `value` fails to deserialise as a `T`.
fn fails<T: serde::de::DeserializeOwned, D: CatalogueDocument>(value: &D) -> bool {
    value.read::<T>().is_err()
}

/// The field of a parsed but ill-typed catalogue document that fails to deserialise, such
/// as `currency` or `plans[1].price_minor`, so a parse error names the field as well as
/// the file and the problem. Falls back to the list item, then to `(document)`.
pub(super) fn field_at_fault<D: CatalogueDocument>(doc: &D) -> String {
    type Check<D> = fn(&D) -> bool;
    type Fields<'a, D> = &'a [(&'a str, Check<D>)];
    if !doc.is_object() {
        return DOCUMENT.to_owned();
    }
    let fields: [(&str, Check<D>); 12] = [
        ("id", fails::<String, D>),
        ("name", fails::<String, D>),
        ("version", fails::<String, D>),
        ("effective_from", fails::<DateTime<Utc>, D>),
        ("currency", fails::<Currency, D>),
        ("currencies", fails::<Vec<Currency>, D>),
        ("currency_by_region", fails::<BTreeMap<String, Currency>, D>),
        ("kind", fails::<CatalogueKind, D>),
        ("policy", fails::<Policy, D>),
        ("refund_policy", fails::<RefundPolicy, D>),
        ("prepaid", fails::<PrepaidSettings, D>),
        ("topup", fails::<Option<TopUpSettings>, D>),
    ];
    for (name, check) in fields {
        if doc.member(name).is_some_and(|value| check(&value)) {
            return name.to_owned();
        }
    }
    let plan_fields: &[(&str, Check<D>)] = &[
        ("id", fails::<String, D>),
        ("name", fails::<String, D>),
        ("price_minor", fails::<i64, D>),
        ("credits_per_period", fails::<u64, D>),
        ("upload_seconds_per_period", fails::<u32, D>),
        ("upload_crop_seconds", fails::<u32, D>),
        ("licence", fails::<String, D>),
        ("stripe_price_ids", fails::<Vec<String>, D>),
        ("prices", fails::<Vec<PriceSpec>, D>),
        ("trial_days", fails::<Option<u32>, D>),
        ("recommended", fails::<bool, D>),
    ];
    let model_fields: &[(&str, Check<D>)] = &[
        ("id", fails::<String, D>),
        ("name", fails::<String, D>),
        ("credits", fails::<u32, D>),
    ];
    let licence_fields: &[(&str, Check<D>)] = &[
        ("id", fails::<String, D>),
        ("name", fails::<String, D>),
        ("commercial_use", fails::<bool, D>),
        ("mau_limit", fails::<Option<u64>, D>),
        ("by_agreement", fails::<bool, D>),
    ];
    let version_fields: &[(&str, Check<D>)] = &[
        ("version", fails::<String, D>),
        ("effective_from", fails::<DateTime<Utc>, D>),
        ("prices", fails::<BTreeMap<String, i64>, D>),
    ];
    let lists: [(&str, Check<D>, Fields<'_, D>); 4] = [
        ("plans", fails::<PlanSpec, D>, plan_fields),
        ("models", fails::<ModelSpec, D>, model_fields),
        ("licences", fails::<LicenceSpec, D>, licence_fields),
        ("earlier_versions", fails::<PriceVersion, D>, version_fields),
    ];
    for (name, item_fails, item_fields) in lists {
        let Some(items) = doc.member(name) else {
            continue;
        };
        let Some(items) = items.items() else {
            return name.to_owned();
        };
        for (i, item) in items.iter().enumerate() {
            if !item_fails(item) {
                continue;
            }
            let bad = item_fields
                .iter()
                .find(|(field, check)| item.member(field).is_some_and(|value| check(&value)));
            return match bad {
                Some((field, _)) => format!("{name}[{i}].{field}"),
                None => format!("{name}[{i}]"),
            };
        }
    }
    DOCUMENT.to_owned()
}
