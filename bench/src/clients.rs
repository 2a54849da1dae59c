//! Figure group 3: what the generated client and the CLI cost at run time.
//!
//! The simulator runs in this process with seeded import sessions; the clients run as
//! processes of their own under the measuring wrapper, so their peak memory is theirs alone.
//! Before comparing, the simulator's request log is read to check that the two clients of a
//! pair sent the same requests (method, path and query pairs), so the ratio compares clients,
//! not work.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use migrate_clients::powerstore::Client;
use migrate_sim::{RequestRecord, SimConfig, SimHandle};

use crate::bench::Bench;
use crate::children::ListClient;
use crate::generation::{checked, median};
use crate::measure::{Run, Usage};
use crate::report::{count, megabytes, seconds, Row};

const USER: &str = "admin";
const PASSWORD: &str = "Password123!";

/// How big the listings are.
struct Sizes {
    /// The item counts, smaller first; the first is the one timed against the raw loop.
    items: [usize; 2],
    page_size: u32,
    /// Runs of `get` and `--help` to take the median of.
    repeats: usize,
}

/// One listing run.
struct Listed {
    usage: Usage,
    seconds: f64,
    requests: Vec<Sent>,
}

/// A request as the simulator logged it, its query pairs decoded and sorted.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Sent {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    status: Option<u16>,
}

impl From<&RequestRecord> for Sent {
    fn from(r: &RequestRecord) -> Self {
        let mut query: Vec<(String, String)> =
            url::form_urlencoded::parse(r.query.as_deref().unwrap_or("").as_bytes())
                .into_owned()
                .collect();
        query.sort();
        Sent {
            method: r.method.clone(),
            path: r.path.clone(),
            query,
            status: r.status,
        }
    }
}

/// Runs the run-time figures and adds their rows.
pub fn run(bench: &mut Bench) -> Result<()> {
    let sizes = if bench.smoke {
        Sizes {
            items: [60, 240],
            page_size: 25,
            repeats: 2,
        }
    } else {
        Sizes {
            items: [10_000, 40_000],
            page_size: 2000,
            repeats: 20,
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let mut listings = Vec::new();
    for &items in &sizes.items {
        let sim = start_sim(&runtime, items)?;
        let mut stream = Vec::new();
        let mut raw = Vec::new();
        for _ in 0..bench.rounds {
            stream.push(list(
                bench,
                &sim,
                ListClient::Stream,
                items,
                sizes.page_size,
            )?);
            raw.push(list(bench, &sim, ListClient::Raw, items, sizes.page_size)?);
        }
        if stream[0].requests != raw[0].requests {
            bail!(
                "the stream and the raw loop sent different requests for {items} items:\n  stream: {:?}\n  raw:    {:?}",
                stream[0].requests,
                raw[0].requests
            );
        }
        let pages = stream[0].requests.len() - 1;
        if items == sizes.items[0] {
            get_and_curl(bench, &runtime, &sim, sizes.repeats)?;
        }
        runtime.block_on(sim.shutdown());
        listings.push((items, pages, stream, raw));
    }

    let wall = |runs: &[Listed]| median(runs.iter().map(|l| l.seconds).collect());
    let peak = |runs: &[Listed]| median(runs.iter().map(|l| l.usage.peak_mb()).collect());
    let (small, small_pages, small_stream, small_raw) = &listings[0];
    let (large, large_pages, large_stream, large_raw) = &listings[1];
    let rounds = bench.rounds;
    let name = |n: usize, pages: usize| {
        format!(
            "listing {} import sessions ({pages} pages of {}, login included, median of {rounds})",
            count(n as f64),
            sizes.page_size
        )
    };
    let against = "reqwest + serde_json loop, same requests";
    bench.rows.push(
        Row::compare(
            name(*small, *small_pages),
            against,
            Ok(wall(small_stream)),
            Ok(wall(small_raw)),
            seconds,
        )
        .ratio_at_most(1.2),
    );
    bench.rows.push(Row::compare(
        name(*large, *large_pages),
        against,
        Ok(wall(large_stream)),
        Ok(wall(large_raw)),
        seconds,
    ));
    // The simulator runs in this process, so this is the clients' own work alone: in the
    // wall time, the simulator's paging weighs on both sides alike.
    let cpu = |runs: &[Listed]| median(runs.iter().map(|l| l.usage.cpu_s).collect());
    bench.rows.push(Row::compare(
        format!(
            "listing CPU time of the client process, {} items (user + system)",
            count(*small as f64)
        ),
        against,
        Ok(cpu(small_stream)),
        Ok(cpu(small_raw)),
        seconds,
    ));
    bench.rows.push(Row::compare(
        format!(
            "listing peak memory, {} items (max RSS)",
            count(*small as f64)
        ),
        against,
        Ok(peak(small_stream)),
        Ok(peak(small_raw)),
        megabytes,
    ));
    let flat = Row::compare(
        format!(
            "listing peak memory, {} against {} items",
            count(*large as f64),
            count(*small as f64)
        ),
        format!("the same stream at {} items", count(*small as f64)),
        Ok(peak(large_stream)),
        Ok(peak(small_stream)),
        megabytes,
    );
    let met = flat.ratio.map(|r| r <= 1.1);
    bench.rows.push(flat.target("flat (≤ 1.1×)", met));
    bench.rows.push(Row::compare(
        format!(
            "raw loop peak memory, {} against {} items",
            count(*large as f64),
            count(*small as f64)
        ),
        format!("the raw loop at {} items", count(*small as f64)),
        Ok(peak(large_raw)),
        Ok(peak(small_raw)),
        megabytes,
    ));
    help(bench, sizes.repeats)?;
    Ok(())
}

fn start_sim(runtime: &tokio::runtime::Runtime, sessions: usize) -> Result<SimHandle> {
    // A step of an hour: the seeded sessions are finished anyway, and nothing moves while a
    // listing pages through them.
    let config = SimConfig::default()
        .with_shared_user(USER, PASSWORD)
        .with_step(Duration::from_secs(3600))
        .with_import_sessions(sessions);
    runtime.block_on(migrate_sim::start(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        config,
    ))
}

fn list(
    bench: &Bench,
    sim: &SimHandle,
    client: ListClient,
    items: usize,
    page_size: u32,
) -> Result<Listed> {
    sim.clear_requests();
    let me = std::env::current_exe()?;
    let out = bench.work.join("list.stdout");
    let client_name = match client {
        ListClient::Stream => "stream",
        ListClient::Raw => "raw",
    };
    let usage = checked(
        Run::new(
            &me,
            [
                "list".to_string(),
                "--client".into(),
                client_name.into(),
                "--host".into(),
                sim.base_url(),
                "--user".into(),
                USER.into(),
                "--page-size".into(),
                page_size.to_string(),
            ],
        )
        .env("MIGRATE_BENCH_PASSWORD", PASSWORD)
        .stdout(&out)
        .stderr(&bench.work.join("list.stderr"))
        .measure(&bench.work)?,
        &format!("the {client_name} listing"),
    )?;
    let report: serde_json::Value = serde_json::from_str(std::fs::read_to_string(&out)?.trim())
        .context("the listing printed no JSON")?;
    let listed = report["items"].as_u64().unwrap_or(0);
    if listed != items as u64 {
        bail!("the {client_name} listing saw {listed} items, the simulator holds {items}");
    }
    Ok(Listed {
        usage,
        seconds: report["seconds"].as_f64().unwrap_or(f64::NAN),
        requests: sim.requests().iter().map(Sent::from).collect(),
    })
}

/// `migrate import-session get` against curl sending the same two requests.
fn get_and_curl(
    bench: &mut Bench,
    runtime: &tokio::runtime::Runtime,
    sim: &SimHandle,
    repeats: usize,
) -> Result<()> {
    let id = runtime.block_on(first_session_id(sim))?;
    let config = bench.work.join("curl.config");
    // The simulator's well-known password, kept off the command line all the same.
    std::fs::write(&config, format!("user = \"{USER}:{PASSWORD}\"\n"))?;
    let base = sim.powerstore_url();
    let select = migrate_clients::powerstore::types::ImportSessionInstance::FIELDS;
    let get_url =
        url::Url::parse_with_params(&format!("{base}/import_session/{id}"), [("select", select)])?;
    let curl = Path::new("curl");
    let curl_args = [
        "--silent".to_string(),
        "--fail".into(),
        "--output".into(),
        "/dev/null".into(),
        "--config".into(),
        config.display().to_string(),
        "--cookie".into(),
        String::new(),
        format!("{base}/login_session"),
        "--next".into(),
        // The cookie engine again, for the second transfer: it keeps the login's cookie.
        "--cookie".into(),
        String::new(),
        "--silent".into(),
        "--fail".into(),
        "--output".into(),
        "/dev/null".into(),
        get_url.to_string(),
    ];
    let migrate_args = [
        "-o".to_string(),
        "json".into(),
        "import-session".into(),
        "get".into(),
        id.clone(),
    ];
    let no_config = bench.work.join("no-migrate-config.toml");
    let get_stderr = bench.work.join("migrate-get.stderr");
    let migrate_run = || {
        Run::new(&bench.bins.migrate, migrate_args.clone())
            .env("MIGRATE_HOST", sim.base_url())
            .env("MIGRATE_USER", USER)
            .env("MIGRATE_PASSWORD", PASSWORD)
            .env("MIGRATE_CONFIG", no_config.display().to_string())
            .stderr(&get_stderr)
    };
    let curl_version = crate::machine::version_of(curl, &["--version"]);
    let has_curl = !curl_version.starts_with("not available");
    let mut migrate = Vec::new();
    let mut curled = Vec::new();
    let mut sent = (Vec::new(), Vec::new());
    for round in 0..repeats {
        sim.clear_requests();
        migrate.push(checked(
            migrate_run().measure(&bench.work)?,
            "migrate import-session get",
        )?);
        if round == 0 {
            sent.0 = sim.requests().iter().map(Sent::from).collect::<Vec<_>>();
        }
        if !has_curl {
            continue;
        }
        sim.clear_requests();
        curled.push(checked(
            Run::new(curl, curl_args.clone()).measure(&bench.work)?,
            "curl",
        )?);
        if round == 0 {
            sent.1 = sim.requests().iter().map(Sent::from).collect::<Vec<_>>();
        }
    }
    let wall = |runs: &[Usage]| median(runs.iter().map(|u| u.wall_s).collect());
    let figure = format!("migrate import-session get, login included (median of {repeats})");
    if !has_curl {
        bench.rows.push(
            Row::compare(
                figure,
                "curl, the same two requests",
                Ok(wall(&migrate)),
                Err(format!("curl is not installed: {curl_version}")),
                seconds,
            )
            .ratio_at_most(1.5),
        );
        return Ok(());
    }
    if sent.0 != sent.1 {
        bail!(
            "migrate and curl sent different requests:\n  migrate: {:?}\n  curl:    {:?}",
            sent.0,
            sent.1
        );
    }
    if sent.1.iter().any(|s| s.status != Some(200)) {
        bail!("curl's requests were not all answered 200: {:?}", sent.1);
    }
    bench.rows.push(
        Row::compare(
            figure,
            "curl, the same two requests",
            Ok(wall(&migrate)),
            Ok(wall(&curled)),
            seconds,
        )
        .ratio_at_most(1.5),
    );
    Ok(())
}

/// The id of a seeded session, read with the raw requests the listing uses.
async fn first_session_id(sim: &SimHandle) -> Result<String> {
    let http = reqwest::Client::new();
    let base = format!("{}{}", sim.base_url(), Client::BASE_PATH);
    let login = http
        .get(format!("{base}/login_session"))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await?;
    let cookie = login
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.split(';')
                .next()
                .filter(|c| c.starts_with("auth_cookie="))
        })
        .map(str::to_string)
        .context("the login set no auth_cookie")?;
    let page: Vec<serde_json::Value> = serde_json::from_slice(
        &http
            .get(format!("{base}/import_session"))
            .header(reqwest::header::COOKIE, cookie)
            .query(&[("select", "id"), ("limit", "1")])
            .send()
            .await?
            .bytes()
            .await?,
    )?;
    page.first()
        .and_then(|s| s["id"].as_str())
        .map(str::to_string)
        .context("the simulator listed no session")
}

/// `migrate --help` against starting a process that does nothing.
fn help(bench: &mut Bench, repeats: usize) -> Result<()> {
    let truth = Path::new("true");
    let mut migrate = Vec::new();
    let mut floor = Vec::new();
    for _ in 0..repeats {
        migrate.push(checked(
            Run::new(&bench.bins.migrate, ["--help"]).measure(&bench.work)?,
            "migrate --help",
        )?);
        floor.push(checked(
            Run::new(truth, Vec::<String>::new()).measure(&bench.work)?,
            "true",
        )?);
    }
    let wall = |runs: &[Usage]| median(runs.iter().map(|u| u.wall_s).collect());
    let help = wall(&migrate);
    let row = Row::compare(
        format!("migrate --help start-up (median of {repeats})"),
        "starting `true`",
        Ok(help),
        Ok(wall(&floor)),
        seconds,
    );
    bench.rows.push(row.target("≤ 10 ms", Some(help <= 0.010)));
    Ok(())
}
