//! `migrate remote-system list|get`: the source systems import sessions copy from.

use clap::Subcommand;
use migrate_clients::powerstore::operations::{
    RemoteSystemCollectionQueryParams, RemoteSystemInstanceQueryParams,
};
use migrate_clients::powerstore::types::RemoteSystemInstance;
use migrate_clients::powerstore::Client;

use crate::commands::{list_items, ListArgs};
use crate::context::Context;
use crate::exit::Failure;
use crate::input::{self, flag_error};
use crate::service::POWERSTORE;

/// `migrate remote-system ...`
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List remote systems.
    List(ListArgs),
    /// Show one remote system.
    Get {
        /// Remote system id.
        #[arg(value_parser = input::text)]
        id: String,
    },
}

/// Columns of the remote system table.
const COLUMNS: &[&str] = &["id", "name", "type", "management_address", "state"];

/// Runs one `remote-system` command.
pub async fn run(ctx: &Context, command: Command) -> Result<(), Failure> {
    match command {
        Command::List(args) => {
            let params = RemoteSystemCollectionQueryParams {
                select: args.select_param(),
                order: args.order.clone(),
                limit: args.limit,
                filter: args.filters()?,
                ..RemoteSystemCollectionQueryParams::default()
            };
            let request =
                Client::remote_system_collection_query_request(&params).map_err(flag_error(&[]))?;
            ctx.send(&POWERSTORE, &request, async |client| {
                let systems: Vec<RemoteSystemInstance> = list_items(
                    args.all,
                    || client.remote_system_collection_query_stream(&params),
                    || client.remote_system_collection_query(&params),
                )
                .await?;
                ctx.printer.list(&systems, &args.columns(COLUMNS))
            })
            .await
        }
        Command::Get { id } => {
            let params = RemoteSystemInstanceQueryParams::default();
            let request = Client::remote_system_instance_query_request(&id, &params)?;
            ctx.send(&POWERSTORE, &request, async |client| {
                let system = client
                    .remote_system_instance_query(&id, &params)
                    .await?
                    .into_body();
                ctx.printer.one(&system)
            })
            .await
        }
    }
}
