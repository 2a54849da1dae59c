//! `migrate import-session apply PLAN`: create every session of a plan that does not exist
//! yet. The plan is read and checked whole first ([`plan::read`](crate::plan::read)), so a
//! bad entry stops the run before the first request. With `--wait` every session of the plan
//! (created now or before) is watched in the view of `import-session watch`, each line
//! labelled with its session; a rerun of the same command resumes a wait cut short.

use std::path::Path;

use migrate_clients::ext::powerstore as ext;
use migrate_clients::powerstore::types::ImportSessionCreate;
use migrate_clients::powerstore::{operations, Client};
use migrate_runtime::futures::{stream, StreamExt};
use migrate_runtime::StringEnum;
use serde::Serialize;

use super::create_one;
use super::watch::watch_ids;
use crate::context::Context;
use crate::exit::{Code, Failure};
use crate::service::POWERSTORE;
use crate::wait::Watch;

/// One line of a plan's summary.
#[derive(Debug, Serialize)]
struct PlanResult {
    name: String,
    id: Option<String>,
    result: String,
    state: Option<String>,
    /// Why the entry failed, as an exit code.
    #[serde(skip)]
    failed: Option<Code>,
}

/// Applies the plan at `path`, `concurrency` creates at a time.
pub async fn apply(
    ctx: &Context,
    path: &Path,
    concurrency: usize,
    wait: bool,
) -> Result<(), Failure> {
    let entries = crate::plan::read(path)?;
    let params = operations::ImportSessionCreateParams::default();
    let requests = entries
        .iter()
        .map(|entry| Client::import_session_create_request(entry, &params))
        .collect::<Result<Vec<_>, _>>()?;
    if ctx.is_dry_run() {
        for request in &requests {
            ctx.show(&POWERSTORE, request)?;
        }
        return Ok(());
    }
    let client = ctx.connect(&POWERSTORE)?;
    let mut results: Vec<PlanResult> = stream::iter(entries)
        .map(|entry| apply_one(ctx, &client, entry))
        .buffered(concurrency)
        .collect()
        .await;
    if wait {
        let ids: Vec<String> = results.iter().filter_map(|r| r.id.clone()).collect();
        let plan = path.display().to_string();
        let concurrency = concurrency.to_string();
        let resume = [
            "import-session",
            "apply",
            &plan,
            "--wait",
            "--concurrency",
            &concurrency,
        ];
        let what = format!("the {} import sessions of {plan}", ids.len());
        let watch = Watch::silent(ctx, what, &resume).id("session_ids", ids.clone());
        let sessions = watch_ids(ctx, &client, &ids, &watch).await?;
        for result in &mut results {
            let session = sessions
                .iter()
                .find(|s| s.id.is_some() && s.id == result.id);
            if let Some(state) = session.and_then(|s| s.state.as_ref()) {
                result.state = Some(state.as_wire().to_string());
                if super::lifecycle::is_failure(state.as_wire()) {
                    result.failed = Some(Code::Failed);
                }
            }
        }
    }
    ctx.printer
        .list(&results, &["name", "id", "result", "state"], &[])?;
    let codes: Vec<Code> = results.iter().filter_map(|r| r.failed).collect();
    if codes.is_empty() {
        return Ok(());
    }
    // A failed session is exit 4; a refused login or an unreachable array says so instead,
    // since it is why the entries failed.
    let code = codes
        .iter()
        .copied()
        .find(|c| *c != Code::Failed)
        .unwrap_or(Code::Failed);
    Err(Failure::new(
        code,
        format!("{} of {} plan entries failed", codes.len(), results.len()),
    ))
}

async fn apply_one(ctx: &Context, client: &Client, entry: ImportSessionCreate) -> PlanResult {
    let name = entry.name.clone();
    let outcome = async {
        if let Some(existing) = ext::find_import_session_by_name(client, &name).await? {
            let state = existing.state.as_ref().map(|s| s.as_wire().to_string());
            return Ok::<_, Failure>((existing.id, "exists".to_string(), state));
        }
        let id = create_one(ctx, client, &entry, false).await?;
        Ok((Some(id), "created".to_string(), None))
    }
    .await;
    match outcome {
        Ok((id, result, state)) => PlanResult {
            name,
            id,
            result,
            state,
            failed: None,
        },
        Err(failure) => PlanResult {
            name,
            id: None,
            result: format!("failed: {failure}"),
            state: None,
            failed: Some(failure.code),
        },
    }
}
