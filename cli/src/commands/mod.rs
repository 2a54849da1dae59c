//! One module per command family; each runs parsed flags against a generated client.

pub mod config;
pub mod import_session;
pub mod job;
pub mod lcm;
pub mod remote_system;
pub mod vipr;

use std::future::Future;

use migrate_runtime::futures::TryStreamExt;
use migrate_runtime::{BoxStream, Error, Response};

use crate::exit::Failure;

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
