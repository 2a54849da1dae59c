//! `migrate remote-system list|get`: the source systems import sessions copy from.

use migrate_clients::powerstore::operations::{
    RemoteSystemCollectionQueryParams, RemoteSystemInstanceQueryParams,
};
use migrate_clients::powerstore::types::RemoteSystemInstance;
use migrate_clients::powerstore::Client;

use crate::cli::RemoteSystem;
use crate::commands::import_session::filters;
use crate::commands::list_items;
use crate::context::{Context, Service};
use crate::exit::Failure;

/// Columns of the remote system table.
const COLUMNS: &[&str] = &["id", "name", "type", "management_address", "state"];

/// Runs one `remote-system` command.
pub async fn run(ctx: &Context, command: RemoteSystem) -> Result<(), Failure> {
    match command {
        RemoteSystem::List(args) => {
            let params = RemoteSystemCollectionQueryParams {
                select: args.select_param(),
                order: args.order.clone(),
                limit: args.limit,
                filter: filters(&args.filter)?,
                ..RemoteSystemCollectionQueryParams::default()
            };
            let request = Client::remote_system_collection_query_request(&params)?;
            if ctx.dry_run(Service::PowerStore, &request)? {
                return Ok(());
            }
            let client = ctx.powerstore()?;
            let systems: Vec<RemoteSystemInstance> = list_items(
                args.all,
                || client.remote_system_collection_query_stream(&params),
                || client.remote_system_collection_query(&params),
            )
            .await?;
            ctx.printer.list(&systems, &args.columns(COLUMNS))
        }
        RemoteSystem::Get { id } => {
            let params = RemoteSystemInstanceQueryParams::default();
            let request = Client::remote_system_instance_query_request(&id, &params)?;
            if ctx.dry_run(Service::PowerStore, &request)? {
                return Ok(());
            }
            let client = ctx.powerstore()?;
            let system = client
                .remote_system_instance_query(&id, &params)
                .await?
                .into_body();
            ctx.printer.one(&system)
        }
    }
}
