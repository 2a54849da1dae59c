//! Streams over paged collections, one item at a time.
//!
//! PowerStore pages with `offset`/`limit` and answers 206 plus `Content-Range: first-last/total`
//! until the last page (200); a 416 after the first page means the collection shrank under
//! us (the stream ends, with a warning), on the first page it is an error. LCM returns a page
//! object with a `next` link. Both are exposed as a stream of items so callers never see pages,
//! and LCM's links are followed on the transport's own origin only.

use crate::error::{truncated, BoxError};
use crate::lenient::Lenient;
use crate::{BoxStream, Error, Request, Transport};
use futures_util::{stream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Arc;

/// The most items PowerStore returns in one page.
const MAX_PAGE: u32 = 2000;

/// Streams every item of a PowerStore collection, sending `request` once per page with
/// `offset` and `limit` (`page_size`, clamped to 1..=2000) added to its query. A request that
/// could not be built is the stream's only item.
///
/// Paging itself works on JSON values and is compiled once; only decoding each item into
/// `T` is compiled per item type, which keeps a generated crate with a hundred paged
/// collections quick to build.
pub fn content_range<T, E>(
    transport: impl Into<Transport>,
    request: Result<Request, Error<E>>,
    page_size: u32,
) -> BoxStream<'static, Result<T, Error<E>>>
where
    T: DeserializeOwned + Send + 'static,
    E: DeserializeOwned + Send + 'static,
{
    content_range_values(transport.into(), request, page_size)
        .map(decode_item)
        .boxed()
}

/// An item of a page, not decoded yet, with what an error about it has to name.
struct RawItem {
    value: Value,
    operation: Arc<str>,
    status: u16,
}

fn decode_item<T: DeserializeOwned, E>(item: Result<RawItem, Error<E>>) -> Result<T, Error<E>> {
    let item = item?;
    // Decoded from an owned `Value`, as every other body is: decoding from `&Value` would
    // compile every generated type's `Deserialize` a second time. The copy is kept for the
    // error message.
    T::deserialize(Lenient(item.value.clone())).map_err(|e| item.decode_error(e.into()))
}

impl RawItem {
    fn decode_error<E>(&self, source: BoxError) -> Error<E> {
        Error::Decode {
            operation: self.operation.to_string(),
            status: self.status,
            raw: truncated(self.value.to_string().as_bytes()),
            source,
        }
    }
}

fn content_range_values<E>(
    transport: Transport,
    request: Result<Request, Error<E>>,
    page_size: u32,
) -> BoxStream<'static, Result<RawItem, Error<E>>>
where
    E: DeserializeOwned + Send + 'static,
{
    let request = match request {
        Ok(request) => request,
        Err(e) => return stream::once(std::future::ready(Err(e))).boxed(),
    };
    let limit = page_size.clamp(1, MAX_PAGE);
    let operation: Arc<str> = request.operation_name().into();
    stream::try_unfold(Some(0u64), move |offset| {
        let transport = transport.clone();
        let request = request.clone();
        let operation = operation.clone();
        async move {
            let Some(offset) = offset else {
                return Ok(None);
            };
            let page = request.query("offset", offset).query("limit", limit);
            let raw = transport.send::<E>(page).await?;
            let status = raw.status();
            let next = match status {
                200 => None,
                206 => {
                    let range = raw
                        .headers()
                        .get(http::header::CONTENT_RANGE)
                        .and_then(|v| v.to_str().ok())
                        .and_then(parse_content_range)
                        .ok_or_else(|| {
                            raw.decode_error(
                                "206 without a valid Content-Range: first-last/total".into(),
                            )
                        })?;
                    let next = range.last + 1;
                    range.total.is_none_or(|total| next < total).then_some(next)
                }
                // Past the end: the collection shrank while it was paged. On the first page
                // it is a refused request instead.
                416 if offset > 0 => {
                    tracing::warn!(
                        %operation,
                        offset,
                        "the collection shrank while it was read page by page (416 at offset \
                         {offset}); the items before it are all there is"
                    );
                    return Ok(None);
                }
                _ => return Err(raw.error()),
            };
            let items = raw.json::<Vec<Value>, E>()?.into_body();
            let next = next.filter(|_| !items.is_empty());
            let items = items.into_iter().map(move |value| {
                Ok(RawItem {
                    value,
                    operation: operation.clone(),
                    status,
                })
            });
            Ok(Some((stream::iter(items), next)))
        }
    })
    .try_flatten()
    .boxed()
}

/// Streams every item of an LCM-style paged resource: decodes each page as `P`, lets `split`
/// take out its items and its `next` href, and follows that href (path and query only, sent
/// to the transport's origin) until there is none or a page comes back empty.
pub fn follow_next<P, I, E>(
    transport: impl Into<Transport>,
    request: Request,
    split: fn(P) -> (Vec<I>, Option<String>),
) -> BoxStream<'static, Result<I, Error<E>>>
where
    P: DeserializeOwned + Send + 'static,
    I: Send + 'static,
    E: DeserializeOwned + Send + 'static,
{
    let transport = transport.into();
    stream::try_unfold(Some(request), move |request| {
        let transport = transport.clone();
        async move {
            let Some(request) = request else {
                return Ok(None);
            };
            let raw = transport.send::<E>(request.clone()).await?;
            if !(200..300).contains(&raw.status()) {
                return Err(raw.error());
            }
            let (items, next) = split(raw.json::<P, E>()?.into_body());
            let next = next
                .filter(|_| !items.is_empty())
                .map(|href| request.with_href(&href));
            Ok(Some((items, next)))
        }
    })
    .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
    .boxed()
}

/// A parsed `Content-Range`.
#[derive(Debug, PartialEq, Eq)]
struct ContentRange {
    last: u64,
    /// `None` when the server sent `*`.
    total: Option<u64>,
}

/// Reads `first-last/total` (PowerStore sends no unit; `items ` is tolerated).
/// Every item of a collection whose pages link to the next one (a next-link declared in
/// a spec): `items` is the JSON pointer of the items in a page; `next` the pointer of
/// either the next page's href (a string), a link object with an `href`, or a list of
/// link objects, where the one whose `rel` is `rel` (compared ignoring case) is followed.
/// The links are followed on the transport's own origin ([`Request::with_href`]). Pages
/// are read as JSON; only the items are decoded into `I`.
pub fn next_link<I, E>(
    transport: impl Into<Transport>,
    request: Result<Request, Error<E>>,
    items: &'static str,
    next: &'static str,
    rel: &'static str,
) -> BoxStream<'static, Result<I, Error<E>>>
where
    I: DeserializeOwned + Send + 'static,
    E: DeserializeOwned + Send + 'static,
{
    let request = match request {
        Ok(request) => request,
        Err(error) => return stream::once(async move { Err(error) }).boxed(),
    };
    let transport = transport.into();
    stream::try_unfold(Some(request), move |request| {
        let transport = transport.clone();
        async move {
            let Some(request) = request else {
                return Ok(None);
            };
            let raw = transport.send::<E>(request.clone()).await?;
            if !(200..300).contains(&raw.status()) {
                return Err(raw.error());
            }
            let status = raw.status();
            let mut page = raw.json::<serde_json::Value, E>()?.into_body();
            let href = page.pointer(next).and_then(|links| next_href(links, rel));
            let found = match page.pointer_mut(items).map(serde_json::Value::take) {
                Some(serde_json::Value::Array(found)) => found,
                _ => Vec::new(),
            };
            let operation: Arc<str> = request.operation_name().into();
            let following = href
                .filter(|_| !found.is_empty())
                .map(|href| request.with_href(&href));
            let found: Vec<RawItem> = found
                .into_iter()
                .map(|value| RawItem {
                    value,
                    operation: operation.clone(),
                    status,
                })
                .collect();
            Ok(Some((found, following)))
        }
    })
    .map_ok(|found| stream::iter(found.into_iter().map(Ok)))
    .try_flatten()
    .map(decode_item)
    .boxed()
}

/// The href a page's next-link node names.
fn next_href(links: &serde_json::Value, rel: &str) -> Option<String> {
    use serde_json::Value;
    match links {
        Value::String(href) if !href.is_empty() => Some(href.clone()),
        Value::Object(link) => link.get("href").and_then(Value::as_str).map(str::to_owned),
        Value::Array(links) => links
            .iter()
            .find(|l| {
                l.get("rel")
                    .and_then(Value::as_str)
                    .is_some_and(|r| r.eq_ignore_ascii_case(rel))
            })
            .and_then(|l| l.get("href"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        _ => None,
    }
}

fn parse_content_range(value: &str) -> Option<ContentRange> {
    let value = value.trim();
    let value = value.strip_prefix("items ").unwrap_or(value);
    let (range, total) = value.split_once('/')?;
    let (first, last) = range.trim().split_once('-')?;
    let (first, last) = (
        first.trim().parse::<u64>().ok()?,
        last.trim().parse::<u64>().ok()?,
    );
    let total = match total.trim() {
        "*" => None,
        n => Some(n.parse().ok()?),
    };
    (first <= last).then_some(ContentRange { last, total })
}

impl From<&Transport> for Transport {
    fn from(transport: &Transport) -> Self {
        transport.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges() {
        let range = |last, total| Some(ContentRange { last, total });
        assert_eq!(parse_content_range("0-99/1000"), range(99, Some(1000)));
        assert_eq!(
            parse_content_range("items 100-199/789"),
            range(199, Some(789))
        );
        assert_eq!(parse_content_range("0-3/*"), range(3, None));
        for bad in ["", "0-99", "bytes 0-99/100", "a-b/c", "9-3/10", "0-99/x"] {
            assert_eq!(parse_content_range(bad), None, "{bad}");
        }
    }
}
