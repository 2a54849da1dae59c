//! One module per command family; each runs parsed flags against a generated client.

pub mod config;
pub mod import_session;
pub mod job;
pub mod lcm;
pub mod remote_system;
pub mod vipr;
