//! The machine a run measured on and how busy it was: the head of the report.
//!
//! Why: on a shared 2-core machine the same benchmark gives other figures when other builds
//! run beside it. Ratios measured side by side in one run hold up better than the figures,
//! but a reader still needs the cores, the memory and the load average at start and end to
//! judge either.

use std::path::Path;
use std::process::Command;

/// Cores, CPU model and memory.
pub struct Machine {
    pub cores: usize,
    pub cpu: String,
    pub memory_gb: f64,
    pub kernel: String,
}

impl Machine {
    pub fn read() -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .map(|rest| rest.trim_start_matches([' ', '\t', ':']).trim().to_string())
            .unwrap_or_else(|| "unknown CPU".into());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_kb: f64 = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0.0);
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|s| s.trim().to_string())
            .unwrap_or_default();
        Machine {
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu,
            memory_gb: memory_kb / 1024.0 / 1024.0,
            kernel,
        }
    }
}

/// The 1-, 5- and 15-minute load averages now.
pub fn load_average() -> [f64; 3] {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let mut fields = text
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(f64::NAN));
    [(); 3].map(|_| fields.next().unwrap_or(f64::NAN))
}

/// `a / b / c` for a load average.
pub fn show_load(load: [f64; 3]) -> String {
    format!("{:.2} / {:.2} / {:.2}", load[0], load[1], load[2])
}

/// The first line a tool prints for `args` (stdout, else stderr), or why there is none.
pub fn version_of(program: impl AsRef<Path>, args: &[&str]) -> String {
    match Command::new(program.as_ref()).args(args).output() {
        Ok(out) => {
            let text = if out.stdout.iter().any(|b| !b.is_ascii_whitespace()) {
                out.stdout
            } else {
                out.stderr
            };
            String::from_utf8_lossy(&text)
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .trim()
                .to_string()
        }
        Err(e) => format!("not available ({e})"),
    }
}

/// The checked-out commit of the workspace, with `-dirty` when files differ from it.
pub fn commit_of(root: &Path) -> String {
    let run = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let Some(commit) = run(&["rev-parse", "--short=10", "HEAD"]) else {
        return "unknown (not a git checkout)".into();
    };
    let dirty =
        run(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    if dirty {
        format!("{commit}-dirty")
    } else {
        commit
    }
}
