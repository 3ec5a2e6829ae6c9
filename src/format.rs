//! Formatting of amounts, counts and durations with the browser's `Intl`.
//!
//! The widget never formats a number by hand: [`minor_to_decimal`] only turns integer
//! minor units into an exact decimal string, and `Intl.NumberFormat` (which accepts such
//! strings exactly) renders it for the locale. Outside a browser, where there is no
//! `Intl`, the functions fall back to the plain decimal so that native tests of the view
//! models can still run.

use chrono::{DateTime, FixedOffset};
use ratecard_rules::Currency;

/// How a currency is named in amounts, as `Intl.NumberFormat`'s `currencyDisplay`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CurrencyDisplay {
    /// `$11.99`.
    #[default]
    Symbol,
    /// `US$11.99` where the symbol is ambiguous.
    NarrowSymbol,
    /// `USD 11.99`.
    Code,
    /// `11.99 US dollars`.
    Name,
}

impl CurrencyDisplay {
    fn as_intl(self) -> &'static str {
        match self {
            CurrencyDisplay::Symbol => "symbol",
            CurrencyDisplay::NarrowSymbol => "narrowSymbol",
            CurrencyDisplay::Code => "code",
            CurrencyDisplay::Name => "name",
        }
    }
}

/// The exact decimal text of an amount in minor units, such as `-6.00` or `1.250`.
///
/// # Example
///
/// ```
/// use ratecard::format::minor_to_decimal;
/// use ratecard_rules::Currency;
/// assert_eq!(minor_to_decimal(1199, Currency::Usd), "11.99");
/// assert_eq!(minor_to_decimal(-600, Currency::Usd), "-6.00");
/// assert_eq!(minor_to_decimal(1250, Currency::Bhd), "1.250");
/// assert_eq!(minor_to_decimal(500, Currency::Jpy), "500");
/// ```
#[must_use]
pub fn minor_to_decimal(amount_minor: i64, currency: Currency) -> String {
    let exponent = currency.exponent() as usize;
    let sign = if amount_minor < 0 { "-" } else { "" };
    let digits = amount_minor.unsigned_abs().to_string();
    if exponent == 0 {
        return format!("{sign}{digits}");
    }
    let padded = format!("{digits:0>width$}", width = exponent + 1);
    let (whole, fraction) = padded.split_at(padded.len() - exponent);
    format!("{sign}{whole}.{fraction}")
}

/// An amount formatted for the locale, such as `$11.99` or `11,99 $`.
#[must_use]
pub fn money(
    locale: &str,
    amount_minor: i64,
    currency: Currency,
    display: CurrencyDisplay,
) -> String {
    let decimal = minor_to_decimal(amount_minor, currency);
    intl::number(
        locale,
        &decimal,
        &[
            ("style", "currency"),
            ("currency", currency.code()),
            ("currencyDisplay", display.as_intl()),
        ],
    )
    .unwrap_or_else(|| format!("{} {decimal}", currency.code()))
}

/// Basis points as a percentage for the locale, such as `2%` or `20,5 %`.
#[must_use]
pub fn percent(locale: &str, basis_points: u64) -> String {
    let decimal = format!("{}.{:04}", basis_points / 10_000, basis_points % 10_000);
    intl::number(
        locale,
        &decimal,
        &[("style", "percent"), ("maximumFractionDigits", "2")],
    )
    .unwrap_or_else(|| {
        let (whole, frac) = (basis_points / 100, basis_points % 100);
        if frac == 0 {
            format!("{whole} %")
        } else {
            format!("{whole}.{frac:02} %")
        }
    })
}

/// A whole number formatted for the locale, such as `1,350` or `1.350`.
#[must_use]
pub fn count(locale: &str, n: u64) -> String {
    let digits = n.to_string();
    intl::number(locale, &digits, &[]).unwrap_or(digits)
}

/// A duration in seconds as whole minutes when it is one, else seconds: `2 min`, `30 sec`.
#[must_use]
pub fn duration(locale: &str, seconds: u32) -> String {
    let (value, unit, fallback) = if seconds >= 60 && seconds.is_multiple_of(60) {
        ((seconds / 60).to_string(), "minute", "min")
    } else {
        (seconds.to_string(), "second", "s")
    };
    intl::number(
        locale,
        &value,
        &[("style", "unit"), ("unit", unit), ("unitDisplay", "short")],
    )
    .unwrap_or_else(|| format!("{value} {fallback}"))
}

/// An instant formatted for the locale in the customer's time zone, such as
/// `Mar 1, 2027, 9:00 AM`.
#[must_use]
pub fn date_time(locale: &str, instant: &DateTime<FixedOffset>, time_zone: &str) -> String {
    let rfc3339 = instant.to_rfc3339();
    intl::date(
        locale,
        &rfc3339,
        &[
            ("dateStyle", "medium"),
            ("timeStyle", "short"),
            ("timeZone", time_zone),
        ],
    )
    .unwrap_or(rfc3339)
}

/// A calendar date formatted for the locale, such as `Mar 1, 2027`.
#[must_use]
pub fn date(locale: &str, instant: &DateTime<FixedOffset>, time_zone: &str) -> String {
    let rfc3339 = instant.to_rfc3339();
    intl::date(
        locale,
        &rfc3339,
        &[("dateStyle", "medium"), ("timeZone", time_zone)],
    )
    .unwrap_or(rfc3339)
}

/// A day and month formatted for the locale in the customer's time zone, such as
/// `Feb 28` or `28. Feb.`, for a button that has little room.
#[must_use]
pub fn day_month(locale: &str, instant: &DateTime<FixedOffset>, time_zone: &str) -> String {
    let rfc3339 = instant.to_rfc3339();
    intl::date(
        locale,
        &rfc3339,
        &[
            ("day", "numeric"),
            ("month", "short"),
            ("timeZone", time_zone),
        ],
    )
    .unwrap_or_else(|| rfc3339.chars().take(10).collect())
}

#[cfg(target_arch = "wasm32")]
mod intl {
    use js_sys::{Array, Function, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;

    /// Formats a decimal string with `Intl.NumberFormat`; `None` if the browser refuses.
    pub fn number(locale: &str, decimal: &str, options: &[(&str, &str)]) -> Option<String> {
        let opts = Object::new();
        for (key, value) in options {
            Reflect::set(&opts, &JsValue::from_str(key), &JsValue::from_str(value)).ok()?;
        }
        let locales = Array::of1(&JsValue::from_str(locale));
        let formatter = Intl::NumberFormat::new(&locales, &opts);
        let format: Function = formatter.format();
        format
            .call1(&JsValue::UNDEFINED, &JsValue::from_str(decimal))
            .ok()?
            .as_string()
    }

    /// Formats an RFC 3339 instant with `Intl.DateTimeFormat`; `None` if the browser
    /// refuses (an unknown time zone, say).
    pub fn date(locale: &str, rfc3339: &str, options: &[(&str, &str)]) -> Option<String> {
        let opts = Object::new();
        for (key, value) in options {
            Reflect::set(&opts, &JsValue::from_str(key), &JsValue::from_str(value)).ok()?;
        }
        let locales = Array::of1(&JsValue::from_str(locale));
        let formatter = Intl::DateTimeFormat::new(&locales, &opts);
        let format: Function = formatter.format();
        let date = js_sys::Date::new(&JsValue::from_str(rfc3339));
        format.call1(&JsValue::UNDEFINED, &date).ok()?.as_string()
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod intl {
    /// There is no `Intl` outside a browser; callers fall back to the plain decimal.
    pub fn number(_locale: &str, _decimal: &str, _options: &[(&str, &str)]) -> Option<String> {
        None
    }

    /// There is no `Intl` outside a browser; callers fall back to RFC 3339.
    pub fn date(_locale: &str, _rfc3339: &str, _options: &[(&str, &str)]) -> Option<String> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minor_units_become_exact_decimals_for_every_exponent() {
        assert_eq!(minor_to_decimal(0, Currency::Usd), "0.00");
        assert_eq!(minor_to_decimal(5, Currency::Usd), "0.05");
        assert_eq!(minor_to_decimal(-5, Currency::Kwd), "-0.005");
        assert_eq!(minor_to_decimal(8999, Currency::Usd), "89.99");
        assert_eq!(minor_to_decimal(-1200, Currency::Krw), "-1200");
        assert_eq!(
            minor_to_decimal(i64::MIN, Currency::Usd),
            "-92233720368547758.08"
        );
    }
}
