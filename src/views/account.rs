//! The stored-account half of the support console: a search by email or id, and an
//! opened account with the same report as a pasted history.
//!
//! The key arrives through [`AccessToken`] (the element's `accessToken` property, never an
//! attribute); setting it, even to the same value, loads again. Every failure (401, 403,
//! an unknown account, 503, no answer) is a message inside the widget.

use chrono::{DateTime, FixedOffset};
use leptos::prelude::*;

use crate::fetch::{open_account, search_accounts};
use crate::i18n::{self, Lang, Msg, text};
use crate::model::account::{
    AccessToken, AccountApi, AccountError, AccountSummary, OpenedAccount, summary_label, tax_rate,
};
use crate::model::attrs::WidgetConfig;
use crate::model::support::{Formatting, plan_name};
use crate::views::error_box::ErrorBox;
use crate::views::support::report_view;

type Searched = Option<(String, Result<Vec<AccountSummary>, AccountError>)>;
type Opened = Option<(String, Result<OpenedAccount, AccountError>)>;

/// The search (without an `account` attribute) and the opened account.
#[component]
pub fn AccountConsole(
    /// The parsed attributes: `account`, `at`, `tax-rate-bp`, the language.
    config: WidgetConfig,
    /// The origin that served `ratecard.js`, where the account endpoints are.
    api_base: String,
    /// The support key.
    access_token: RwSignal<AccessToken>,
    /// Called with the id of an account opened from the search results.
    on_opened: Callback<String>,
) -> impl IntoView {
    let lang = config.locale.lang();
    let locale = config.locale.tag().to_owned();
    let display = config.currency_display;
    let at: DateTime<FixedOffset> = config.at;
    let tax = tax_rate(config.tax_rate_bp);
    let fixed = config.account.clone();
    let searchable = fixed.is_none();

    let opened: RwSignal<Option<String>> = RwSignal::new(fixed);
    let query = RwSignal::new(String::new());
    // The text searched for, with a count so that searching again asks again.
    let submitted: RwSignal<Option<(String, u32)>> = RwSignal::new(None);

    let search_base = api_base.clone();
    let search = LocalResource::new(move || {
        let key = access_token.with(|t| t.key().map(str::to_owned));
        let asked = submitted.get();
        let api = AccountApi {
            base: search_base.clone(),
            key,
        };
        async move {
            let (q, _) = asked?;
            let found = search_accounts(&api, &q).await;
            Some((q, found)) as Searched
        }
    });
    let account = LocalResource::new(move || {
        let key = access_token.with(|t| t.key().map(str::to_owned));
        let id = opened.get();
        let api = AccountApi {
            base: api_base.clone(),
            key,
        };
        async move {
            let id = id?;
            let loaded = open_account(&api, &id, at, tax).await;
            Some((id, loaded)) as Opened
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = query.get_untracked().trim().to_owned();
        if q.is_empty() {
            return;
        }
        submitted.update(|s| {
            let n = s.as_ref().map_or(0, |(_, n)| n.wrapping_add(1));
            *s = Some((q, n));
        });
    };

    let results = move || {
        let Some(asked) = submitted.get() else {
            return view! {
                <p class="rc-hint" data-testid="account-search-hint">{text(lang, Msg::AccountSearchHint)}</p>
            }
            .into_any();
        };
        match search.get() {
            Some(Some((q, found))) if q == asked.0 => match found {
                Err(e) => account_error(lang, &e),
                Ok(list) if list.is_empty() => view! {
                    <p class="rc-hint" data-testid="account-results-empty">{text(lang, Msg::NoAccountsFound)}</p>
                }
                .into_any(),
                Ok(list) => {
                    let items = list
                        .into_iter()
                        .map(|summary| {
                            let id = summary.id.clone();
                            let label = summary_label(&summary);
                            let open = move |_| {
                                opened.set(Some(id.clone()));
                                on_opened.run(id.clone());
                            };
                            view! {
                                <li>
                                    <button
                                        type="button"
                                        class="rc-account-result"
                                        data-testid="account-result"
                                        data-account-id=summary.id.clone()
                                        aria-pressed=move || {
                                            opened.with(|o| o.as_deref() == Some(summary.id.as_str())).to_string()
                                        }
                                        on:click=open
                                    >
                                        <span class="rc-account-result__id">{summary.id.clone()}</span>
                                        <span class="rc-hint">{label}</span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <ul
                            class="rc-account-results"
                            data-testid="account-results"
                            aria-label=text(lang, Msg::AccountsFound)
                        >
                            {items}
                        </ul>
                    }
                    .into_any()
                }
            },
            _ => view! {
                <p class="rc-hint" role="status" data-testid="account-searching">{text(lang, Msg::Searching)}</p>
            }
            .into_any(),
        }
    };

    let search_form = searchable.then(|| {
        view! {
            <form class="rc-account-search" role="search" data-testid="account-search-form" on:submit=on_submit>
                <label class="rc-support__field">
                    <span class="rc-support__label">{text(lang, Msg::AccountSearchLabel)}</span>
                    <input
                        type="search"
                        autocomplete="off"
                        spellcheck="false"
                        data-testid="account-search"
                        prop:value=move || query.get()
                        on:input=move |ev| query.set(event_target_value(&ev))
                    />
                </label>
                <button type="submit" class="rc-button" data-testid="account-search-submit">
                    {text(lang, Msg::AccountSearchButton)}
                </button>
            </form>
            <div aria-live="polite">{results}</div>
        }
    });

    let shown = move || {
        let Some(id) = opened.get() else {
            return ().into_any();
        };
        match account.get() {
            Some(Some((loaded_id, result))) if loaded_id == id => match result {
                Err(e) => account_error(lang, &e),
                Ok(opened) => {
                    let f = Formatting {
                        locale: locale.clone(),
                        lang,
                        time_zone: opened.report.request.time_zone.clone(),
                        currency: opened.report.response.currency,
                        display,
                    };
                    view! {
                        {account_header(lang, &opened)}
                        {report_view(&f, &opened.report)}
                    }
                    .into_any()
                }
            },
            _ => view! {
                <p class="rc-loading" role="status" data-testid="account-loading">{text(lang, Msg::LoadingAccount)}</p>
            }
            .into_any(),
        }
    };

    view! {
        <section class="rc-account" aria-label=text(lang, Msg::AccountHeading) data-testid="account-console">
            {search_form}
            <div class="rc-support__result" data-testid="account-report" aria-live="polite">{shown}</div>
        </section>
    }
}

/// The message box of an account error.
fn account_error(lang: Lang, error: &AccountError) -> AnyView {
    let kind = match error {
        AccountError::Unauthorised => "401",
        AccountError::Forbidden => "403",
        AccountError::UnknownAccount { .. } => "404",
        AccountError::Unavailable => "503",
        AccountError::Status { .. } => "status",
        AccountError::Network { .. } => "network",
        AccountError::Invalid { .. } => "invalid",
        AccountError::Catalogue(_) => "catalogue",
        AccountError::History(_) => "history",
    };
    view! {
        <div class="rc-account-error" data-testid="account-error" data-kind=kind>
            <ErrorBox lang=lang heading=Msg::AccountErrorHeading detail=i18n::account_error_text(lang, error) />
        </div>
    }
    .into_any()
}

/// The account's id, name, email, plan and licence.
fn account_header(lang: Lang, opened: &OpenedAccount) -> AnyView {
    let a = &opened.account;
    let or_not_given = |v: &Option<String>| {
        v.clone()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| text(lang, Msg::NotGiven).to_owned())
    };
    let plan = opened
        .report
        .response
        .state
        .plan
        .as_deref()
        .or(a.plan.as_deref())
        .map_or_else(
            || text(lang, Msg::NoSubscription).to_owned(),
            |p| plan_name(&opened.report.catalogue, p),
        );
    let licence = opened
        .report
        .response
        .state
        .licence
        .as_ref()
        .map(|l| l.name.clone());
    view! {
        <section class="rc-panel rc-account__header" aria-label=text(lang, Msg::AccountHeading) data-testid="account-header">
            <h3>{text(lang, Msg::AccountHeading)}</h3>
            <dl class="rc-facts">
                <dt>{text(lang, Msg::AccountId)}</dt>
                <dd data-testid="account-id">{a.id.clone()}</dd>
                <dt>{text(lang, Msg::AccountName)}</dt>
                <dd data-testid="account-name">{or_not_given(&a.name)}</dd>
                <dt>{text(lang, Msg::AccountEmail)}</dt>
                <dd data-testid="account-email">{or_not_given(&a.email)}</dd>
                <dt>{text(lang, Msg::AccountPlan)}</dt>
                <dd data-testid="account-plan" data-plan=opened.report.response.state.plan.clone()>{plan}</dd>
                {licence.map(|name| view! {
                    <dt>{text(lang, Msg::AccountLicence)}</dt>
                    <dd data-testid="account-licence">{name}</dd>
                })}
            </dl>
        </section>
    }
    .into_any()
}
