//! One module per command family: its clap types beside the handler that runs them against a
//! generated client. What several families share is here: the PowerStore collection query
//! flags and how a list is fetched ([`ListArgs`], [`list_items`]), the line that says a list
//! was cut short ([`say_more`]), and `name:NAME` lookups ([`resolve`]).
//!
//! A list shows one page unless asked for more: the first page's `Content-Range` gives the
//! total, so the CLI can say "showing 100 of 2,261". `--limit N` asks for N items (one page
//! when N fits in one, else pages of `--page-size` through the generated `_stream` method, cut
//! at N); `--all` takes every page, and with `--limit` stops at N.

pub mod api;
pub mod config;
pub mod import_session;
pub mod job;
pub mod lcm;
pub mod remote_system;
pub mod vipr;
pub mod volume;

use std::future::Future;

use clap::Args;
use migrate_clients::powerstore::operations::{
    ImportSessionCollectionQueryParams, JobCollectionQueryParams,
    RemoteSystemCollectionQueryParams, VolumeCollectionQueryParams,
    VolumeGroupCollectionQueryParams,
};
use migrate_clients::powerstore::types::{
    ImportSessionInstance, JobInstance, RemoteSystemInstance, VolumeGroupInstance, VolumeInstance,
};
use migrate_runtime::futures::{StreamExt, TryStreamExt};
use migrate_runtime::{BoxStream, Error, HeaderMap, Request, Response};

use crate::context::Context;
use crate::exit::{Code, Failure};
use crate::input;
use crate::output::Format;

/// PowerStore's largest page: the maximum of the collection queries' `limit`.
pub const MAX_PAGE: i32 = 2000;

/// Options of a PowerStore collection query.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Filter as FIELD=OP.VALUE, e.g. state=eq.Failed or name=ilike.db*; repeatable, ANDed.
    #[arg(long, value_name = "EXPR", value_parser = input::text)]
    pub filter: Vec<String>,
    /// Fields to ask for and show, comma-separated.
    #[arg(long, value_name = "F,...", value_delimiter = ',', value_parser = input::text)]
    pub select: Vec<String>,
    /// Sort order: FIELD[.asc|.desc].
    #[arg(long, value_name = "F", value_parser = input::text)]
    pub order: Option<String>,
    /// At most this many items (default: one page, the server's 100).
    #[arg(long, value_name = "N", value_parser = input::integer(1u64, None))]
    pub limit: Option<u64>,
    /// Every item, page by page (with --limit: at most that many).
    #[arg(long)]
    pub all: bool,
    /// Items per request when paging (1 to 2000; default 2000).
    #[arg(long, value_name = "N", value_parser = input::integer(1i32, Some(MAX_PAGE)))]
    pub page_size: Option<i32>,
}

/// How a list is fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// One page of this many items (`None`: the server's default page).
    Page(Option<i32>),
    /// Pages of `page_size` through the stream, at most `take` items.
    Stream {
        /// Items per request.
        page_size: i32,
        /// At most this many (`None`: every one).
        take: Option<u64>,
    },
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

    /// The extra columns of `-o wide`: none when --select chose the fields.
    pub fn wide<'a>(&self, wide: &'a [&'a str]) -> &'a [&'a str] {
        if self.select.is_empty() {
            wide
        } else {
            &[]
        }
    }

    /// The --filter expressions as query pairs.
    pub fn filters(&self) -> Result<Vec<(String, String)>, Failure> {
        filters(&self.filter)
    }

    /// How the list is fetched: see the module docs.
    pub fn plan(&self) -> Plan {
        let page = self.page_size.unwrap_or(MAX_PAGE);
        match (self.all, self.limit) {
            (_, Some(n)) if n <= page as u64 => Plan::Page(Some(n as i32)),
            (false, None) => Plan::Page(self.page_size),
            (_, take) => Plan::Stream {
                page_size: page,
                take,
            },
        }
    }

    /// The first request the list sends (for `--dry-run`), built by `request` from `params`
    /// as [`list_items`] pages them.
    pub fn first_request<P: CollectionParams, E>(
        &self,
        params: &P,
        request: impl Fn(&P) -> Result<Request, Error<E>>,
    ) -> Result<Request, Failure> {
        let mut params = params.clone();
        match self.plan() {
            Plan::Page(limit) => {
                params.set_limit(limit);
                request(&params).map_err(page_error)
            }
            Plan::Stream { page_size, .. } => {
                // As the generated `_stream` sends its first page.
                params.set_limit(None);
                params.default_order("id");
                Ok(request(&params)
                    .map_err(page_error)?
                    .query("offset", 0)
                    .query("limit", page_size))
            }
        }
    }
}

/// A validation error of a list request, with `limit` named as the flag that sets it.
fn page_error<E>(error: Error<E>) -> Failure {
    input::flag_error(&[("limit", "--limit")])(error)
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

/// The parameters of a PowerStore collection query, as the list machinery sets them.
pub trait CollectionParams: Clone {
    /// Sets the page size (`limit`).
    fn set_limit(&mut self, limit: Option<i32>);
    /// Sets the order when none was given.
    fn default_order(&mut self, order: &str);
}

macro_rules! collection_params {
    ($($params:ty),*) => {$(
        impl CollectionParams for $params {
            fn set_limit(&mut self, limit: Option<i32>) {
                self.limit = limit;
            }
            fn default_order(&mut self, order: &str) {
                self.order.get_or_insert_with(|| order.to_string());
            }
        }
    )*};
}

collection_params!(
    ImportSessionCollectionQueryParams,
    RemoteSystemCollectionQueryParams,
    JobCollectionQueryParams,
    VolumeCollectionQueryParams,
    VolumeGroupCollectionQueryParams
);

/// The items of a list, and how many there are in all when the service said.
pub struct Listed<T> {
    /// What was fetched.
    pub items: Vec<T>,
    /// How many match in all (`None`: unknown, there may be more).
    pub total: Option<u64>,
}

/// Fetches a list as `args` say: `page(limit)` answers one page (its `Content-Range` gives the
/// total), `stream(page_size)` every item page by page.
pub async fn list_items<T, E, Fut>(
    args: &ListArgs,
    page: impl Fn(Option<i32>) -> Fut,
    stream: impl FnOnce(i32) -> BoxStream<'static, Result<T, Error<E>>>,
) -> Result<Listed<T>, Failure>
where
    Fut: Future<Output = Result<Response<Vec<T>>, Error<E>>>,
{
    match args.plan() {
        Plan::Page(limit) => {
            let response = page(limit).await.map_err(page_error)?;
            let total = content_range_total(&response.headers);
            let items = response.into_body();
            let total = total.unwrap_or(items.len() as u64);
            Ok(Listed {
                items,
                total: Some(total),
            })
        }
        Plan::Stream { page_size, take } => {
            let stream = stream(page_size);
            let items: Vec<T> = match take {
                Some(n) => stream.take(n as usize).try_collect().await,
                None => stream.try_collect().await,
            }
            .map_err(page_error)?;
            let total = match take {
                // Cut at the limit: one item's page says how many there are.
                Some(n) if items.len() as u64 == n => match page(Some(1)).await {
                    Ok(response) => {
                        content_range_total(&response.headers).or(Some(response.body.len() as u64))
                    }
                    Err(e) => {
                        tracing::warn!("cannot count the items: {e}");
                        None
                    }
                },
                _ => Some(items.len() as u64),
            };
            Ok(Listed { items, total })
        }
    }
}

/// The total of a `Content-Range: first-last/total` header, if it has one.
fn content_range_total(headers: &HeaderMap) -> Option<u64> {
    let value = headers.get("content-range")?.to_str().ok()?;
    let (_, total) = value.trim().rsplit_once('/')?;
    total.trim().parse().ok()
}

/// Says on stderr when `shown` items are fewer than there are (`total`, if known; `more`
/// when the service only said there are more), or when there are none.
pub fn say_more(ctx: &Context, shown: usize, total: Option<u64>, more: bool, plural: &str) {
    let shown = shown as u64;
    match total {
        Some(total) if total > shown => crate::errln!(
            "showing {} of {} {plural}; --all for every one, --limit N for more",
            thousands(shown),
            thousands(total)
        ),
        None if more => crate::errln!(
            "showing {} {plural}; there are more: --all for every one, --limit N for more",
            thousands(shown)
        ),
        _ if shown == 0 && matches!(ctx.printer.format(), Format::Table | Format::Wide) => {
            crate::errln!("no {plural}")
        }
        _ => {}
    }
}

/// `2261` as `2,261`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A PowerStore resource with an id and a name.
pub trait Named {
    /// The id.
    fn id(&self) -> Option<&str>;
    /// The name.
    fn name(&self) -> Option<&str>;
}

macro_rules! named {
    ($($instance:ty),*) => {$(
        impl Named for $instance {
            fn id(&self) -> Option<&str> {
                self.id.as_deref()
            }
            fn name(&self) -> Option<&str> {
                self.name.as_deref()
            }
        }
    )*};
}

named!(
    ImportSessionInstance,
    RemoteSystemInstance,
    VolumeInstance,
    VolumeGroupInstance
);

impl Named for JobInstance {
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn name(&self) -> Option<&str> {
        self.resource_name.as_deref()
    }
}

/// The query pair that finds resources named `name` (the server ignores case).
pub fn name_filter(name: &str) -> Vec<(String, String)> {
    vec![("name".to_string(), format!("eq.{name}"))]
}

/// An id as given, or the id of the `kind` named by `name:NAME`: `find(filter)` lists the
/// resources matching a name filter ([`name_filter`]); an exact match wins over one that
/// differs only in case.
pub async fn resolve<T: Named, E>(
    given: &str,
    kind: &str,
    find: impl AsyncFnOnce(Vec<(String, String)>) -> Result<Response<Vec<T>>, Error<E>>,
) -> Result<String, Failure> {
    let Some(name) = given.strip_prefix("name:") else {
        return Ok(given.to_string());
    };
    let found = find(name_filter(name)).await?.into_body();
    let exact = found.iter().find(|r| r.name() == Some(name));
    match exact.or(found.first()).and_then(Named::id) {
        Some(id) => Ok(id.to_string()),
        None => Err(Failure::new(
            Code::Service,
            format!("no {kind} is named {name:?}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct List {
        #[command(flatten)]
        args: ListArgs,
    }

    fn plan(args: &[&str]) -> Plan {
        let mut all = vec!["list"];
        all.extend(args);
        List::parse_from(all).args.plan()
    }

    #[test]
    fn limit_and_all_combine() {
        assert_eq!(plan(&[]), Plan::Page(None));
        assert_eq!(plan(&["--limit", "5"]), Plan::Page(Some(5)));
        assert_eq!(plan(&["--page-size", "50"]), Plan::Page(Some(50)));
        assert_eq!(
            plan(&["--all"]),
            Plan::Stream {
                page_size: 2000,
                take: None
            }
        );
        assert_eq!(plan(&["--all", "--limit", "5"]), Plan::Page(Some(5)));
        assert_eq!(
            plan(&["--all", "--limit", "5000"]),
            Plan::Stream {
                page_size: 2000,
                take: Some(5000)
            }
        );
        assert_eq!(
            plan(&["--limit", "120", "--page-size", "50"]),
            Plan::Stream {
                page_size: 50,
                take: Some(120)
            }
        );
    }

    #[test]
    fn totals_come_from_content_range() {
        let mut headers = HeaderMap::new();
        assert_eq!(content_range_total(&headers), None);
        headers.insert("content-range", "0-99/2261".parse().unwrap());
        assert_eq!(content_range_total(&headers), Some(2261));
        headers.insert("content-range", "0-99/*".parse().unwrap());
        assert_eq!(content_range_total(&headers), None);
        assert_eq!(thousands(2261), "2,261");
        assert_eq!(thousands(100), "100");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
