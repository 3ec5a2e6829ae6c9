//! The support view: an agent pastes or edits an account history and reads back the
//! timeline, quotas, refund position, licence, prepaid credits and key terms dates.
//!
//! The input half (the history, its buttons and the licence form) is rendered once; only
//! the result half reads the signals, so typing never re-creates the text area.

use leptos::html;
use leptos::prelude::*;
use ratecard_rules::Catalogue;

use crate::i18n::explain::{Numbers, sentences};
use crate::i18n::{self, Msg, text};
use crate::model::account::AccessToken;
use crate::model::attrs::WidgetConfig;
use crate::model::support::{
    Formatting, LICENCE_USES, Quantity, Report, SAMPLE_HISTORY, SupportError, check_licence,
    entry_sentences, explain_history, kind_label, kind_name, meters, plain_text, plan_name,
    quantity, quantity_text, refund_sentences, summary_sentences, use_from_name, use_label,
    zone_to_fetch,
};
use crate::views::checkout::explanation_view;
use crate::views::error_box::ErrorBox;

/// What became of the last "Copy explanation".
#[derive(Clone, Debug, PartialEq, Eq)]
enum CopyState {
    Idle,
    Copied,
    /// The clipboard refused; the text is shown selected instead.
    Failed(String),
}

type Computed = Option<Result<Report, SupportError>>;

/// The support console for one configuration.
#[component]
pub fn SupportView(
    /// The catalogue a history without its own `catalogue` field is replayed with.
    catalogue: Catalogue,
    /// The parsed attributes.
    config: WidgetConfig,
    /// The origin that served `ratecard.js`, where stored accounts are read.
    #[prop(optional)]
    api_base: String,
    /// The support key for stored accounts.
    #[prop(optional)]
    access_token: Option<RwSignal<AccessToken>>,
    /// Called with the id of an account opened from the search.
    #[prop(optional)]
    on_account_opened: Option<Callback<String>>,
) -> impl IntoView {
    let lang = config.locale.lang();
    // An `account` attribute opens that account; the pasted history is then folded away.
    let paste_open = config.account.is_none();
    #[cfg(feature = "support")]
    let accounts = {
        use crate::views::account::AccountConsole;
        let access_token = access_token.unwrap_or_else(|| RwSignal::new(AccessToken::default()));
        let on_opened = on_account_opened.unwrap_or_else(|| Callback::new(|_: String| {}));
        view! {
            <AccountConsole
                config=config.clone()
                api_base=api_base
                access_token=access_token
                on_opened=on_opened
            />
        }
    };
    // Without the support bundle's account code there is no search: only the paste.
    #[cfg(not(feature = "support"))]
    let accounts: Option<()> = {
        let _ = (api_base, access_token, on_account_opened);
        None
    };
    let locale = config.locale.tag().to_owned();
    let display = config.currency_display;
    let history = RwSignal::new(String::new());
    let copy = RwSignal::new(CopyState::Idle);
    let licence_plan = RwSignal::new(String::new());
    let licence_use = RwSignal::new(LICENCE_USES[0].1.to_owned());
    let mau = RwSignal::new(String::new());

    // A pasted history may be in any zone. The Wasm fetches that zone's data the first
    // time (see `crate::fetch::ensure_zone`), and the report waits for it.
    let zones_loaded = RwSignal::new(0u32);
    let zone_failure = RwSignal::new(None::<String>);
    let pending_zone = Memo::new(move |_| {
        zones_loaded.track();
        history.with(|t| zone_to_fetch(t))
    });
    #[cfg(any(feature = "plan-change", feature = "support"))]
    Effect::new(move |_| {
        if let Some(zone) = pending_zone.get() {
            leptos::task::spawn_local(async move {
                match crate::fetch::ensure_zone(&zone).await {
                    Ok(()) => {
                        let _ = zones_loaded.try_update(|n| *n += 1);
                    }
                    Err(detail) => {
                        let reason = i18n::zone_load_error(lang, &zone, &detail);
                        let _ = zone_failure.try_set(Some(reason));
                    }
                }
            });
        }
    });
    let replay_catalogue = catalogue.clone();
    let report: Memo<Computed> = Memo::new(move |_| {
        let waiting = pending_zone.get().is_some();
        history.with(|t| {
            (!t.trim().is_empty()).then(|| {
                if waiting {
                    return Err(SupportError::ZoneData(zone_failure.get()));
                }
                explain_history(&replay_catalogue, t)
            })
        })
    });
    let formatting = {
        let locale = locale.clone();
        move |r: &Report| Formatting {
            locale: locale.clone(),
            lang,
            time_zone: r.request.time_zone.clone(),
            currency: r.response.currency,
            display,
        }
    };

    let on_input = move |ev: leptos::ev::Event| {
        zone_failure.set(None);
        history.set(event_target_value(&ev));
        copy.set(CopyState::Idle);
    };
    let load_sample = move |_| {
        history.set(SAMPLE_HISTORY.to_owned());
        copy.set(CopyState::Idle);
    };
    let fallback: NodeRef<html::Textarea> = NodeRef::new();
    let copy_formatting = formatting.clone();
    let on_copy = move |_| {
        let Some(summary) = report.with_untracked(|r| match r {
            Some(Ok(r)) => Some(plain_text(&copy_formatting(r), r)),
            _ => None,
        }) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let outcome = write_clipboard(&summary).await;
            copy.set(if outcome {
                CopyState::Copied
            } else {
                CopyState::Failed(summary)
            });
            if !outcome {
                request_animation_frame(move || {
                    if let Some(area) = fallback.get_untracked() {
                        let _ = area.focus();
                        area.select();
                    }
                });
            }
        });
    };
    let no_report = move || report.with(|r| !matches!(r, Some(Ok(_))));

    let copy_status = move || {
        match copy.get() {
        CopyState::Idle => ().into_any(),
        CopyState::Copied => view! {
            <p class="rc-hint" data-testid="copy-status" data-state="copied">{text(lang, Msg::Copied)}</p>
        }
        .into_any(),
        CopyState::Failed(summary) => view! {
            <p class="rc-hint" data-testid="copy-status" data-state="failed">{text(lang, Msg::CopyFailed)}</p>
            <label class="rc-support__field">
                <span>{text(lang, Msg::CopyFallbackLabel)}</span>
                <textarea
                    class="rc-support__textarea"
                    readonly
                    rows="8"
                    data-testid="copy-fallback"
                    node_ref=fallback
                    prop:value=summary
                ></textarea>
            </label>
        }
        .into_any(),
    }
    };

    let result_formatting = formatting.clone();
    let result = move || {
        report.with(|r| match r {
            None => view! {
                <p class="rc-hint" data-testid="support-hint">{text(lang, Msg::HistoryEmpty)}</p>
            }
            .into_any(),
            Some(Err(SupportError::ZoneData(None))) => view! {
                <p class="rc-loading" role="status" data-testid="loading">{text(lang, Msg::Loading)}</p>
            }
            .into_any(),
            Some(Err(e)) => view! {
                <ErrorBox lang=lang heading=Msg::CalculationErrorHeading detail=e.message(lang) />
            }
            .into_any(),
            Some(Ok(r)) => report_view(&result_formatting(r), r),
        })
    };

    let licence_result = {
        let catalogue = catalogue.clone();
        let locale_for_licence = locale.clone();
        let zone_for_licence = config.time_zone.clone();
        move || {
            let chosen = licence_plan.get();
            let plan = if chosen.is_empty() {
                report.with(|r| match r {
                    Some(Ok(r)) => r.response.state.plan.clone(),
                    _ => None,
                })
            } else {
                Some(chosen)
            };
            let Some(plan) = plan else {
                return view! {
                    <p class="rc-hint" data-testid="licence-hint">{text(lang, Msg::NoSubscription)}</p>
                }
                .into_any();
            };
            let Some(use_) = licence_use.with(|u| use_from_name(u)) else {
                return ().into_any();
            };
            match mau.with(|m| check_licence(&catalogue, lang, &plan, use_, m)) {
                Err(detail) => view! {
                    <p class="rc-error__detail rc-inline-error" role="alert" data-testid="licence-error">
                        {detail}
                    </p>
                }
                .into_any(),
                Ok(answer) => {
                    let verdict = if answer.allowed {
                        text(lang, Msg::LicenceAllowed)
                    } else {
                        text(lang, Msg::LicenceNotAllowed)
                    };
                    view! {
                        <p
                            class="rc-verdict"
                            data-testid="licence-result"
                            data-allowed=answer.allowed.to_string()
                            data-licence=answer.licence.clone()
                        >
                            <strong>{verdict}</strong>
                            " · "
                            {plan_name(&catalogue, &plan)}
                            " · "
                            {answer.licence_name.clone()}
                        </p>
                        {explanation_view(sentences(
                            lang,
                            &Numbers { locale: &locale_for_licence, time_zone: &zone_for_licence, display },
                            &answer.explanation,
                            &answer.reasons,
                        ))}
                    }
                    .into_any()
                }
            }
        }
    };

    let plan_options = catalogue
        .plans()
        .iter()
        .map(|p| view! { <option value=p.id.clone()>{p.name.clone()}</option> })
        .collect_view();
    let use_options = LICENCE_USES
        .iter()
        .map(|(u, name)| view! { <option value=*name>{use_label(lang, *u)}</option> })
        .collect_view();

    view! {
        <section class="rc-support" aria-label=text(lang, Msg::SupportHeading) data-testid="support">
            <h2 class="rc-support__title">{text(lang, Msg::SupportHeading)}</h2>
            {accounts}
            <details class="rc-support__paste" data-testid="paste-history" open=paste_open>
            <summary class="rc-support__paste-summary">{text(lang, Msg::PasteHistory)}</summary>
            <div class="rc-support__input">
                <label class="rc-support__field">
                    <span class="rc-support__label">{text(lang, Msg::HistoryLabel)}</span>
                    <span class="rc-hint">{text(lang, Msg::HistoryHelp)}</span>
                    <textarea
                        class="rc-support__textarea"
                        rows="14"
                        spellcheck="false"
                        autocomplete="off"
                        data-testid="history"
                        prop:value=move || history.get()
                        on:input=on_input
                    ></textarea>
                </label>
                <div class="rc-support__actions">
                    <button type="button" class="rc-button" data-testid="load-sample" on:click=load_sample>
                        {text(lang, Msg::LoadSample)}
                    </button>
                    <button
                        type="button"
                        class="rc-button rc-button--secondary"
                        data-testid="copy-explanation"
                        disabled=no_report
                        on:click=on_copy
                    >
                        {text(lang, Msg::CopyExplanation)}
                    </button>
                </div>
                <div role="status">{copy_status}</div>
            </div>
            <div class="rc-support__result" data-testid="support-result">{result}</div>
            <section class="rc-panel" aria-label=text(lang, Msg::LicenceHeading) data-testid="licence">
                <h3>{text(lang, Msg::LicenceHeading)}</h3>
                <form class="rc-form" on:submit=|ev| ev.prevent_default()>
                    <label>
                        <span>{text(lang, Msg::FieldPlan)}</span>
                        <select
                            data-testid="licence-plan"
                            on:change=move |ev| licence_plan.set(event_target_value(&ev))
                        >
                            <option value="" selected>{text(lang, Msg::PlanFromHistory)}</option>
                            {plan_options}
                        </select>
                    </label>
                    <label>
                        <span>{text(lang, Msg::FieldUse)}</span>
                        <select
                            data-testid="licence-use"
                            on:change=move |ev| licence_use.set(event_target_value(&ev))
                        >
                            {use_options}
                        </select>
                    </label>
                    <label>
                        <span>{text(lang, Msg::FieldMau)}</span>
                        <input
                            type="number"
                            min="0"
                            step="1"
                            inputmode="numeric"
                            data-testid="licence-mau"
                            on:input=move |ev| mau.set(event_target_value(&ev))
                        />
                    </label>
                </form>
                <div aria-live="polite">{licence_result}</div>
            </section>
            </details>
        </section>
    }
}

/// Everything the replay says, formatted: the same report for a pasted history and an
/// opened account.
pub(crate) fn report_view(f: &Formatting, report: &Report) -> AnyView {
    let lang = f.lang;
    let r = &report.response;
    let state = &r.state;
    let plan = state.plan.as_deref().map_or_else(
        || text(lang, Msg::NoSubscription).to_owned(),
        |p| plan_name(&report.catalogue, p),
    );
    let period = state
        .period
        .map(|p| format!("{} – {}", f.date_time(&p.start), f.date_time(&p.end)));
    let rows = r
        .timeline
        .iter()
        .map(|entry| {
            let q = quantity(entry);
            let (money, count) = match q {
                Quantity::Money(m) => (Some(m.to_string()), None),
                Quantity::Credits(n) | Quantity::Seconds(n) => (None, Some(n.to_string())),
                Quantity::None => (None, None),
            };
            view! {
                <tr
                    data-testid="timeline-row"
                    data-kind=kind_name(entry.kind)
                    data-amount-minor=money
                    data-quantity=count
                >
                    <td class="rc-timeline__when">{f.date_time(&entry.at)}</td>
                    <th scope="row" class="rc-timeline__what">
                        <span class="rc-kind" data-kind=kind_name(entry.kind)>{kind_label(lang, entry.kind)}</span>
                    </th>
                    <td class="rc-amount" data-testid="timeline-amount">{quantity_text(f, &q)}</td>
                    <td class="rc-timeline__why">{explanation_view(entry_sentences(f, entry))}</td>
                </tr>
            }
        })
        .collect_view();
    let meters = meters(f, r)
        .into_iter()
        .map(|m| {
            view! {
                <label class="rc-meter">
                    <span class="rc-meter__label">{m.label}</span>
                    <meter
                        data-testid=format!("meter-{}", m.id)
                        min="0"
                        max=m.allowance.to_string()
                        value=m.used.to_string()
                        low=(m.allowance / 4 * 3).to_string()
                        high=(m.allowance / 10 * 9).to_string()
                        optimum="0"
                    ></meter>
                    <span
                        class="rc-meter__text"
                        data-testid=format!("{}-remaining", m.id)
                        data-value=m.remaining.to_string()
                    >
                        {m.text}
                    </span>
                </label>
            }
        })
        .collect_view();
    let refund = match &state.refund {
        None => view! { <p class="rc-hint" data-testid="refund-status">{text(lang, Msg::RefundNoCharge)}</p> }
            .into_any(),
        Some(refund) => {
            let verdict = if refund.eligible {
                text(lang, Msg::RefundEligible)
            } else {
                text(lang, Msg::RefundNotEligible)
            };
            let reasons = refund_sentences(f, r);
            view! {
                <p
                    class="rc-verdict"
                    data-testid="refund-status"
                    data-eligible=refund.eligible.to_string()
                >
                    <strong>{verdict}</strong>
                </p>
                <dl class="rc-facts">
                    <dt>{text(lang, Msg::ChargeInQuestion)}</dt>
                    <dd data-testid="refund-charge" data-amount-minor=refund.charge.amount_minor.to_string()>
                        {f.money(refund.charge.amount_minor)} " · " {f.date_time(&refund.charge.at)}
                    </dd>
                    <dt>{text(lang, Msg::UsageSinceCharge)}</dt>
                    <dd data-testid="refund-usage">{i18n::usage_bp(lang, &f.count(refund.usage_bp))}</dd>
                    <dt>{text(lang, Msg::DecidedBy)}</dt>
                    <dd data-testid="refund-rules">{refund.rules.join(", ")}</dd>
                    <dt>{text(lang, Msg::ReplyBy)}</dt>
                    <dd data-testid="reply-by" data-date=refund.reply_by.to_string()>
                        {f.calendar_date(refund.reply_by)}
                    </dd>
                </dl>
                {explanation_view(reasons)}
            }
            .into_any()
        }
    };
    let prepaid = &state.prepaid;
    let next_expiry = prepaid.expiring_next.map_or_else(
        || text(lang, Msg::NothingExpires).to_owned(),
        |e| i18n::expiring(lang, &f.count(e.credits), &f.date_time(&e.expires_at)),
    );
    let terms = state.terms.map(|t| {
        let deleted = t.data_deleted_by.map(|d| {
            view! {
                <dt>{text(lang, Msg::DataDeletedBy)}</dt>
                <dd data-testid="data-deleted-by">{f.date_time(&d)}</dd>
            }
        });
        view! {
            <section class="rc-panel" aria-label=text(lang, Msg::TermsHeading) data-testid="terms">
                <h3>{text(lang, Msg::TermsHeading)}</h3>
                <dl class="rc-facts">
                    <dt>{text(lang, Msg::OptOutBy)}</dt>
                    <dd data-testid="opt-out-by">{f.date_time(&t.arbitration_opt_out_by)}</dd>
                    {deleted}
                    <dt>{text(lang, Msg::LiabilityCap)}</dt>
                    <dd data-testid="liability-cap" data-amount-minor=t.liability_cap_minor.to_string()>
                        {f.money(t.liability_cap_minor)}
                    </dd>
                </dl>
            </section>
        }
    });
    view! {
        <dl class="rc-facts" data-testid="support-state">
            <dt>{text(lang, Msg::CurrentPlan)}</dt>
            <dd data-testid="support-plan">{plan}</dd>
            {period.map(|p| view! {
                <dt>{text(lang, Msg::PeriodLabel)}</dt>
                <dd data-testid="support-period">{p}</dd>
            })}
            <dt>{text(lang, Msg::ReportAt)}</dt>
            <dd data-testid="support-at">{f.date_time(&report.request.at)}</dd>
        </dl>
        <div class="rc-support__grid">
            <section class="rc-panel" aria-label=text(lang, Msg::QuotaHeading) data-testid="quota">
                <h3>{text(lang, Msg::QuotaHeading)}</h3>
                {meters}
            </section>
            <section class="rc-panel" aria-label=text(lang, Msg::RefundHeading) data-testid="refund">
                <h3>{text(lang, Msg::RefundHeading)}</h3>
                {refund}
            </section>
            <section class="rc-panel" aria-label=text(lang, Msg::PrepaidHeading) data-testid="prepaid">
                <h3>{text(lang, Msg::PrepaidHeading)}</h3>
                <dl class="rc-facts">
                    <dt>{text(lang, Msg::PrepaidBalance)}</dt>
                    <dd data-testid="prepaid-balance" data-value=prepaid.balance.to_string()>
                        {i18n::credits(lang, &f.count(prepaid.balance))}
                    </dd>
                    <dt>{text(lang, Msg::NextExpiry)}</dt>
                    <dd data-testid="next-expiry">{next_expiry}</dd>
                </dl>
            </section>
            {terms}
        </div>
        <div
            class="rc-timeline__scroll"
            role="region"
            tabindex="0"
            aria-label=text(lang, Msg::TimelineHeading)
        >
            <table class="rc-lines rc-timeline" data-testid="timeline">
                <caption>
                    <h3>{text(lang, Msg::TimelineHeading)}</h3>
                    <span class="rc-hint">{text(lang, Msg::TimelineCaption)}</span>
                </caption>
                <thead>
                    <tr>
                        <th scope="col">{text(lang, Msg::ColumnWhen)}</th>
                        <th scope="col">{text(lang, Msg::ColumnWhat)}</th>
                        <th scope="col" class="rc-amount">{text(lang, Msg::ColumnQuantity)}</th>
                        <th scope="col">{text(lang, Msg::ColumnWhy)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <details class="rc-explanation" open>
            <summary>{text(lang, Msg::SummaryHeading)}</summary>
            {explanation_view(summary_sentences(f, r))}
        </details>
    }
    .into_any()
}

/// Writes `text` to the clipboard; `false` when the browser has no clipboard or refuses.
async fn write_clipboard(text: &str) -> bool {
    use wasm_bindgen_futures::JsFuture;
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return false;
    };
    let has_clipboard =
        js_sys::Reflect::get(&navigator, &"clipboard".into()).is_ok_and(|c| c.is_object());
    if !has_clipboard {
        return false;
    }
    let clipboard = navigator.clipboard();
    JsFuture::from(clipboard.write_text(text)).await.is_ok()
}
