//! Text in each face and size a report uses, laid out out of sight from the page's first
//! paint. A face's first use at a size costs the browser a font lookup (on Linux, a round
//! trip to its browser process: 1–4 ms each, traced in Chromium); a report uses about fifteen
//! the idle page does not, and its first layout took 20–35 ms longer for them, enough to block
//! the main thread past 50 ms. tests/e2e/page.test.mjs checks that the reports it opens use no
//! face and size missing here.

use yew::prelude::*;

/// Whether text is set in the page's own face or in its monospace one (`--mono`).
#[derive(Clone, Copy)]
enum Face {
    Text,
    Mono,
}

/// The face, weight and size (rem) of the report's text (style.css), the narrow layout's
/// included; those the idle page shows itself are left out.
const FACES: &[(Face, u16, &str)] = &[
    (Face::Text, 400, "0.75rem"),
    (Face::Text, 400, "0.8rem"),
    (Face::Text, 600, "0.85rem"),
    (Face::Text, 600, "0.9rem"),
    (Face::Text, 700, "0.7rem"),
    (Face::Text, 700, "0.75rem"),
    (Face::Text, 700, "0.9rem"),
    (Face::Text, 700, "1rem"),
    (Face::Text, 700, "1.05rem"),
    (Face::Text, 700, "1.15rem"),
    (Face::Text, 700, "1.25rem"),
    (Face::Mono, 400, "0.75rem"),
    (Face::Mono, 400, "0.8rem"),
    (Face::Mono, 400, "0.85rem"),
    (Face::Mono, 700, "0.72rem"),
    (Face::Mono, 700, "0.875rem"),
    (Face::Mono, 700, "0.9rem"),
    (Face::Mono, 700, "1rem"),
];

fn style((face, weight, size): (Face, u16, &str)) -> String {
    let family = match face {
        Face::Text => "inherit",
        Face::Mono => "var(--mono)",
    };
    format!("font-family: {family}; font-weight: {weight}; font-size: {size}")
}

/// Empty in the page's first render, so that its lookups come after the first paint.
#[component]
pub(crate) fn FontWarmup() -> Html {
    let painted = use_state(|| false);
    {
        let painted = painted.clone();
        use_effect_with((), move |()| painted.set(true));
    }
    if !*painted {
        return Html::default();
    }
    html! {
        <div class="font-warmup" aria-hidden="true">
            { for FACES.iter().map(|&face| html! { <span style={style(face)}>{ "Aa0 " }</span> }) }
        </div>
    }
}
