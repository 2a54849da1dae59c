//! The crates as other projects use them: `migrate-clients` built by cargo with one feature,
//! from a user's own spec, packaged, and depended on from a crate outside the workspace; its
//! examples run against the simulator; `migrate-runtime` packaged for publishing. Builds run
//! in `target/nested` (see `migrate_tests::nested_cargo`).

mod builds;
mod consumer;
mod examples;
mod manifest;
mod publish;
