//! Times each stage of the generator on the full vendor spec and prints each
//! as a ratio to a baseline measured in the same run: parsing the spec's JSON
//! into a `serde_json::Value`, the least any generator must do.
//!
//! One row is not a stage: the typed parse into `openapiv3` that the generator
//! used before it read the document through its own lenient view (`spec.rs`).
//! It is kept here, as a dev-dependency, to show what that choice costs.
//!
//! Run with `cargo bench -p migrate-codegen --bench generate` (needs the
//! vendor spec in `../shared/specs/` or `$POWERSTORE_SPEC`).

use std::time::{Duration, Instant};

use migrate_codegen::{emit, format, load, normalize, overlay, spec::Spec, upgrade};

mod common;

const ROUNDS: u32 = 5;

fn main() {
    let (spec, overlay_source) = common::vendor_sources();

    let baseline = best_of(|| {
        let _: serde_json::Value = serde_json::from_str(&spec.text).expect("JSON");
    });
    let mut stages: Vec<(&str, Duration)> = Vec::new();
    let mut document = load::parse(&spec).expect("parse");
    stages.push((
        "load (JSON → value)",
        best_of(|| drop(load::parse(&spec).expect("parse"))),
    ));
    stages.push((
        "overlay",
        best_of(|| {
            let mut copy = document.clone();
            overlay::apply(&mut copy, &overlay_source, &mut Vec::new()).expect("overlay");
        }),
    ));
    overlay::apply(&mut document, &overlay_source, &mut Vec::new()).expect("overlay");
    let dialect = load::dialect(&spec.name, &document, &mut Vec::new()).expect("dialect");
    stages.push((
        "upgrade (Swagger 2 → OpenAPI 3)",
        best_of(|| {
            drop(upgrade::upgrade(
                &spec.name,
                dialect,
                document.clone(),
                &mut Vec::new(),
            ))
        }),
    ));
    let upgraded = upgrade::upgrade(&spec.name, dialect, document.clone(), &mut Vec::new());
    stages.push((
        "(not a stage) typed parse into openapiv3",
        best_of(|| {
            drop(serde_json::from_value::<openapiv3::OpenAPI>(upgraded.clone()).expect("openapiv3"))
        }),
    ));
    let reader = Spec::new(&spec.name, dialect, &upgraded);
    let settings = normalize::Settings::default();
    stages.push((
        "normalize (document → IR)",
        best_of(|| drop(normalize::normalize(&reader, settings))),
    ));
    let api = normalize::normalize(&reader, settings);
    stages.push(("emit (IR → tokens)", best_of(|| drop(emit::module(&api)))));
    let tokens = emit::module(&api);
    stages.push((
        "format (tokens → source)",
        best_of(|| drop(format::format(&spec.name, tokens.clone()))),
    ));
    stages.push((
        "emit + format, item by item on threads",
        best_of(|| drop(format::format_sections(&spec.name, &api, &emit::SECTIONS))),
    ));
    stages.push((
        "whole pipeline",
        best_of(|| {
            drop(
                migrate_codegen::generate(
                    &spec,
                    std::slice::from_ref(&overlay_source),
                    &Default::default(),
                )
                .expect("generate"),
            )
        }),
    ));

    println!(
        "baseline: serde_json::from_str of the vendor spec: {:.1} ms (best of {ROUNDS})",
        ms(baseline)
    );
    println!("{:<42} {:>10} {:>12}", "stage", "ms", "× baseline");
    for (name, time) in stages {
        println!(
            "{name:<42} {:>10.1} {:>12.1}",
            ms(time),
            time.as_secs_f64() / baseline.as_secs_f64()
        );
    }
}

fn best_of(mut f: impl FnMut()) -> Duration {
    (0..ROUNDS)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
