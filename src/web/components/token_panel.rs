//! The decoded-token panel: each JWT of the exchange with its header and claims, times in
//! UTC and in words, badges in words, and the claims a finding read. Everything here was
//! computed by the engine (`ExchangeReport::tokens`); claim values are text nodes, never HTML.

use yew::prelude::*;

use crate::index::Details;
use crate::report::{DecodedToken, TokenTime};
use crate::web::Ptr;

#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    pub details: Ptr<Details>,
}

#[component]
pub(crate) fn TokenPanel(props: &Props) -> Html {
    let tokens = &props.details.exchange.tokens;
    if tokens.is_empty() {
        return Html::default();
    }
    let many = tokens.len() > 1;
    html! {
        <div class="tokens">
            { for tokens.iter().enumerate().map(|(i, token)| {
                let label = if many {
                    format!("Decoded token {} of {}: {}", i + 1, tokens.len(), token.location)
                } else {
                    format!("Decoded token: {}", token.location)
                };
                token_view(token, label)
            }) }
        </div>
    }
}

fn token_view(token: &DecodedToken, label: String) -> Html {
    // A token something is wrong with, or that a finding read, opens; others stay folded.
    let open = !token.badges.is_empty() || !token.used_by.is_empty();
    html! {
        <section class="token" aria-label={label} data-token-panel="">
            <details {open}>
                <summary>
                    <span class="token-title">{ "Decoded token" }</span>
                    <span class="token-location">{ &token.location }</span>
                    { for token.badges.iter().map(|b| html! {
                        <span class={classes!("badge", b.kind.as_str())} data-badge={b.kind.as_str()}>{ &b.text }</span>
                    }) }
                </summary>
                <table class="token-part">
                    <caption>{ "Header" }</caption>
                    <tbody>
                        { for token.header.members().map(|(name, value)| html! {
                            <tr data-header={name.to_owned()}>
                                <th scope="row"><code>{ name }</code></th>
                                <td><code>{ value }</code></td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                <table class="token-part">
                    <caption>{ "Claims" }</caption>
                    <tbody>
                        { for token.claims.members().map(|(name, value)| claim_row(token, name, value)) }
                    </tbody>
                </table>
                <p class="note">{ "Signature not shown: it is part of the credential, and reading the token does not need it." }</p>
            </details>
        </section>
    }
}

/// A claim and its value as people read it (a string as is, anything else as JSON).
fn claim_row(token: &DecodedToken, name: &str, value: String) -> Html {
    let time = token.times.iter().find(|t| t.claim == name);
    let users: Vec<&str> = token
        .used_by
        .iter()
        .filter(|u| u.claim == name)
        .map(|u| u.finding.as_str())
        .collect();
    let used_by = (!users.is_empty()).then(|| users.join(" "));
    html! {
        <tr data-claim={name.to_owned()} data-used-by={used_by} class={classes!((!users.is_empty()).then_some("used"))}>
            <th scope="row"><code>{ name }</code></th>
            <td>
                <code>{ value }</code>
                if let Some(time) = time { { time_view(time) } }
                { for users.iter().map(|id| html! {
                    <span class="used-by">{ "used by " }<code>{ *id }</code></span>
                }) }
            </td>
        </tr>
    }
}

fn time_view(time: &TokenTime) -> Html {
    html! {
        <span class="token-time">
            <span class="utc">{ &time.utc }</span>
            if let Some(words) = &time.relative { <span class="relative">{ words }</span> }
        </span>
    }
}
