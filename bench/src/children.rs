//! The programs the benchmark measures as processes of their own, built into this binary and
//! started as `migrate-bench <child> …` under the measuring wrapper.
//!
//! - `parse-json FILE`: the generation floor, reading the spec and parsing it into a
//!   `serde_json::Value`, the least any generator must do.
//! - `list --client stream|raw`: every import session of a PowerStore, once through the
//!   generated `import_session_collection_query_stream` and once through a plain reqwest +
//!   serde_json loop that sends the same requests (login, then `offset`/`limit` pages with the
//!   same `select` and `order`, following 206 and `Content-Range` until the last page). Each
//!   prints one JSON line with the items counted and the seconds the listing took inside the
//!   process, so start-up is not part of the listing figure (peak memory is the whole process).

use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use futures::StreamExt;
use migrate_clients::ext::{self, ConnectOptions};
use migrate_clients::powerstore::operations::ImportSessionCollectionQueryParams;
use migrate_clients::powerstore::types::ImportSessionInstance;
use migrate_clients::powerstore::Client;
use serde_json::Value;

/// Which listing client to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ListClient {
    /// The generated `_stream` method over the runtime.
    Stream,
    /// reqwest and serde_json, written out by hand.
    Raw,
}

/// Where and how to list.
pub struct Listing<'a> {
    /// `http://127.0.0.1:PORT`: scheme, host and port of the simulator.
    pub host: &'a str,
    pub user: &'a str,
    pub password: &'a str,
    pub page_size: u32,
}

/// `parse-json FILE`: prints the number of top-level keys, so the parse cannot be optimised away.
pub fn parse_json(path: &Path) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let value: Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    println!("{}", value.as_object().map_or(0, |o| o.len()));
    Ok(())
}

/// `list`: lists every import session with `client` and prints `{"items": N, "seconds": S}`.
pub fn list(client: ListClient, listing: &Listing<'_>) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let started = Instant::now();
    let items = runtime.block_on(async {
        match client {
            ListClient::Stream => list_stream(listing).await,
            ListClient::Raw => list_raw(listing).await,
        }
    })?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({ "items": items, "seconds": seconds })
    );
    Ok(())
}

async fn list_stream(listing: &Listing<'_>) -> Result<u64> {
    let client = ext::powerstore::connect(
        listing.host,
        listing.user,
        listing.password,
        &ConnectOptions::default(),
    )?;
    let params = ImportSessionCollectionQueryParams {
        limit: Some(i32::try_from(listing.page_size)?),
        ..Default::default()
    };
    let mut sessions = client.import_session_collection_query_stream(&params);
    let mut items = 0u64;
    while let Some(session) = sessions.next().await {
        let session: ImportSessionInstance = session?;
        // Touch a field, as a caller would.
        items += u64::from(session.id.is_some_and(|id| !id.is_empty()));
    }
    Ok(items)
}

async fn list_raw(listing: &Listing<'_>) -> Result<u64> {
    let http = reqwest::Client::builder().build()?;
    let base = format!(
        "{}{}",
        listing.host.trim_end_matches('/'),
        Client::BASE_PATH
    );
    let login = http
        .get(format!("{base}/login_session"))
        .basic_auth(listing.user, Some(listing.password))
        .send()
        .await?;
    if !login.status().is_success() {
        bail!("login answered {}", login.status());
    }
    let cookie = login
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.split(';').next()?.trim().strip_prefix("auth_cookie="))
        .map(|c| format!("auth_cookie={c}"))
        .context("the login set no auth_cookie")?;
    let limit = listing.page_size.to_string();
    let mut offset = 0u64;
    let mut items = 0u64;
    loop {
        let page = http
            .get(format!("{base}/import_session"))
            .header(reqwest::header::COOKIE, &cookie)
            .query(&[
                ("select", ImportSessionInstance::FIELDS),
                ("order", "id"),
                ("offset", &offset.to_string()),
                ("limit", &limit),
            ])
            .send()
            .await?;
        let status = page.status().as_u16();
        let range = page
            .headers()
            .get(reqwest::header::CONTENT_RANGE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = page.bytes().await?;
        if status != 200 && status != 206 {
            bail!("page at offset {offset} answered {status}");
        }
        let sessions: Vec<Value> = serde_json::from_slice(&body)?;
        items += sessions
            .iter()
            .filter(|s| s["id"].as_str().is_some_and(|id| !id.is_empty()))
            .count() as u64;
        if status == 200 || sessions.is_empty() {
            return Ok(items);
        }
        // `first-last/total`
        let (last, total) = range
            .as_deref()
            .and_then(|r| {
                let (span, total) = r.split_once('/')?;
                let (_, last) = span.split_once('-')?;
                Some((
                    last.trim().parse::<u64>().ok()?,
                    total.trim().parse::<u64>().ok()?,
                ))
            })
            .context("206 without a valid Content-Range")?;
        offset = last + 1;
        if offset >= total {
            return Ok(items);
        }
    }
}
