//! `migrate volume list|get` and `migrate volume-group list|get`: the PowerStore volumes and
//! volume groups import sessions create or join (a session's `destination_resource_id`, its
//! `--volume-group-id`).

use clap::Subcommand;
use migrate_clients::powerstore::operations::{
    VolumeCollectionQueryParams, VolumeGroupCollectionQueryParams, VolumeGroupInstanceQueryParams,
    VolumeInstanceQueryParams,
};
use migrate_clients::powerstore::Client;

use crate::commands::{list_items, resolve, say_more, ListArgs};
use crate::context::Context;
use crate::exit::Failure;
use crate::input;
use crate::service::POWERSTORE;

/// `migrate volume ...`
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List volumes.
    #[command(after_help = VOLUME_LIST_EXAMPLES)]
    List(ListArgs),
    /// Show one volume.
    #[command(after_help = VOLUME_GET_EXAMPLES)]
    Get {
        /// Volume id, or name:NAME.
        #[arg(value_parser = input::id, add = crate::complete::volumes())]
        id: String,
    },
}

/// `migrate volume-group ...`
#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// List volume groups.
    #[command(after_help = GROUP_LIST_EXAMPLES)]
    List(ListArgs),
    /// Show one volume group.
    #[command(after_help = GROUP_GET_EXAMPLES)]
    Get {
        /// Volume group id, or name:NAME.
        #[arg(value_parser = input::id, add = crate::complete::volume_groups())]
        id: String,
    },
}

const VOLUME_LIST_EXAMPLES: &str = "\
Examples:
  migrate volume list --filter name=ilike.db*
  migrate volume list --order size.desc --limit 10 -o wide
  migrate volume list --all --query \"[?migration_session_id].name\"";

const VOLUME_GET_EXAMPLES: &str = "\
Examples:
  migrate volume get name:db01-dest
  migrate volume get name:db01-dest --query size";

const GROUP_LIST_EXAMPLES: &str = "\
Examples:
  migrate volume-group list
  migrate volume-group list -o text | cut -f1,2";

const GROUP_GET_EXAMPLES: &str = "\
Examples:
  migrate volume-group get name:vg-oracle
  migrate volume-group get name:vg-oracle --query volumes[].name";

const VOLUME_COLUMNS: &[&str] = &["id", "name", "state", "size", "type"];
const VOLUME_WIDE: &[&str] = &[
    "logical_used",
    "wwn",
    "creation_timestamp",
    "migration_session_id",
];
const GROUP_COLUMNS: &[&str] = &["id", "name", "is_importing", "creation_timestamp"];
const GROUP_WIDE: &[&str] = &[
    "is_write_order_consistent",
    "protection_policy_id",
    "migration_session_id",
];

/// Runs one `volume` command.
pub async fn run(ctx: &Context, command: Command) -> Result<(), Failure> {
    match command {
        Command::List(args) => {
            let params = VolumeCollectionQueryParams {
                select: args.select_param(),
                order: args.order.clone(),
                filter: args.filters()?,
                ..VolumeCollectionQueryParams::default()
            };
            let request = args.first_request(&params, Client::volume_collection_query_request)?;
            ctx.send(&POWERSTORE, &request, async |client| {
                let listed = list_items(
                    &args,
                    |limit| {
                        let params = VolumeCollectionQueryParams {
                            limit,
                            ..params.clone()
                        };
                        async move { client.volume_collection_query(&params).await }
                    },
                    |page_size| {
                        let params = VolumeCollectionQueryParams {
                            limit: Some(page_size),
                            ..params.clone()
                        };
                        client.volume_collection_query_stream(&params)
                    },
                )
                .await?;
                ctx.printer.list(
                    &listed.items,
                    &args.columns(VOLUME_COLUMNS),
                    args.wide(VOLUME_WIDE),
                )?;
                say_more(ctx, listed.items.len(), listed.total, false, "volumes");
                Ok(())
            })
            .await
        }
        Command::Get { id } => {
            let params = VolumeInstanceQueryParams::default();
            let request = Client::volume_instance_query_request(&id, &params)?;
            ctx.send(&POWERSTORE, &request, async |client| {
                let id = resolve_volume(client, &id).await?;
                let volume = client
                    .volume_instance_query(&id, &params)
                    .await?
                    .into_body();
                ctx.printer.one(&volume)
            })
            .await
        }
    }
}

/// Runs one `volume-group` command.
pub async fn run_group(ctx: &Context, command: GroupCommand) -> Result<(), Failure> {
    match command {
        GroupCommand::List(args) => {
            let params = VolumeGroupCollectionQueryParams {
                select: args.select_param(),
                order: args.order.clone(),
                filter: args.filters()?,
                ..VolumeGroupCollectionQueryParams::default()
            };
            let request =
                args.first_request(&params, Client::volume_group_collection_query_request)?;
            ctx.send(&POWERSTORE, &request, async |client| {
                let listed = list_items(
                    &args,
                    |limit| {
                        let params = VolumeGroupCollectionQueryParams {
                            limit,
                            ..params.clone()
                        };
                        async move { client.volume_group_collection_query(&params).await }
                    },
                    |page_size| {
                        let params = VolumeGroupCollectionQueryParams {
                            limit: Some(page_size),
                            ..params.clone()
                        };
                        client.volume_group_collection_query_stream(&params)
                    },
                )
                .await?;
                ctx.printer.list(
                    &listed.items,
                    &args.columns(GROUP_COLUMNS),
                    args.wide(GROUP_WIDE),
                )?;
                say_more(
                    ctx,
                    listed.items.len(),
                    listed.total,
                    false,
                    "volume groups",
                );
                Ok(())
            })
            .await
        }
        GroupCommand::Get { id } => {
            let params = VolumeGroupInstanceQueryParams::default();
            let request = Client::volume_group_instance_query_request(&id, &params)?;
            ctx.send(&POWERSTORE, &request, async |client| {
                let id = resolve_volume_group(client, &id).await?;
                let group = client
                    .volume_group_instance_query(&id, &params)
                    .await?
                    .into_body();
                ctx.printer.one(&group)
            })
            .await
        }
    }
}

/// An id, or the id of the volume named by `name:NAME`.
pub async fn resolve_volume(client: &Client, id: &str) -> Result<String, Failure> {
    resolve(id, "volume", async |filter| {
        let params = VolumeCollectionQueryParams {
            select: Some("id,name".to_string()),
            filter,
            ..VolumeCollectionQueryParams::default()
        };
        client.volume_collection_query(&params).await
    })
    .await
}

/// An id, or the id of the volume group named by `name:NAME`.
pub async fn resolve_volume_group(client: &Client, id: &str) -> Result<String, Failure> {
    resolve(id, "volume group", async |filter| {
        let params = VolumeGroupCollectionQueryParams {
            select: Some("id,name".to_string()),
            filter,
            ..VolumeGroupCollectionQueryParams::default()
        };
        client.volume_group_collection_query(&params).await
    })
    .await
}
