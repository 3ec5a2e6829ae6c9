//! Explanation sentences and price-line descriptions in the widget's language.
//!
//! English keeps the rules crate's own sentences (`ExplanationLine::text`), which are the
//! reference wording the server also returns. German is rendered here from the typed
//! [`Reason`]s, with the same numbers, formatted through the browser's `Intl`.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Timelike};
use ratecard_rules::api::{ExplanationLine, Line, LineKind};
use ratecard_rules::{Action, Interval, Money, Problem, Reason};

use crate::format::{self, CurrencyDisplay};
use crate::i18n::Lang;

/// How numbers in a sentence are formatted: the locale, the subscriber's zone and the
/// currency display.
#[derive(Clone, Copy, Debug)]
pub struct Numbers<'a> {
    /// The BCP 47 locale for `Intl`.
    pub locale: &'a str,
    /// The subscriber's IANA time zone.
    pub time_zone: &'a str,
    /// How the currency is named.
    pub display: CurrencyDisplay,
}

impl Numbers<'_> {
    fn money(&self, m: Money) -> String {
        format::money(self.locale, m.amount_minor, m.currency, self.display)
    }

    fn at(&self, t: DateTime<FixedOffset>) -> String {
        format::date_time(self.locale, &t, self.time_zone)
    }

    fn day(&self, d: NaiveDate) -> String {
        let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        format::date(self.locale, &midnight.fixed_offset(), "UTC")
    }

    fn local(&self, t: NaiveDateTime) -> String {
        format::date_time(self.locale, &t.and_utc().fixed_offset(), "UTC")
    }

    fn n(&self, n: u64) -> String {
        format::count(self.locale, n)
    }

    fn credits(&self, n: u64) -> String {
        if n == 1 {
            "1 Credit".to_owned()
        } else {
            format!("{} Credits", self.n(n))
        }
    }

    fn percent(&self, bp: u64) -> String {
        format::percent(self.locale, bp)
    }

    fn unit(&self, n: u64, one: &str, many: &str) -> String {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{} {many}", self.n(n))
        }
    }

    /// A duration in days, hours, minutes and seconds, leaving out zero parts.
    fn duration(&self, seconds: i64) -> String {
        let s = seconds.unsigned_abs();
        let (days, rest) = (s / 86_400, s % 86_400);
        let (hours, rest) = (rest / 3600, rest % 3600);
        let (minutes, secs) = (rest / 60, rest % 60);
        let mut parts = Vec::new();
        if days > 0 {
            parts.push(self.unit(days, "Tag", "Tage"));
        }
        if hours > 0 {
            parts.push(self.unit(hours, "Stunde", "Stunden"));
        }
        if minutes > 0 {
            parts.push(self.unit(minutes, "Minute", "Minuten"));
        }
        if secs > 0 || parts.is_empty() {
            parts.push(self.unit(secs, "Sekunde", "Sekunden"));
        }
        parts.join(" ")
    }

    /// "14 von 28 Tagen" when both are whole days, else both durations in full.
    fn part_of(&self, left: i64, whole: i64) -> String {
        if left % 86_400 == 0 && whole % 86_400 == 0 {
            let whole_days = whole.unsigned_abs() / 86_400;
            let unit = if whole_days == 1 { "Tag" } else { "Tagen" };
            format!(
                "{} von {} {unit}",
                self.n(left.unsigned_abs() / 86_400),
                self.n(whole_days)
            )
        } else {
            format!("{} von {}", self.duration(left), self.duration(whole))
        }
    }
}

/// Upload time as `m:ss`, the FAQ's way of writing it (the same in both languages).
fn clock(seconds: u64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// The sentences of an explanation with their rule ids, in the widget's language.
///
/// English is the rules crate's text. German is rendered from `reasons`, which the rules
/// crate turns into `lines` one to one and in order; should the two ever differ in
/// length, the English lines are shown rather than a mismatched translation.
#[must_use]
pub fn sentences(
    lang: Lang,
    numbers: &Numbers<'_>,
    lines: &[ExplanationLine],
    reasons: &[Reason],
) -> Vec<(String, String)> {
    match lang {
        Lang::De if lines.len() == reasons.len() => reasons
            .iter()
            .map(|r| (r.rule().as_str().to_owned(), reason_de(numbers, r)))
            .collect(),
        _ => reference(lines),
    }
}

/// The rules crate's own sentences with their rule ids: the English text, and the
/// fallback when typed reasons are missing or do not match the lines.
#[must_use]
pub fn reference(lines: &[ExplanationLine]) -> Vec<(String, String)> {
    lines
        .iter()
        .map(|l| (l.rule.clone(), l.text.clone()))
        .collect()
}

/// The description of a price line. `from` and `to` are the names of the current and
/// the new plan.
#[must_use]
pub fn line_description(lang: Lang, line: &Line, from: &str, to: &str) -> String {
    match lang {
        Lang::En => line.description.clone(),
        Lang::De => match line.kind {
            LineKind::Credit => format!("Gutschrift für ungenutzte Zeit im Tarif {from}"),
            // The first full price: from the free plan, to a yearly plan, or after a trial.
            LineKind::Charge
                if matches!(
                    line.rule.as_str(),
                    "R-UPGRADE-3" | "R-INTERVAL-4" | "R-TRIAL-1"
                ) =>
            {
                format!("{to}, erster Zeitraum (voller Preis)")
            }
            LineKind::Charge => format!("Restlaufzeit im Tarif {to}"),
            LineKind::Tax => "Steuer".to_owned(),
        },
    }
}

/// One reason as a German sentence with its numbers.
///
/// The match names every variant, so a new reason in the rules crate does not compile
/// here until it has its German sentence; the test `every_variant_is_rendered_in_german`
/// checks that each reads German.
#[must_use]
#[allow(clippy::too_many_lines)]
pub fn reason_de(f: &Numbers<'_>, reason: &Reason) -> String {
    match reason {
        Reason::MinorUnits { currency, exponent } => format!(
            "Beträge sind ganze kleinste Einheiten von {currency} ({exponent} Nachkommastellen); Bruchteile einer Einheit werden nicht geführt."
        ),
        Reason::LinesSum { total, lines } => format!(
            "Jede der {lines} Zeilen wurde exakt berechnet und einmal kaufmännisch gerundet; die Summe ist ihr Gesamtbetrag: {}.",
            f.money(*total)
        ),
        Reason::Tax {
            rate_bp,
            subtotal,
            tax,
        } => format!(
            "Die Preise verstehen sich ohne Steuer; die Steuer von {} auf die Zwischensumme von {} beträgt {}.",
            f.percent(u64::from(*rate_bp)),
            f.money(*subtotal),
            f.money(*tax)
        ),
        Reason::NoTaxOnCredit { subtotal } => format!(
            "Die Zwischensumme beträgt {}, ist also eine Gutschrift, daher wird keine Steuer berechnet.",
            f.money(*subtotal)
        ),
        Reason::TimeZone { zone } => {
            format!("Daten und Uhrzeiten richten sich nach der Zeitzone des Abonnenten, {zone}.")
        }
        Reason::Anchor { plan, anchor } => format!(
            "{plan} verlängert sich jeden Monat am {}. um {} Uhr Ortszeit, dem Tag und der Uhrzeit des Abschlusses ({}).",
            anchor.day(),
            format_args!("{:02}:{:02}", anchor.hour(), anchor.minute()),
            f.at(*anchor)
        ),
        Reason::MonthEnd {
            renewal,
            anchor_day,
        } => format!(
            "Dieser Monat hat keinen {anchor_day}. Tag, daher fällt die Verlängerung auf seinen letzten Tag, {}; im Folgemonat gilt wieder der {anchor_day}.",
            f.at(*renewal)
        ),
        Reason::DstGap {
            local,
            at,
            gap_seconds,
        } => format!(
            "{} gibt es in dieser Zeitzone nicht (die Uhren überspringen diese Zeit), daher verschiebt sich die Verlängerung um die {} der Lücke auf {}.",
            f.local(*local),
            f.duration(*gap_seconds),
            f.at(*at)
        ),
        Reason::DstFold { local, at } => format!(
            "{} kommt bei der Zeitumstellung zweimal vor; es zählt der frühere Zeitpunkt: {}.",
            f.local(*local),
            f.at(*at)
        ),
        Reason::FreeRenewal { next } => format!(
            "Der kostenlose Tarif wird am 1. jedes Monats um 00:00 Uhr Ortszeit erneuert; die nächste Erneuerung ist am {}.",
            f.at(*next)
        ),
        Reason::CurrentPeriod { start, end } => format!(
            "Der laufende Zeitraum reicht vom {} bis zum {}; die Kontingente beginnen mit jeder Verlängerung neu, und Ungenutztes wird nicht übertragen.",
            f.at(*start),
            f.at(*end)
        ),
        Reason::PriceLock {
            version,
            plan,
            price,
        } => format!(
            "Das Abonnement behält während der ersten Laufzeit die Preise der Katalogversion {version}, die bei Abschluss galt: {plan} kostet {}.",
            f.money(*price)
        ),
        Reason::PriceChange {
            version,
            plan,
            price,
            from,
        } => format!(
            "Die Katalogversion {version} gilt für dieses Abonnement ab der ersten Verlängerung nach ihrem Inkrafttreten, {}: {plan} kostet ab dann {}.",
            f.at(*from),
            f.money(*price)
        ),
        Reason::UpgradeNow {
            from,
            to,
            next_renewal,
        } => format!(
            "Das Upgrade von {from} auf {to} gilt sofort; das Verlängerungsdatum bleibt gleich, die nächste Verlängerung ist am {}.",
            f.at(*next_renewal)
        ),
        Reason::UnusedCredit {
            plan,
            seconds_left,
            seconds_in_period,
            amount,
        } => format!(
            "Vom Zeitraum waren noch {} übrig, daher wird die ungenutzte Zeit im Tarif {plan} gutgeschrieben: {}.",
            f.part_of(*seconds_left, *seconds_in_period),
            f.money(*amount)
        ),
        Reason::RemainingCharge {
            plan,
            seconds_left,
            seconds_in_period,
            amount,
        } => format!(
            "Die verbleibenden {} im Tarif {plan} werden berechnet: {}.",
            f.part_of(*seconds_left, *seconds_in_period),
            f.money(*amount)
        ),
        Reason::FromFree { to, price, anchor } => format!(
            "Der Wechsel aus dem kostenlosen Tarif beginnt jetzt ein neues Abonnement für {to}: Der volle Preis von {} ist fällig, und die Verlängerungen richten sich nach dem neuen Beginn, {}.",
            f.money(*price),
            f.at(*anchor)
        ),
        Reason::UpgradeAllowance {
            plan,
            credits,
            used,
            prorated,
        } => {
            let so_far = used.map_or_else(String::new, |u| format!(" (bisher {})", f.n(u)));
            if *prorated {
                format!(
                    "Das Kontingent für den Rest dieses Zeitraums wird zwischen den Tarifen anteilig berechnet: {}, und bereits in diesem Zeitraum verbrauchte Credits{so_far} werden angerechnet.",
                    f.credits(*credits)
                )
            } else {
                format!(
                    "Das volle Kontingent von {plan}, {}, gilt für diesen Zeitraum, und bereits in diesem Zeitraum verbrauchte Credits{so_far} werden weiterhin angerechnet.",
                    f.credits(*credits)
                )
            }
        }
        Reason::DowngradeAtEnd {
            from,
            to,
            effective_at,
        } => format!(
            "Das Downgrade von {from} auf {to} gilt zum Ende des laufenden Zeitraums, {}; jetzt wird nichts berechnet oder erstattet, und {from} gilt bis dahin weiter.",
            f.at(*effective_at)
        ),
        Reason::DowngradeNow { from, to, credit } => format!(
            "Das Downgrade von {from} auf {to} gilt sofort; die ungenutzte Differenz von {} wird als Guthaben für spätere Belastungen aufbewahrt.",
            f.money(*credit)
        ),
        Reason::CancelNow {
            from,
            lost_credits,
            lost_upload_seconds,
        } => format!(
            "Mit der Kündigung wechselt das Konto sofort in den kostenlosen Tarif; die verbleibenden {} und {} Upload-Zeit von {from} verfallen, und erstattet wird nur, wenn eine Erstattungsregel greift.",
            f.credits(*lost_credits),
            clock(*lost_upload_seconds)
        ),
        Reason::FreeAfterCancel {
            credits,
            upload_seconds,
            until,
        } => format!(
            "Bis {} gilt das volle Kontingent des kostenlosen Tarifs, {} und {} Uploads, wobei nur die Nutzung nach der Kündigung zählt.",
            f.at(*until),
            f.credits(*credits),
            clock(*upload_seconds)
        ),
        Reason::ModelCost { model, credits } => format!(
            "Eine Generierung mit {model} kostet {}.",
            f.credits(u64::from(*credits))
        ),
        Reason::Credits {
            allowance,
            used,
            remaining,
        } => format!(
            "Dieser Zeitraum gewährt {}; {} sind verbraucht, also bleiben {} übrig.",
            f.credits(*allowance),
            f.n(*used),
            f.n(*remaining)
        ),
        Reason::GenerationRefused {
            at,
            model,
            cost,
            remaining,
        } => format!(
            "Die Generierung mit {model} am {} wurde abgelehnt: Sie kostet {}, aber nur {} waren übrig, es fehlen {}.",
            f.at(*at),
            f.credits(*cost),
            f.n(*remaining),
            f.credits(cost.saturating_sub(*remaining))
        ),
        Reason::Uploads {
            plan,
            allowance,
            used,
            remaining,
        } => format!(
            "{plan} gewährt {} Uploads pro Zeitraum; davon sind {} verbraucht, also bleiben {} übrig.",
            clock(*allowance),
            clock(*used),
            clock(*remaining)
        ),
        Reason::UploadCropped { at, seconds, crop } => format!(
            "Der Upload von {} am {} wurde auf das Limit des Tarifs von {} gekürzt; so viel wird vom Kontingent verbraucht.",
            clock(*seconds),
            f.at(*at),
            clock(*crop)
        ),
        Reason::UploadDeleted {
            at,
            counted,
            remaining,
        } => format!(
            "Der Upload am {} wurde als urheberrechtlich geschütztes Material Dritter gemeldet und gelöscht; seine {} werden trotzdem auf das Kontingent angerechnet, es bleiben {}.",
            f.at(*at),
            clock(*counted),
            clock(*remaining)
        ),
        Reason::UploadRefused {
            at,
            seconds,
            remaining,
        } => format!(
            "Der Upload von {} am {} wurde abgelehnt: Es waren nur noch {} Upload-Zeit übrig.",
            clock(*seconds),
            f.at(*at),
            clock(*remaining)
        ),
        Reason::UploadCroppedToRemaining {
            at,
            seconds,
            remaining,
        } => format!(
            "Der Upload von {} am {} wurde auf die verbleibenden {} Upload-Zeit gekürzt.",
            clock(*seconds),
            f.at(*at),
            clock(*remaining)
        ),
        Reason::RefundAccidental => "Der Kauf wurde versehentlich von einem Freund oder Familienmitglied getätigt; das berechtigt zu einer Prüfung der Erstattung.".to_owned(),
        Reason::RefundUnauthorized => "Die Belastung stammt weder vom Karteninhaber noch von jemandem, den er kennt; das berechtigt zu einer Prüfung der Erstattung.".to_owned(),
        Reason::RefundWindow(w) => format!(
            "Der Antrag ging {}{} nach der Belastung ein ({} der erlaubten {} Stunden), und seit der Belastung wurden {} der {} monatlichen Credits verbraucht, {} ({} der Grenze von {}); {}.",
            if w.partial_second { "einen Sekundenbruchteil mehr als " } else { "" },
            f.duration(w.seconds),
            if w.within { "innerhalb" } else { "außerhalb" },
            f.n(u64::from(w.window_hours)),
            f.n(w.credits_used),
            f.n(w.allowance),
            f.percent(w.usage_bp),
            if w.below { "unterhalb" } else { "nicht unterhalb" },
            f.percent(u64::from(w.threshold_bp)),
            if w.within && w.below {
                "beide Bedingungen sind erfüllt"
            } else {
                "beide Bedingungen müssen erfüllt sein, daher greift diese Regel nicht"
            }
        ),
        Reason::RefundDiscretionary { eligible } => {
            if *eligible {
                "Die Belastung kann geprüft werden, ist aber nicht genehmigt: Jede Erstattung liegt im Ermessen des Anbieters, und Anzeichen von Missbrauch können zu einer Ablehnung oder einer anteiligen Erstattung führen.".to_owned()
            } else {
                "Keine Erstattungsregel greift, daher kommt die Belastung nicht für eine Erstattung in Frage; eine Erstattung läge allein im Ermessen des Anbieters.".to_owned()
            }
        }
        Reason::RefundTimeline {
            reply_from,
            reply_by,
            bank_from,
            bank_to,
        } => format!(
            "Rechnen Sie mit einer Antwort zwischen dem {} und dem {} (Werktage sind Montag bis Freitag); nach der Genehmigung ist das Geld innerhalb von {} bis {} Werktagen auf dem Konto.",
            f.day(*reply_from),
            f.day(*reply_by),
            f.n(u64::from(*bank_from)),
            f.n(u64::from(*bank_to))
        ),
        Reason::RefundNonRefundable { catalogue } => format!(
            "Belastungen im Katalog {catalogue} betreffen vorausbezahlte Credits oder nutzungsabhängige Gebühren, die nicht erstattet werden."
        ),
        Reason::RefundBreach => "Das Konto wurde wegen Verstoßes gegen die Bedingungen gekündigt, daher besteht unabhängig von den anderen Regeln kein Anspruch auf Erstattung.".to_owned(),
        Reason::LicenceOfPlan {
            plan,
            licence,
            by_agreement,
        } => {
            if *by_agreement {
                format!("{plan} umfasst die Lizenz {licence}, gewährt nach individueller Vereinbarung.")
            } else {
                format!("{plan} umfasst die Lizenz {licence}.")
            }
        }
        Reason::LicenceUse {
            licence,
            use_,
            allowed,
            commercial,
            mau,
            limit,
        } => {
            let use_ = use_de(use_);
            licence_use_de(licence, &use_, *allowed, *commercial, *mau, *limit, f)
        }
        Reason::LicenceFollowsTrack { plan, current } => match current {

            Some(c) => format!(
                "Ein Track behält die Lizenz des Tarifs, mit dem er erstellt wurde ({plan}), auch jetzt, da das Konto im Tarif {c} ist, solange die Nutzung im Rahmen dieser Lizenz bleibt."
            ),
            None => format!(
                "Ein Track behält die Lizenz des Tarifs, mit dem er erstellt wurde ({plan}), auch nach einer Kündigung oder einem Downgrade, solange die Nutzung im Rahmen dieser Lizenz bleibt."
            ),
        },
        Reason::GrantExpiry {
            id,
            credits,
            expires_at,
            default_months,
        } => match default_months {
            Some(m) => format!(
                "Die Gutschrift {id} über {} verfällt {} nach der Ausgabe, am {}.",
                f.credits(*credits),
                f.unit(u64::from(*m), "Monat", "Monate"),
                f.at(*expires_at)
            ),
            None => format!(
                "Die Gutschrift {id} über {} verfällt laut Gutschrift am {}.",
                f.credits(*credits),
                f.at(*expires_at)
            ),
        },
        Reason::GrantExpired { id, credits, at } => format!(
            "{} der Gutschrift {id} sind am {} ungenutzt verfallen: Eine Gutschrift kann bis zu ihrem Ablaufzeitpunkt verwendet werden, aber nicht mehr zu diesem Zeitpunkt.",
            f.credits(*credits),
            f.at(*at)
        ),
        Reason::CreditsNotMoney => "Credits sind kein Geld: Sie können weder erstattet noch übertragen werden.".to_owned(),
        Reason::Spend { at, credits, from } => {
            let parts: Vec<String> = from
                .iter()
                .map(|(id, n)| format!("{} aus {id}", f.n(*n)))
                .collect();
            format!(
                "Der Verbrauch von {} am {} wurde den Gutschriften entnommen, die zuerst verfallen: {}.",
                f.credits(*credits),
                f.at(*at),
                parts.join(", ")
            )
        }
        Reason::PrepaidBalance { balance, next } => match next {
            Some((n, at)) => format!(
                "Das Guthaben beträgt ohne verfallene Gutschriften {}; als Nächstes verfallen {} am {}.",
                f.credits(*balance),
                f.credits(*n),
                f.at(*at)
            ),
            None => format!(
                "Das Guthaben beträgt ohne verfallene Gutschriften {}; es verfällt nichts.",
                f.credits(*balance)
            ),
        },
        Reason::TopUp {
            at,
            balance,
            threshold,
            amount,
            tax,
        } => format!(
            "Am {} fiel das Guthaben auf {}, unter die Schwelle von {}, daher wurden {} aufgeladen und mit {} Steuer berechnet.",
            f.at(*at),
            f.money(*balance),
            f.money(*threshold),
            f.money(*amount),
            f.money(*tax)
        ),
        Reason::TopUpSummary {
            count,
            charged,
            balance,
        } => format!(
            "Anzahl der Aufladungen: {}, insgesamt berechnet: {}; das Guthaben beträgt am Ende {}.",
            f.n(*count),
            f.money(*charged),
            f.money(*balance)
        ),
        Reason::MinimumAge { adult_on } => match adult_on {
            Some(d) => format!(
                "Nutzer müssen mindestens 18 Jahre alt sein; diese Person wird am {} 18.",
                f.day(*d)
            ),
            None => "Nutzer müssen mindestens 18 Jahre alt sein.".to_owned(),
        },
        Reason::ArbitrationOptOut { by, after_update } => format!(
            "Kunden in den USA und Kanada können innerhalb von 30 Tagen {} dem Schiedsverfahren widersprechen: bis {}.",
            if *after_update {
                "nach Inkrafttreten der geänderten Schiedsklausel"
            } else {
                "nach Eröffnung des Kontos"
            },
            f.at(*by)
        ),
        Reason::LiabilityCap {
            paid,
            floor,
            cap,
            window_start,
            window_end,
            refunded,
        } => {
            let net = match refunded {
                Some(r) => format!(" (nach Abzug von {} Erstattungen)", f.money(*r)),
                None => String::new(),
            };
            if paid.currency == floor.currency {
                format!(
                    "Die Haftung ist auf den höheren Betrag von {} und den vom {} bis zum {} gezahlten {}{net} begrenzt: {}.",
                    f.money(*floor),
                    f.at(*window_start),
                    f.at(*window_end),
                    f.money(*paid),
                    f.money(*cap)
                )
            } else {
                format!(
                    "Die Haftung ist auf den höheren Betrag von {} und den vom {} bis zum {} gezahlten {}{net} begrenzt; Beträge in {} werden nicht umgerechnet, daher ist die angezeigte Grenze der gezahlte Betrag, und die Untergrenze von {} gilt daneben.",
                    f.money(*floor),
                    f.at(*window_start),
                    f.at(*window_end),
                    f.money(*paid),
                    paid.currency,
                    f.money(*floor)
                )
            }
        }
        Reason::Inactivity { after } => format!(
            "Ein Konto, das über ein Jahr inaktiv ist, kann gekündigt werden: nach dem {}.",
            f.at(*after)
        ),
        Reason::DataDeletion { by } => format!(
            "Nach der Kündigung des Kontos werden seine Daten innerhalb von 90 Tagen gelöscht: bis {}.",
            f.at(*by)
        ),
        Reason::InformalResolution { may_start } => format!(
            "Ein Streitfall durchläuft zuerst eine informelle Beilegung; jede Seite kann 60 Tage nach der Benachrichtigung ohne Einigung ein Schiedsverfahren einleiten: ab {}.",
            f.at(*may_start)
        ),
        Reason::CreditApplied { amount } => format!(
            "Das Guthaben aus einem früheren Downgrade deckt {} dieser Belastung.",
            f.money(*amount)
        ),
        Reason::RecordedCharge {
            amount,
            description,
        } => match description {
            Some(d) => format!("Eine im Verlauf erfasste Belastung von {}: {d}", f.money(*amount)),
            None => format!("Eine im Verlauf erfasste Belastung von {}.", f.money(*amount)),
        },
        Reason::RecordedRefund {
            amount,
            description,
        } => match description {
            Some(d) => format!(
                "Eine Erstattung von {} wurde nach Ermessen des Anbieters ausgezahlt; sie mindert den gezahlten Betrag: {d}",
                f.money(*amount)
            ),
            None => format!(
                "Eine Erstattung von {} wurde nach Ermessen des Anbieters ausgezahlt; sie mindert den gezahlten Betrag.",
                f.money(*amount)
            ),
        },
        Reason::Refused {
            action,
            from,
            to,
            problem,
        } => refused_de(*action, from.as_deref(), to.as_deref(), *problem),
        Reason::YearlyRenewal { plan, anchor } => format!(
            "{plan} wird jährlich abgerechnet: Das Abonnement verlängert sich alle 12 Monate zum Stichtag {}, mit denselben Regeln für Monatsenden und Zeitumstellungen wie ein Monatstarif.",
            f.at(*anchor)
        ),
        Reason::MonthlyAllowance { plan, start, end } => format!(
            "Auch im Jahrestarif gelten die Kontingente monatlich: Das Monatskontingent von {plan} gilt für den Kontingentzeitraum vom {} bis zum {}.",
            f.at(*start),
            f.at(*end)
        ),
        Reason::YearlyPrice {
            plan,
            yearly,
            per_month,
            saving_percent,
        } => {
            let saving = match saving_percent {
                Some(p) => format!(
                    "gegenüber zwölf Monatszahlungen spart das {}, abgerundet",
                    f.percent(u64::from(*p) * 100)
                ),
                None => "gegenüber zwölf Monatszahlungen spart das nichts".to_owned(),
            };
            format!(
                "{plan} kostet pro Jahr {}, das sind {} im Monat; {saving}.",
                f.money(*yearly),
                f.money(*per_month)
            )
        }
        Reason::ToYearly {
            from,
            to,
            price,
            anchor,
        } => format!(
            "Der Wechsel von {from} monatlich zu {to} jährlich gilt sofort: Die ungenutzte Monatszeit wird gutgeschrieben, der volle Jahrespreis von {} wird berechnet, und die Verlängerungen beginnen neu ab {}.",
            f.money(*price),
            f.at(*anchor)
        ),
        Reason::YearlyUpgrade {
            from,
            to,
            start,
            end,
        } => format!(
            "Der Wechsel von {from} jährlich zum teureren {to} jährlich ist ein Upgrade über den Jahreszeitraum vom {} bis zum {}, sekundengenau anteilig berechnet; der Stichtag bleibt.",
            f.at(*start),
            f.at(*end)
        ),
        Reason::YearlyChangeAtEnd {
            from,
            to,
            to_interval,
            effective_at,
        } => format!(
            "Ein Wechsel von {from} jährlich zu {to} {} gilt zum Ende des Jahreszeitraums, {}; jetzt wird nichts berechnet oder erstattet.",
            match to_interval {
                Interval::Month => "monatlich",
                Interval::Year => "jährlich",
            },
            f.at(*effective_at)
        ),
        Reason::InitialTerm { periods, interval } => {
            let n = u64::from(*periods);
            let term = match interval {
                Interval::Month => f.unit(n, "Monat", "Monate"),
                Interval::Year => f.unit(n, "Jahr", "Jahre"),
            };
            format!("Die erste Laufzeit mit festen Preisen beträgt {term}.")
        }
        Reason::YearlyCancel { allowance_end } => format!(
            "Bei der Kündigung eines Jahrestarifs verfällt der Rest des laufenden monatlichen Kontingentzeitraums, der bis {} gelaufen wäre.",
            f.at(*allowance_end)
        ),
        Reason::BilledIn { currency } => format!(
            "Das Abonnement wird in {currency} abgerechnet, der Währung, in der es begonnen hat; jeder Wechsel wird in {currency} berechnet."
        ),
        Reason::ShownCurrency {
            currency,
            asked,
            region,
        } => match (asked, region) {
            (true, _) => {
                format!("Die Preise werden in {currency} angezeigt, wie die Seite es verlangt.")
            }
            (false, Some(r)) => format!(
                "Die Preise werden in {currency} angezeigt, der Währung für Besucher aus der Region {r}."
            ),
            (false, None) => format!(
                "Die Preise werden in {currency} angezeigt, der Standardwährung des Katalogs."
            ),
        },
        Reason::TaxIncluded { rate_bp } => format!(
            "Die Preise werden einschließlich {} Steuer angezeigt, jeweils einmal gerundet; alle Berechnungen verwenden weiterhin die Preise ohne Steuer.",
            f.percent(u64::from(*rate_bp))
        ),
        Reason::TrialStarts {
            plan,
            days,
            ends_at,
            first_charge,
        } => format!(
            "{plan} beginnt mit einer kostenlosen Testphase von {}, die am {} zur selben Ortszeit endet; dann werden {} berechnet, und das Abonnement verlängert sich ab diesem Zeitpunkt.",
            f.unit(u64::from(*days), "Tag", "Tagen"),
            f.at(*ends_at),
            f.money(*first_charge)
        ),
        Reason::YearlyFromOrToFree { plan, to_yearly } => {
            if *to_yearly {
                format!(
                    "Der Wechsel aus dem kostenlosen Tarif zu {plan} jährlich beginnt jetzt ein neues Jahresabonnement zum Jahrespreis."
                )
            } else {
                format!(
                    "Der Wechsel von {plan} jährlich in den kostenlosen Tarif ist eine Kündigung und gilt sofort."
                )
            }
        }
        Reason::TrialNotEligible { plan } => format!(
            "Eine Testphase von {plan} gibt es nur für Konten, die noch nie ein kostenpflichtiges Abonnement oder eine Testphase hatten, und dieses Konto hatte eines."
        ),
        Reason::NoTrial {
            plan,
            plan_offers_one,
        } => {
            if *plan_offers_one {
                format!("Daher beginnt {plan} ohne Testphase, und die erste Zahlung ist jetzt fällig.")
            } else {
                format!("{plan} bietet keine Testphase, daher ist die erste Zahlung jetzt fällig.")
            }
        }
        Reason::TrialChange {
            to,
            ends_at,
            then_charged,
        } => format!(
            "Während der Testphase kostet ein Wechsel jetzt nichts, und die Testphase endet weiterhin am {}; dann wird {to} berechnet: {}.",
            f.at(*ends_at),
            f.money(*then_charged)
        ),
        Reason::TrialCancel => "Eine Kündigung während der Testphase kostet nichts; das Konto wechselt sofort in den kostenlosen Tarif.".to_owned(),
        Reason::TrialPeriod { start, end } => format!(
            "Die Testphase vom {} bis zum {} ist ein Kontingentzeitraum; ihr Ende ist die erste Verlängerung und der Stichtag der folgenden Verlängerungen.",
            f.at(*start),
            f.at(*end)
        ),
    }
}

fn refused_de(action: Action, from: Option<&str>, to: Option<&str>, problem: Problem) -> String {
    let from_dat = from.unwrap_or("keinem Tarif");
    let to_dat = to.unwrap_or("einem anderen Tarif");
    let to_acc = to.unwrap_or("einen anderen Tarif");
    let tried = match action {
        Action::Subscribe => format!("Der Abschluss von {to_dat}"),
        Action::Upgrade => format!("Das Upgrade von {from_dat} auf {to_acc}"),
        Action::Downgrade => format!("Das Downgrade von {from_dat} auf {to_acc}"),
        Action::Cancel => "Die Kündigung".to_owned(),
        Action::Upload => "Der Upload".to_owned(),
        Action::Refund => "Der Erstattungsantrag".to_owned(),
    };
    let from_nom = from.unwrap_or("kein Tarif");
    let to_nom = to.unwrap_or("Der neue Tarif");
    let why = match problem {
        Problem::NoSubscription => "Es besteht kein Abonnement".to_owned(),
        Problem::AlreadyPaid => format!(
            "Das Konto hat bereits ein kostenpflichtiges Abonnement ({from_nom}); nutzen Sie ein Upgrade oder Downgrade"
        ),
        Problem::NotDearer => format!("{to_nom} ist nicht teurer als {from_nom}"),
        Problem::NotCheaper => format!("{to_nom} ist nicht günstiger als {from_nom}"),
        Problem::AlreadyFree => "Das Konto ist bereits im kostenlosen Tarif".to_owned(),
        Problem::NoCharge => "Es gibt keine Belastung, die erstattet werden könnte".to_owned(),
    };
    format!("{tried} wurde abgelehnt: {why}.")
}

/// The rules crate's English name of a use, as a German phrase after „für“.
fn use_de(use_: &str) -> String {
    match use_ {
        "music releases on streaming platforms" => {
            "Musikveröffentlichungen auf Streaming-Plattformen"
        }
        "social media" => "soziale Medien",
        "personal podcasts" => "private Podcasts",
        "videos" => "Videos",
        "commercial products" => "kommerzielle Produkte",
        other => other,
    }
    .to_owned()
}

fn licence_use_de(
    licence: &str,
    use_: &str,
    allowed: bool,
    commercial: bool,
    mau: Option<u64>,
    limit: Option<u64>,
    f: &Numbers<'_>,
) -> String {
    match (allowed, commercial, mau, limit) {
        (_, false, _, _) => format!(
            "Die Lizenz {licence} erlaubt keine kommerzielle Nutzung, daher ist die Nutzung für {use_} nicht abgedeckt."
        ),
        (true, true, Some(m), Some(l)) => format!(
            "Die Lizenz {licence} deckt die Nutzung für {use_} mit weniger als {} monatlich aktiven Nutzern ab; {} liegt unter der Grenze.",
            f.n(l),
            f.n(m)
        ),
        (false, true, Some(m), Some(l)) => format!(
            "Die Lizenz {licence} deckt die Nutzung für {use_} nur unter {} monatlich aktiven Nutzern ab; {} liegt nicht darunter.",
            f.n(l),
            f.n(m)
        ),
        (true, true, _, None) => format!("Die Lizenz {licence} deckt die Nutzung für {use_} ab."),
        (true, true, None, Some(_)) => format!(
            "Die Lizenz {licence} deckt die Nutzung für {use_} ab; Aufrufe und Follower in sozialen Medien, Reels und Videos zählen nicht als monatlich aktive Nutzer."
        ),
        (false, true, _, _) => {
            format!("Die Lizenz {licence} deckt die Nutzung für {use_} nicht ab.")
        }
    }
}

#[cfg(test)]
mod tests {
    use ratecard_rules::api;
    use ratecard_rules::{Catalogue, Reason, RefundWindow};

    use super::*;
    use crate::model::checkout::{Change, CheckoutInput, preview};

    const NUMBERS: Numbers<'static> = Numbers {
        locale: "de-DE",
        time_zone: "UTC",
        display: CurrencyDisplay::Symbol,
    };

    fn catalogue() -> Catalogue {
        Catalogue::builtin("stable-audio").expect("built in")
    }

    fn change(from: &str, to: &str) -> Change {
        let input = CheckoutInput {
            current_plan: from.into(),
            current_interval: Interval::Month,
            started_at: "2027-02-01T00:00:00Z".parse().expect("instant"),
            trial_ends_at: None,
            currency: None,
            time_zone: "UTC".into(),
            target_plan: to.into(),
            target_interval: None,
            at: "2027-02-15T00:00:00Z".parse().expect("instant"),
            tax_rate_bp: 2000,
        };
        preview(&catalogue(), &input).expect("a preview")
    }

    /// Every reason renders as its own German sentence, with a rule id, one per line.
    fn assert_german(lines: &[api::ExplanationLine], reasons: &[Reason]) -> Vec<String> {
        assert_eq!(lines.len(), reasons.len(), "one line per reason");
        let out = sentences(Lang::De, &NUMBERS, lines, reasons);
        assert_eq!(out.len(), lines.len());
        for ((rule, text), (line, reason)) in out.iter().zip(lines.iter().zip(reasons)) {
            assert_eq!(rule, &line.rule, "same rule, same order");
            assert!(!text.trim().is_empty(), "{reason:?} renders empty");
            assert_ne!(text, &line.text, "{reason:?} is not translated");
            assert!(text.ends_with('.') || text.contains(": "), "{text}");
        }
        out.into_iter().map(|(_, t)| t).collect()
    }

    fn joined(texts: &[String]) -> String {
        texts.join("\n")
    }

    #[test]
    fn an_upgrade_explains_itself_in_german_with_its_numbers() {
        let c = change("pro", "studio");
        let s = c.summary().expect("a change");
        let de = joined(&assert_german(s.explanation, s.reasons));
        // Pro $11.99 → Studio, 14 of 28 days left: the rules crate's amounts, in minor units.
        assert!(de.contains("14 von 28 Tagen"), "{de}");
        assert!(de.contains("ungenutzte Zeit im Tarif Pro"), "{de}");
        for line in s.lines {
            let amount = format::money(
                NUMBERS.locale,
                line.amount_minor,
                s.due_now.currency,
                NUMBERS.display,
            );
            assert!(de.contains(&amount), "{amount} missing from {de}");
        }
        assert!(de.contains("Die Preise verstehen sich ohne Steuer"), "{de}");
        assert!(de.contains("20 %"), "{de}");
    }

    #[test]
    fn from_free_downgrade_and_cancel_render_every_reason() {
        for (from, to) in [("free", "pro"), ("studio", "pro"), ("pro", "free")] {
            let c = change(from, to);
            let s = c.summary().expect("a change");
            let de = joined(&assert_german(s.explanation, s.reasons));
            assert!(!de.is_empty());
        }
        let c = change("free", "pro");
        let s = c.summary().expect("a change");
        let de = joined(&assert_german(s.explanation, s.reasons));
        assert!(
            de.contains("Der volle Preis von USD 11.99 ist fällig"),
            "{de}"
        );
    }

    #[test]
    fn interval_changes_trials_and_pricing_explain_themselves_in_german() {
        let mut input = CheckoutInput {
            current_plan: "pro".into(),
            current_interval: Interval::Month,
            started_at: "2027-02-01T00:00:00Z".parse().expect("instant"),
            trial_ends_at: None,
            currency: Some(ratecard_rules::Currency::Eur),
            time_zone: "Europe/Berlin".into(),
            target_plan: "studio".into(),
            target_interval: Some(Interval::Year),
            at: "2027-02-15T00:00:00Z".parse().expect("instant"),
            tax_rate_bp: 1900,
        };
        let c = preview(&catalogue(), &input).expect("a preview");
        let s = c.summary().expect("a change");
        let de = joined(&assert_german(s.explanation, s.reasons));
        assert!(de.contains("jährlich"), "{de}");
        let first = s
            .lines
            .iter()
            .find(|l| l.rule == "R-INTERVAL-4" && l.kind == LineKind::Charge)
            .expect("the yearly charge");
        assert_eq!(
            line_description(Lang::De, first, "Pro", "Studio"),
            "Studio, erster Zeitraum (voller Preis)"
        );

        // A yearly subscriber to a monthly plan: at the end of the year.
        input.current_interval = Interval::Year;
        input.target_interval = Some(Interval::Month);
        let c = preview(&catalogue(), &input).expect("a preview");
        let s = c.summary().expect("a change");
        assert_german(s.explanation, s.reasons);

        // During a trial.
        input.current_interval = Interval::Month;
        input.target_interval = None;
        input.started_at = "2027-02-12T00:00:00Z".parse().expect("instant");
        input.trial_ends_at = Some("2027-02-19T00:00:00Z".parse().expect("instant"));
        let c = preview(&catalogue(), &input).expect("a preview");
        let s = c.summary().expect("a change");
        let de = joined(&assert_german(s.explanation, s.reasons));
        assert!(de.contains("Testphase"), "{de}");

        let new = crate::model::checkout::NewSubscription {
            plan: "pro".into(),
            interval: Interval::Year,
            currency: None,
            at: "2027-03-25T09:00:00+01:00".parse().expect("instant"),
            time_zone: "Europe/Berlin".into(),
            tax_rate_bp: 0,
        };
        let t = crate::model::checkout::start(&catalogue(), &new).expect("starts");
        let de = joined(&assert_german(&t.explanation, &t.reasons));
        assert!(de.contains("7 Tagen"), "{de}");

        let p = api::pricing(
            &catalogue(),
            &api::PricingRequest {
                catalogue: None,
                currency: None,
                region: Some("DE".into()),
                tax_inclusive_rate_bp: Some(1900),
            },
        )
        .expect("a table");
        let de = joined(&assert_german(&p.explanation, &p.reasons));
        assert!(de.contains("DE") && de.contains("Steuer"), "{de}");
    }

    #[test]
    fn line_descriptions_follow_the_kind_rule_and_plans() {
        let c = change("pro", "studio");
        let s = c.summary().expect("a change");
        let de: Vec<String> = s
            .lines
            .iter()
            .map(|l| line_description(Lang::De, l, "Pro", "Studio"))
            .collect();
        assert!(
            de.contains(&"Gutschrift für ungenutzte Zeit im Tarif Pro".to_owned()),
            "{de:?}"
        );
        assert!(
            de.contains(&"Restlaufzeit im Tarif Studio".to_owned()),
            "{de:?}"
        );
        assert!(de.contains(&"Steuer".to_owned()), "{de:?}");
        let en: Vec<String> = s
            .lines
            .iter()
            .map(|l| line_description(Lang::En, l, "Pro", "Studio"))
            .collect();
        let wire: Vec<String> = s.lines.iter().map(|l| l.description.clone()).collect();
        assert_eq!(en, wire, "English is the rules crate's wording");
        let c = change("free", "pro");
        let s = c.summary().expect("a change");
        let first = s
            .lines
            .iter()
            .find(|l| l.rule == "R-UPGRADE-3")
            .expect("a first-period line");
        assert_eq!(
            line_description(Lang::De, first, "Free", "Pro"),
            "Pro, erster Zeitraum (voller Preis)"
        );
    }

    #[test]
    fn english_keeps_the_rules_crates_sentences() {
        let c = change("pro", "studio");
        let s = c.summary().expect("a change");
        let en = sentences(Lang::En, &NUMBERS, s.explanation, s.reasons);
        let wire: Vec<(String, String)> = s
            .explanation
            .iter()
            .map(|l| (l.rule.clone(), l.text.clone()))
            .collect();
        assert_eq!(en, wire);
    }

    #[test]
    fn a_quota_with_refusals_renders_in_german() {
        let req: api::QuotaRequest = serde_json::from_str(
            r#"{
            "subscription": {"plan": "free", "started_at": "2027-01-01T00:00:00Z"},
            "at": "2027-03-10T00:00:00Z",
            "generations": [
                {"model": "stable-audio-2.0", "at": "2027-03-02T00:00:00Z"},
                {"model": "stable-audio-2.0", "at": "2027-03-02T01:00:00Z"},
                {"model": "stable-audio-2.0", "at": "2027-03-02T02:00:00Z"},
                {"model": "stable-audio-2.0", "at": "2027-03-02T03:00:00Z"},
                {"model": "stable-audio-2.0", "at": "2027-03-02T04:00:00Z"},
                {"model": "stable-audio-2.0", "at": "2027-03-02T05:00:00Z"},
                {"model": "stable-audio-2.0", "at": "2027-03-02T06:00:00Z"},
                {"model": "stable-audio-2.0", "at": "2027-03-02T07:00:00Z"},
                {"model": "stable-audio-2.0", "at": "2027-03-02T08:00:00Z"},
                {"model": "stable-audio-2.0", "at": "2027-03-02T09:00:00Z"},
                {"model": "stable-audio-2.0", "at": "2027-03-02T10:00:00Z"},
                {"model": "stable-audio-2.0", "at": "2027-03-02T11:00:00Z"},
                {"model": "stable-audio-2.0", "at": "2027-03-02T12:00:00Z"},
                {"model": "stable-audio-2.0", "at": "2027-03-02T13:00:00Z"}
            ],
            "uploads": [{"seconds": 90, "at": "2027-03-02T00:00:00Z"},
                        {"seconds": 30, "at": "2027-03-03T00:00:00Z", "copyright_flagged": true},
                        {"seconds": 90, "at": "2027-03-04T00:00:00Z"},
                        {"seconds": 90, "at": "2027-03-05T00:00:00Z"}]}"#,
        )
        .expect("a quota request");
        let q = api::quota(&catalogue(), &req).expect("a quota");
        let de = joined(&assert_german(&q.explanation, &q.reasons));
        assert!(
            q.reasons.iter().any(|r| matches!(
                r,
                Reason::GenerationRefused { .. } | Reason::UploadRefused { .. }
            )),
            "{:?}",
            q.reasons
        );
        assert!(de.contains("abgelehnt"), "{de}");
        assert!(de.contains("gekürzt"), "{de}");
        assert!(de.contains("1:30"), "{de}");
    }

    #[test]
    fn refunds_licences_prepaid_topups_terms_and_renewals_render_in_german() {
        let refund: api::RefundRequest = serde_json::from_str(
            r#"{
            "subscription": {"plan": "pro", "started_at": "2027-03-01T10:00:00Z"},
            "charge": {"at": "2027-03-01T10:00:00Z", "amount_minor": 1199},
            "request_at": "2027-03-03T10:00:00Z"}"#,
        )
        .expect("a refund request");
        let r = api::refund_eligibility(&catalogue(), &refund).expect("a refund");
        let de = joined(&assert_german(&r.explanation, &r.reasons));
        assert!(de.contains("48 Stunden"), "{de}");
        assert!(de.contains("2 Tage"), "{de}");

        let licence: api::LicenceCheckRequest = serde_json::from_str(
            r#"{"plan": "pro", "use": "commercial-product", "monthly_active_users": 5000}"#,
        )
        .expect("a licence request");
        let l = api::licence_check(&catalogue(), &licence).expect("a licence check");
        let de = joined(&assert_german(&l.explanation, &l.reasons));
        assert!(de.contains("Lizenz"), "{de}");
        assert!(de.contains("5000"), "{de}");

        let prepaid: api::PrepaidRequest = serde_json::from_str(
            r#"{
            "grants": [{"id": "a", "credits": 100, "granted_at": "2027-01-10T00:00:00Z"}],
            "spends": [{"credits": 30, "at": "2027-02-01T00:00:00Z"}],
            "at": "2027-06-01T00:00:00Z"}"#,
        )
        .expect("a prepaid request");
        let p = api::prepaid_balance(&prepaid).expect("a balance");
        let de = joined(&assert_german(&p.explanation, &p.reasons));
        assert!(de.contains("70 Credits"), "{de}");

        let topup: api::TopUpRequest = serde_json::from_str(
            r#"{"balance_minor": 1000, "threshold_minor": 500, "topup_minor": 2000,
                "tax_rate_bp": 2000,
                "usage": [{"at": "2027-01-01T00:00:00Z", "amount_minor": 600}]}"#,
        )
        .expect("a top-up request");
        let t = api::topup_simulation(&topup).expect("a simulation");
        let de = joined(&assert_german(&t.explanation, &t.reasons));
        assert!(de.contains("Anzahl der Aufladungen: 1"), "{de}");

        let terms: api::TermsRequest =
            serde_json::from_str(r#"{"account_created_at": "2027-01-01T00:00:00Z"}"#)
                .expect("a terms request");
        let t = api::terms_dates(&terms).expect("terms");
        assert_german(&t.explanation, &t.reasons);

        let renewals: api::RenewalsRequest = serde_json::from_str(
            r#"{"subscription": {"plan": "pro", "started_at": "2028-01-31T09:00:00Z"}, "count": 2}"#,
        )
        .expect("a renewals request");
        let r = api::renewals(&catalogue(), &renewals).expect("renewals");
        let de = joined(&assert_german(&r.explanation, &r.reasons));
        assert!(de.contains("31."), "{de}");
    }

    /// One value of every variant the renderer knows; the wildcard arm that
    /// `#[non_exhaustive]` forces must serve none of them.
    #[allow(clippy::too_many_lines)]
    fn every_variant() -> Vec<Reason> {
        use ratecard_rules::{Action, Currency, Money, Problem};
        let usd = |minor| Money::new(minor, Currency::Usd);
        let t: DateTime<FixedOffset> = "2027-03-31T09:00:00+02:00".parse().expect("instant");
        let d = NaiveDate::from_ymd_opt(2027, 4, 5).expect("date");
        let local = d.and_hms_opt(2, 30, 0).expect("time");
        vec![
            Reason::MinorUnits {
                currency: "USD".into(),
                exponent: 2,
            },
            Reason::LinesSum {
                total: usd(1080),
                lines: 3,
            },
            Reason::Tax {
                rate_bp: 1950,
                subtotal: usd(900),
                tax: usd(176),
            },
            Reason::NoTaxOnCredit {
                subtotal: usd(-300),
            },
            Reason::TimeZone {
                zone: "Europe/Berlin".into(),
            },
            Reason::Anchor {
                plan: "Pro".into(),
                anchor: t,
            },
            Reason::MonthEnd {
                renewal: t,
                anchor_day: 31,
            },
            Reason::DstGap {
                local,
                at: t,
                gap_seconds: 3600,
            },
            Reason::DstFold { local, at: t },
            Reason::FreeRenewal { next: t },
            Reason::CurrentPeriod { start: t, end: t },
            Reason::PriceLock {
                version: "2026-01".into(),
                plan: "Pro".into(),
                price: usd(1199),
            },
            Reason::PriceChange {
                version: "2027-01".into(),
                plan: "Pro".into(),
                price: usd(1299),
                from: t,
            },
            Reason::UpgradeNow {
                from: "Pro".into(),
                to: "Studio".into(),
                next_renewal: t,
            },
            Reason::UnusedCredit {
                plan: "Pro".into(),
                seconds_left: 1_209_600,
                seconds_in_period: 2_419_200,
                amount: usd(-600),
            },
            Reason::RemainingCharge {
                plan: "Studio".into(),
                seconds_left: 90_061,
                seconds_in_period: 2_419_200,
                amount: usd(1500),
            },
            Reason::FromFree {
                to: "Pro".into(),
                price: usd(1199),
                anchor: t,
            },
            Reason::UpgradeAllowance {
                plan: "Studio".into(),
                credits: 1350,
                used: Some(2),
                prorated: true,
            },
            Reason::UpgradeAllowance {
                plan: "Studio".into(),
                credits: 1350,
                used: None,
                prorated: false,
            },
            Reason::DowngradeAtEnd {
                from: "Studio".into(),
                to: "Pro".into(),
                effective_at: t,
            },
            Reason::DowngradeNow {
                from: "Studio".into(),
                to: "Pro".into(),
                credit: usd(-700),
            },
            Reason::CancelNow {
                from: "Pro".into(),
                lost_credits: 480,
                lost_upload_seconds: 1770,
            },
            Reason::FreeAfterCancel {
                credits: 20,
                upload_seconds: 120,
                until: t,
            },
            Reason::ModelCost {
                model: "Stable Audio 2.0".into(),
                credits: 2,
            },
            Reason::Credits {
                allowance: 500,
                used: 37,
                remaining: 463,
            },
            Reason::GenerationRefused {
                at: t,
                model: "Stable Audio 2.0".into(),
                cost: 2,
                remaining: 1,
            },
            Reason::Uploads {
                plan: "Pro".into(),
                allowance: 1800,
                used: 95,
                remaining: 1705,
            },
            Reason::UploadCropped {
                at: t,
                seconds: 400,
                crop: 180,
            },
            Reason::UploadDeleted {
                at: t,
                counted: 45,
                remaining: 75,
            },
            Reason::UploadRefused {
                at: t,
                seconds: 95,
                remaining: 25,
            },
            Reason::UploadCroppedToRemaining {
                at: t,
                seconds: 95,
                remaining: 25,
            },
            Reason::RefundAccidental,
            Reason::RefundUnauthorized,
            Reason::RefundWindow(RefundWindow {
                seconds: 172_801,
                partial_second: true,
                window_hours: 48,
                credits_used: 11,
                allowance: 500,
                usage_bp: 220,
                threshold_bp: 200,
                within: false,
                below: false,
            }),
            Reason::RefundDiscretionary { eligible: true },
            Reason::RefundDiscretionary { eligible: false },
            Reason::RefundTimeline {
                reply_from: d,
                reply_by: d,
                bank_from: 5,
                bank_to: 10,
            },
            Reason::RefundNonRefundable {
                catalogue: "payg".into(),
            },
            Reason::RefundBreach,
            Reason::LicenceOfPlan {
                plan: "Max".into(),
                licence: "Enterprise".into(),
                by_agreement: true,
            },
            Reason::LicenceUse {
                licence: "Creator".into(),
                use_: "videos".into(),
                allowed: false,
                commercial: true,
                mau: Some(150_000),
                limit: Some(100_000),
            },
            Reason::LicenceUse {
                licence: "Personal".into(),
                use_: "social media".into(),
                allowed: false,
                commercial: false,
                mau: None,
                limit: None,
            },
            Reason::LicenceFollowsTrack {
                plan: "Pro".into(),
                current: Some("Free".into()),
            },
            Reason::GrantExpiry {
                id: "promo".into(),
                credits: 250,
                expires_at: t,
                default_months: Some(12),
            },
            Reason::GrantExpiry {
                id: "promo".into(),
                credits: 1,
                expires_at: t,
                default_months: None,
            },
            Reason::GrantExpired {
                id: "promo".into(),
                credits: 40,
                at: t,
            },
            Reason::CreditsNotMoney,
            Reason::Spend {
                at: t,
                credits: 60,
                from: vec![("a".into(), 40), ("b".into(), 20)],
            },
            Reason::PrepaidBalance {
                balance: 190,
                next: Some((40, t)),
            },
            Reason::PrepaidBalance {
                balance: 0,
                next: None,
            },
            Reason::TopUp {
                at: t,
                balance: usd(400),
                threshold: usd(500),
                amount: usd(2000),
                tax: usd(400),
            },
            Reason::TopUpSummary {
                count: 3,
                charged: usd(7200),
                balance: usd(2400),
            },
            Reason::MinimumAge { adult_on: Some(d) },
            Reason::MinimumAge { adult_on: None },
            Reason::ArbitrationOptOut {
                by: t,
                after_update: true,
            },
            Reason::LiabilityCap {
                paid: usd(3597),
                floor: usd(10_000),
                cap: usd(10_000),
                window_start: t,
                window_end: t,
                refunded: None,
            },
            Reason::LiabilityCap {
                paid: usd(2698),
                floor: usd(10_000),
                cap: usd(10_000),
                window_start: t,
                window_end: t,
                refunded: Some(usd(899)),
            },
            Reason::LiabilityCap {
                paid: Money::new(3597, Currency::Eur),
                floor: usd(10_000),
                cap: Money::new(3597, Currency::Eur),
                window_start: t,
                window_end: t,
                refunded: None,
            },
            Reason::Inactivity { after: t },
            Reason::DataDeletion { by: t },
            Reason::InformalResolution { may_start: t },
            Reason::CreditApplied { amount: usd(700) },
            Reason::RecordedCharge {
                amount: usd(1999),
                description: Some("Top-up".into()),
            },
            Reason::RecordedCharge {
                amount: usd(1999),
                description: None,
            },
            Reason::RecordedRefund {
                amount: usd(900),
                description: Some("Doppelt belastet".into()),
            },
            Reason::RecordedRefund {
                amount: usd(900),
                description: None,
            },
            Reason::Refused {
                action: Action::Upgrade,
                from: Some("Studio".into()),
                to: Some("Pro".into()),
                problem: Problem::NotDearer,
            },
            Reason::Refused {
                action: Action::Subscribe,
                from: None,
                to: None,
                problem: Problem::AlreadyPaid,
            },
            Reason::Refused {
                action: Action::Refund,
                from: None,
                to: None,
                problem: Problem::NoCharge,
            },
            Reason::YearlyRenewal {
                plan: "Pro".into(),
                anchor: t,
            },
            Reason::MonthlyAllowance {
                plan: "Pro".into(),
                start: t,
                end: t,
            },
            Reason::YearlyPrice {
                plan: "Pro".into(),
                yearly: usd(11_990),
                per_month: usd(999),
                saving_percent: Some(16),
            },
            Reason::YearlyPrice {
                plan: "Pro".into(),
                yearly: usd(14_388),
                per_month: usd(1199),
                saving_percent: None,
            },
            Reason::ToYearly {
                from: "Pro".into(),
                to: "Studio".into(),
                price: usd(29_990),
                anchor: t,
            },
            Reason::YearlyUpgrade {
                from: "Pro".into(),
                to: "Max".into(),
                start: t,
                end: t,
            },
            Reason::YearlyChangeAtEnd {
                from: "Studio".into(),
                to: "Pro".into(),
                to_interval: Interval::Month,
                effective_at: t,
            },
            Reason::InitialTerm {
                periods: 1,
                interval: Interval::Year,
            },
            Reason::InitialTerm {
                periods: 3,
                interval: Interval::Month,
            },
            Reason::YearlyCancel { allowance_end: t },
            Reason::BilledIn {
                currency: Currency::Eur,
            },
            Reason::ShownCurrency {
                currency: Currency::Eur,
                asked: true,
                region: None,
            },
            Reason::ShownCurrency {
                currency: Currency::Eur,
                asked: false,
                region: Some("DE".into()),
            },
            Reason::ShownCurrency {
                currency: Currency::Usd,
                asked: false,
                region: None,
            },
            Reason::TaxIncluded { rate_bp: 1900 },
            Reason::TrialStarts {
                plan: "Pro".into(),
                days: 7,
                ends_at: t,
                first_charge: usd(1199),
            },
            Reason::NoTrial {
                plan: "Pro".into(),
                plan_offers_one: true,
            },
            Reason::NoTrial {
                plan: "Studio".into(),
                plan_offers_one: false,
            },
            Reason::TrialChange {
                to: "Studio".into(),
                ends_at: t,
                then_charged: usd(2999),
            },
            Reason::TrialCancel,
            Reason::TrialPeriod { start: t, end: t },
            Reason::YearlyFromOrToFree {
                plan: "Pro".into(),
                to_yearly: true,
            },
            Reason::YearlyFromOrToFree {
                plan: "Pro".into(),
                to_yearly: false,
            },
            Reason::TrialNotEligible { plan: "Pro".into() },
        ]
    }

    #[test]
    fn every_variant_is_rendered_in_german() {
        for reason in every_variant() {
            let de = reason_de(&NUMBERS, &reason);
            assert!(!de.trim().is_empty(), "{reason:?}");
            assert_ne!(de, reason.text(), "{reason:?} falls through to English");
            for english in [" the ", " was ", " is ", " and "] {
                assert!(!de.contains(english), "{reason:?} reads {de}");
            }
        }
    }

    #[test]
    fn german_sentences_carry_the_rule_numbers() {
        let all = every_variant();
        let de = |pick: fn(&Reason) -> bool| {
            let reason = all.iter().find(|r| pick(r)).expect("a sample");
            reason_de(&NUMBERS, reason)
        };
        let tax = de(|r| matches!(r, Reason::Tax { .. }));
        assert!(tax.contains("19.5") && tax.contains("USD 1.76"), "{tax}");
        let charge = de(|r| matches!(r, Reason::RemainingCharge { .. }));
        assert!(
            charge.contains("1 Tag 1 Stunde 1 Minute 1 Sekunde"),
            "{charge}"
        );
        let cancel = de(|r| matches!(r, Reason::CancelNow { .. }));
        assert!(
            cancel.contains("480 Credits") && cancel.contains("29:30"),
            "{cancel}"
        );
        let window = de(|r| matches!(r, Reason::RefundWindow(_)));
        assert!(
            window.contains("einen Sekundenbruchteil mehr als 2 Tage 1 Sekunde"),
            "{window}"
        );
        assert!(
            window.contains("außerhalb") && window.contains("2.2"),
            "{window}"
        );
        let licence = de(|r| {
            matches!(
                r,
                Reason::LicenceUse {
                    commercial: true,
                    ..
                }
            )
        });
        assert!(
            licence.contains("150000") && licence.contains("100000"),
            "{licence}"
        );
        let spend = de(|r| matches!(r, Reason::Spend { .. }));
        assert!(spend.contains("40 aus a, 20 aus b"), "{spend}");
        let yearly = de(|r| {
            matches!(
                r,
                Reason::YearlyPrice {
                    saving_percent: Some(_),
                    ..
                }
            )
        });
        assert!(
            yearly.contains("USD 119.90") && yearly.contains("USD 9.99") && yearly.contains("16"),
            "{yearly}"
        );
        let trial = de(|r| matches!(r, Reason::TrialStarts { .. }));
        assert!(
            trial.contains("7 Tagen") && trial.contains("USD 11.99"),
            "{trial}"
        );
    }
}
