//! `migrate remote-system list|get`: the source systems import sessions copy from.

use clap::Subcommand;
use migrate_clients::powerstore::operations::{
    RemoteSystemCollectionQueryParams, RemoteSystemInstanceQueryParams,
};
use migrate_clients::powerstore::Client;

use crate::commands::{list_items, resolve, say_more, ListArgs};
use crate::context::Context;
use crate::exit::Failure;
use crate::input;
use crate::service::POWERSTORE;

/// `migrate remote-system ...`
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List remote systems.
    #[command(after_help = LIST_EXAMPLES)]
    List(ListArgs),
    /// Show one remote system.
    #[command(after_help = GET_EXAMPLES)]
    Get {
        /// Remote system id, or name:NAME.
        #[arg(value_parser = input::id, add = crate::complete::remote_systems())]
        id: String,
    },
}

const LIST_EXAMPLES: &str = "\
Examples:
  migrate remote-system list
  migrate remote-system list --filter type=eq.Unity --select id,name,state
  migrate remote-system list -o text | cut -f2          # the names";

const GET_EXAMPLES: &str = "\
Examples:
  migrate remote-system get name:unity-src-01
  migrate remote-system get 00a10000-5e1d-4000-8000-000000000001 -o json
  migrate remote-system get name:unity-src-01 --query import_sessions[].name";

/// Columns of the remote system table, and the ones `-o wide` adds.
const COLUMNS: &[&str] = &["id", "name", "type", "management_address", "state"];
const WIDE: &[&str] = &[
    "version",
    "data_connection_type",
    "data_connection_state",
    "serial_number",
];

/// Runs one `remote-system` command.
pub async fn run(ctx: &Context, command: Command) -> Result<(), Failure> {
    match command {
        Command::List(args) => {
            let params = RemoteSystemCollectionQueryParams {
                select: args.select_param(),
                order: args.order.clone(),
                filter: args.filters()?,
                ..RemoteSystemCollectionQueryParams::default()
            };
            let request =
                args.first_request(&params, Client::remote_system_collection_query_request)?;
            ctx.send(&POWERSTORE, &request, async |client| {
                let listed = list_items(
                    &args,
                    |limit| {
                        let params = RemoteSystemCollectionQueryParams {
                            limit,
                            ..params.clone()
                        };
                        async move { client.remote_system_collection_query(&params).await }
                    },
                    |page_size| {
                        let params = RemoteSystemCollectionQueryParams {
                            limit: Some(page_size),
                            ..params.clone()
                        };
                        client.remote_system_collection_query_stream(&params)
                    },
                )
                .await?;
                ctx.printer
                    .list(&listed.items, &args.columns(COLUMNS), args.wide(WIDE))?;
                say_more(
                    ctx,
                    listed.items.len(),
                    listed.total,
                    false,
                    "remote systems",
                );
                Ok(())
            })
            .await
        }
        Command::Get { id } => {
            let params = RemoteSystemInstanceQueryParams::default();
            let request = Client::remote_system_instance_query_request(&id, &params)?;
            ctx.send(&POWERSTORE, &request, async |client| {
                let id = resolve_remote_system(client, &id).await?;
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

/// An id, or the id of the remote system named by `name:NAME`.
pub async fn resolve_remote_system(client: &Client, id: &str) -> Result<String, Failure> {
    resolve(id, "remote system", async |filter| {
        let params = RemoteSystemCollectionQueryParams {
            select: Some("id,name".to_string()),
            filter,
            ..RemoteSystemCollectionQueryParams::default()
        };
        client.remote_system_collection_query(&params).await
    })
    .await
}
