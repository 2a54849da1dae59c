//! Wall time, CPU time and peak memory of a command, measured from a process of our own.
//!
//! Why a wrapper process: `getrusage(RUSAGE_CHILDREN)` reports the largest resident set of
//! every child a process ever waited for, so the benchmark itself cannot ask it about one
//! command after it ran others. Each measured command therefore runs under a fresh copy of
//! this binary (`migrate-bench measure -- CMD…`), whose only child it is; the copy writes its
//! figures as JSON to a file and the caller reads them back.
//!
//! A single process's peak is its maximum resident set (exact, from the kernel). A build is a
//! tree of processes (cargo, a dozen rustc at once, build scripts, linkers), and its peak is
//! what the tree holds at one moment: with `--tree` the wrapper also samples the tree every
//! 100 ms and sums each process's proportional set size (PSS, from `/proc/PID/smaps_rollup`,
//! which splits pages shared by several rustc, such as `librustc_driver.so`, between them
//! instead of counting them once per process). The largest single process is reported beside
//! it, from the kernel.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

/// How often the process tree of a build is sampled.
const TREE_INTERVAL: Duration = Duration::from_millis(100);

/// What one run of a command cost.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Usage {
    /// Wall time from spawn to exit.
    pub wall_s: f64,
    /// User plus system CPU time of the command and every descendant it waited for.
    pub cpu_s: f64,
    /// The largest maximum resident set of any single process of the command, in kB.
    pub max_rss_kb: u64,
    /// The peak of the summed PSS of the whole process tree, in kB (only with `--tree`).
    pub tree_peak_kb: Option<u64>,
    /// Samples the tree peak is taken from.
    pub tree_samples: Option<u64>,
    /// The exit code (`None` when a signal ended it).
    pub exit_code: Option<i32>,
}

impl Usage {
    /// Peak memory in MB as the benchmark reports it: the tree's when sampled, else the process's.
    pub fn peak_mb(&self) -> f64 {
        self.tree_peak_kb.unwrap_or(self.max_rss_kb) as f64 / 1024.0
    }

    /// The largest single process in MB.
    pub fn max_rss_mb(&self) -> f64 {
        self.max_rss_kb as f64 / 1024.0
    }
}

/// How a measured command is run.
pub struct Run<'a> {
    pub program: &'a Path,
    pub args: Vec<String>,
    pub dir: Option<&'a Path>,
    pub env: Vec<(String, String)>,
    pub env_remove: Vec<String>,
    /// Sample the whole process tree (for builds).
    pub tree: bool,
    /// Where the command's stdout goes (`None`: discarded).
    pub stdout: Option<&'a Path>,
    /// Where the command's stderr goes (`None`: discarded).
    pub stderr: Option<&'a Path>,
}

impl<'a> Run<'a> {
    pub fn new(program: &'a Path, args: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Run {
            program,
            args: args.into_iter().map(Into::into).collect(),
            dir: None,
            env: Vec::new(),
            env_remove: Vec::new(),
            tree: false,
            stdout: None,
            stderr: None,
        }
    }

    pub fn dir(mut self, dir: &'a Path) -> Self {
        self.dir = Some(dir);
        self
    }

    pub fn env(mut self, name: &str, value: impl Into<String>) -> Self {
        self.env.push((name.to_string(), value.into()));
        self
    }

    pub fn env_remove(mut self, names: impl IntoIterator<Item = String>) -> Self {
        self.env_remove.extend(names);
        self
    }

    pub fn tree(mut self) -> Self {
        self.tree = true;
        self
    }

    pub fn stdout(mut self, path: &'a Path) -> Self {
        self.stdout = Some(path);
        self
    }

    pub fn stderr(mut self, path: &'a Path) -> Self {
        self.stderr = Some(path);
        self
    }

    /// Runs the command under a fresh wrapper process and returns what it cost. A command
    /// that exits non-zero is still measured; callers decide whether that is an error.
    pub fn measure(&self, scratch: &Path) -> Result<Usage> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let report = scratch.join(format!(
            "usage-{}-{}.json",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let me = std::env::current_exe().context("the benchmark's own path")?;
        let mut wrapper = Command::new(me);
        wrapper.arg("measure").arg("--report").arg(&report);
        if self.tree {
            wrapper.arg("--tree");
        }
        wrapper.arg("--").arg(self.program).args(&self.args);
        if let Some(dir) = self.dir {
            wrapper.current_dir(dir);
        }
        for name in &self.env_remove {
            wrapper.env_remove(name);
        }
        for (name, value) in &self.env {
            wrapper.env(name, value);
        }
        wrapper.stdin(Stdio::null());
        wrapper.stdout(output(self.stdout)?);
        wrapper.stderr(output(self.stderr)?);
        let status = wrapper
            .status()
            .with_context(|| format!("running {}", self.program.display()))?;
        let text = std::fs::read_to_string(&report).with_context(|| {
            format!(
                "the measuring wrapper of {} wrote no report ({status})",
                self.program.display()
            )
        })?;
        let _ = std::fs::remove_file(&report);
        Ok(serde_json::from_str(&text)?)
    }
}

fn output(path: Option<&Path>) -> Result<Stdio> {
    Ok(match path {
        Some(path) => Stdio::from(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        ),
        None => Stdio::null(),
    })
}

/// The wrapper's side (`migrate-bench measure`): runs `command` as its only child with the
/// inherited standard streams, and writes the [`Usage`] to `report`.
pub fn wrapper_main(report: &Path, tree: bool, command: &[String]) -> Result<ExitStatus> {
    let Some((program, args)) = command.split_first() else {
        bail!("measure: no command given after --");
    };
    let started = Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .spawn()
        .with_context(|| format!("starting {program}"))?;
    let sampler = tree.then(|| TreeSampler::start(child.id()));
    let status = child.wait()?;
    let wall = started.elapsed();
    let children = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)?;
    let cpu = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
    let (tree_peak_kb, tree_samples) = match sampler {
        Some(sampler) => {
            let (peak, samples) = sampler.stop();
            (Some(peak), Some(samples))
        }
        None => (None, None),
    };
    let usage = Usage {
        wall_s: wall.as_secs_f64(),
        cpu_s: cpu(children.user_time()) + cpu(children.system_time()),
        // Linux reports ru_maxrss in kilobytes.
        max_rss_kb: children.max_rss().max(0) as u64,
        tree_peak_kb,
        tree_samples,
        exit_code: status.code(),
    };
    std::fs::write(report, serde_json::to_string(&usage)?)
        .with_context(|| format!("writing {}", report.display()))?;
    Ok(status)
}

/// Samples the summed PSS of a process and its descendants on a thread of its own.
struct TreeSampler {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<(u64, u64)>,
}

impl TreeSampler {
    fn start(root: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut peak = 0;
            let mut samples = 0;
            while !flag.load(Ordering::Relaxed) {
                peak = peak.max(tree_pss_kb(root));
                samples += 1;
                std::thread::sleep(TREE_INTERVAL);
            }
            (peak, samples)
        });
        TreeSampler { stop, thread }
    }

    fn stop(self) -> (u64, u64) {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap_or((0, 0))
    }
}

/// The summed PSS (kB) of `root` and every process below it, read from `/proc` now.
fn tree_pss_kb(root: u32) -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if let Some(parent) = parent_of(pid) {
            children.entry(parent).or_default().push(pid);
        }
    }
    let mut seen = HashSet::new();
    let mut todo = vec![root];
    let mut total = 0;
    while let Some(pid) = todo.pop() {
        if !seen.insert(pid) {
            continue;
        }
        total += pss_kb(pid);
        if let Some(kids) = children.get(&pid) {
            todo.extend(kids);
        }
    }
    total
}

/// The parent pid from `/proc/PID/stat` (the field after the parenthesised command name).
fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(1)?.parse().ok()
}

/// `Pss:` of `/proc/PID/smaps_rollup` in kB (0 when the process is gone).
fn pss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix("Pss:"))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_a_parent_and_a_pss() {
        let me = std::process::id();
        assert!(parent_of(me).is_some_and(|p| p > 0));
        // Other tests' threads allocate meanwhile, so the tree is read between two reads of
        // this process alone and held to the smaller.
        let before = pss_kb(me);
        let tree = tree_pss_kb(me);
        let after = pss_kb(me);
        assert!(before > 0);
        assert!(tree >= before.min(after), "{tree} < {before}, {after}");
    }
}
