//! One module per command family: its clap types beside the handler that runs them against a
//! generated client. What several families share (the PowerStore collection query flags) is
//! here.

pub mod config;
pub mod import_session;
pub mod job;
pub mod lcm;
pub mod remote_system;
pub mod vipr;

use std::future::Future;

use clap::Args;
use migrate_runtime::futures::TryStreamExt;
use migrate_runtime::{BoxStream, Error, Response};

use crate::exit::Failure;
use crate::input;

/// Options of a PowerStore collection query.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Filter as FIELD=OP.VALUE, e.g. state=eq.Failed or name=ilike.db*; repeatable, ANDed.
    #[arg(long, value_name = "EXPR", value_parser = input::text)]
    pub filter: Vec<String>,
    /// Fields to show, comma-separated.
    #[arg(long, value_name = "F,...", value_delimiter = ',', value_parser = input::text)]
    pub select: Vec<String>,
    /// Sort order: FIELD[.asc|.desc].
    #[arg(long, value_name = "F", value_parser = input::text)]
    pub order: Option<String>,
    /// At most this many items (the server's default page otherwise; the spec's limit applies).
    #[arg(long, value_name = "N", conflicts_with = "all", value_parser = input::whole::<i32>())]
    pub limit: Option<i32>,
    /// Every item, fetched page by page.
    #[arg(long)]
    pub all: bool,
}

impl ListArgs {
    /// The `select` query parameter: the --select fields comma-separated, if any.
    pub fn select_param(&self) -> Option<String> {
        (!self.select.is_empty()).then(|| self.select.join(","))
    }

    /// The table columns: the --select fields, else `default`.
    pub fn columns<'a>(&'a self, default: &[&'a str]) -> Vec<&'a str> {
        if self.select.is_empty() {
            default.to_vec()
        } else {
            self.select.iter().map(String::as_str).collect()
        }
    }

    /// The --filter expressions as query pairs.
    pub fn filters(&self) -> Result<Vec<(String, String)>, Failure> {
        filters(&self.filter)
    }
}

/// `FIELD=OP.VALUE` expressions as query pairs.
pub fn filters(exprs: &[String]) -> Result<Vec<(String, String)>, Failure> {
    exprs
        .iter()
        .map(|e| match e.split_once('=') {
            Some((field, value))
                if !field.trim().is_empty()
                    && value
                        .split_once('.')
                        .is_some_and(|(op, _)| !op.trim().is_empty()) =>
            {
                Ok((field.to_string(), value.to_string()))
            }
            _ => Err(Failure::usage(format!(
                "--filter {e:?} is not FIELD=OP.VALUE (e.g. state=eq.Failed)"
            ))),
        })
        .collect()
}

/// The items a list command shows: with `--all` every page through `stream`, else the one page
/// `page` answers.
pub async fn list_items<T, E, Fut>(
    all: bool,
    stream: impl FnOnce() -> BoxStream<'static, Result<T, Error<E>>>,
    page: impl FnOnce() -> Fut,
) -> Result<Vec<T>, Failure>
where
    Fut: Future<Output = Result<Response<Vec<T>>, Error<E>>>,
{
    Ok(if all {
        stream().try_collect().await?
    } else {
        page().await?.into_body()
    })
}
