//! What one run of the benchmark knows and collects: where things are, the binaries and
//! peers it measures, and the rows, patches and notes of its report.

use std::path::PathBuf;

use crate::peers::{Peer, Peers};
use crate::report::Row;

/// The migrate binaries the run measures, built in the benchmark's own profile.
pub struct Bins {
    pub codegen: PathBuf,
    pub migrate: PathBuf,
}

/// One run.
pub struct Bench {
    /// The workspace.
    pub root: PathBuf,
    /// Scratch files, generated crates and their target directories.
    pub work: PathBuf,
    /// A tiny spec, one round, no peers.
    pub smoke: bool,
    pub rounds: usize,
    pub spec: PathBuf,
    pub overlay: PathBuf,
    pub bins: Bins,
    pub peers: Peers,
    pub rows: Vec<Row>,
    /// What was changed in the spec so that progenitor takes it.
    pub patches: Vec<String>,
    /// Anything else a reader of the table needs to know.
    pub notes: Vec<String>,
}

impl Bench {
    /// Peers that are not run (smoke mode).
    pub fn no_peers(why: &str) -> Peers {
        let none = || -> Result<Peer, String> { Err(why.to_string()) };
        Peers {
            progenitor: none(),
            swagger2openapi: none(),
            openapi_generator: none(),
            installed: Vec::new(),
        }
    }
}
