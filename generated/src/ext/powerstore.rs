//! PowerStore: logging in to an array, and finding an import session by name.
//!
//! Waiting for jobs and import sessions is declared in the overlay (`x-migrate-waiter`) and
//! generated (`Client::wait_until_job_done`, `wait_until_import_session_ready`,
//! `wait_until_import_session_completed`, with the rules in `powerstore::waiters`); what is
//! left here spans calls no spec operation describes: a login session, and a name turned into
//! an id by a filtered collection query.

use super::ConnectOptions;
use crate::powerstore::operations::ImportSessionCollectionQueryParams;
use crate::powerstore::types::ImportSessionInstance;
use crate::powerstore::Client;
use migrate_runtime::{Auth, Error, Secret};
use std::convert::Infallible;

/// The fields a lookup by name returns: enough to tell the session apart and see where it is.
const SESSION_SELECT: &str = "id,name,state,progress_percentage,estimated_completion_timestamp,\
                              error,last_update_timestamp,type,remote_system_id,source_resource_id";

/// A client for the array at `host_url` (`https://array`), logging in with a PowerStore session
/// (`auth_cookie` plus `DELL-EMC-TOKEN`) on first use and again when the session expires.
pub fn connect(
    host_url: &str,
    user: impl Into<String>,
    password: impl Into<Secret>,
    options: &ConnectOptions,
) -> Result<Client, Error<Infallible>> {
    let auth = Auth::PowerStore {
        user: user.into(),
        password: password.into(),
    };
    options
        .transport(host_url, Client::BASE_PATH, auth)
        .map(Client::new)
}

/// The import session named `name`, if there is one (`GET /import_session?name=eq.<name>`).
///
/// The server compares names ignoring case; an exact match is preferred over one that differs
/// only in case.
pub async fn find_import_session_by_name(
    client: &Client,
    name: &str,
) -> Result<Option<ImportSessionInstance>, Error<serde_json::Value>> {
    let params = ImportSessionCollectionQueryParams {
        select: Some(SESSION_SELECT.to_owned()),
        filter: vec![("name".to_owned(), format!("eq.{name}"))],
        ..ImportSessionCollectionQueryParams::default()
    };
    let mut found = client
        .import_session_collection_query(&params)
        .await?
        .into_body();
    let exact = found.iter().position(|s| s.name.as_deref() == Some(name));
    Ok(match exact {
        Some(i) => Some(found.swap_remove(i)),
        None => found.into_iter().next(),
    })
}
