//! The one async function every generated operation runs.
//!
//! A generated method builds its request synchronously and hands it here with
//! a plain `fn` that decodes the response by status. Keeping the `async` part
//! in one generic function (compiled once per result type) instead of one
//! `async fn` per operation keeps the state machines, and the build time of a
//! large generated crate, small.

use crate::{Error, RawResponse, Request, Response, Transport};

/// How a generated operation turns a raw response into its result.
pub type Decode<T, E> = fn(RawResponse) -> Result<Response<T>, Error<E>>;

/// Sends `request` (or returns its build error without sending anything) and
/// decodes the answer with `decode`.
pub async fn call<T, E>(
    transport: &Transport,
    request: Result<Request, Error<E>>,
    decode: Decode<T, E>,
) -> Result<Response<T>, Error<E>> {
    let response = transport.send(request?).await?;
    decode(response)
}
