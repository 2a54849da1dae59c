//! The PowerStore objects that exist before any test runs: remote (source) systems with the
//! resources they offer for import, volumes, volume groups.
//!
//! Why separate: the seed data is what a new user sees first in the README quick start, and
//! the ids must stay stable between runs so that examples and tests can name them; the objects
//! themselves only need a handful of `*_instance` fields from the vendor spec.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Value};

use super::query::Schema;
use super::state::timestamp;

/// A heritage system that import sessions copy from (`remote_system_instance`).
#[derive(Clone, Debug)]
pub(crate) struct RemoteSystem {
    pub(crate) id: String,
    pub(crate) name: String,
    system_type: &'static str,
    serial_number: &'static str,
    version: &'static str,
    management_address: &'static str,
    /// Resources on that system that can be imported: (id, is a consistency group).
    pub(crate) sources: Vec<(String, bool)>,
}

pub(crate) const REMOTE_SYSTEM_SCHEMA: Schema = Schema {
    name: "remote_system",
    fields: &[
        "id",
        "name",
        "description",
        "serial_number",
        "version",
        "management_address",
        "management_port",
        "type",
        "user_name",
        "state",
        "data_connection_type",
        "data_connection_state",
        "iscsi_addresses",
        "fc_target_wwns",
        "discovery_chap_mode",
        "session_chap_mode",
        "data_network_latency",
        "data_connections",
        "capabilities",
        "file_connection_address",
        "file_connection_state",
        "vnx_file_username",
        "ppdd_storage_unit_details",
        "appliance_details",
        "unity_file_details",
        "powerstore_data_network_configuration",
        "type_l10n",
        "state_l10n",
        "data_connection_type_l10n",
        "data_connection_state_l10n",
        "discovery_chap_mode_l10n",
        "session_chap_mode_l10n",
        "data_network_latency_l10n",
        "capabilities_l10n",
        "file_connection_state_l10n",
    ],
    embeddable: &["import_sessions"],
};

impl RemoteSystem {
    /// The full `remote_system_instance` JSON; what the simulator does not model (file
    /// import, PowerStore and Data Domain details) is `null`.
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "description": format!("Simulated {} source system", self.system_type),
            "serial_number": self.serial_number,
            "version": self.version,
            "management_address": self.management_address,
            "management_port": 443,
            "type": self.system_type,
            "user_name": "admin",
            "state": "OK",
            "data_connection_type": "iSCSI",
            "data_connection_state": "OK",
            "iscsi_addresses": [self.data_address()],
            "fc_target_wwns": [],
            "discovery_chap_mode": "Disabled",
            "session_chap_mode": "Disabled",
            "data_network_latency": "Low",
            "data_connections": [],
            "capabilities": ["Block_Nondisruptive_Import", "Block_Agentless_Import"],
            "file_connection_address": null,
            "file_connection_state": null,
            "vnx_file_username": null,
            "ppdd_storage_unit_details": null,
            "appliance_details": null,
            "unity_file_details": null,
            "powerstore_data_network_configuration": null,
            "type_l10n": self.system_type,
            "state_l10n": "OK",
            "data_connection_type_l10n": "iSCSI",
            "data_connection_state_l10n": "OK",
            "discovery_chap_mode_l10n": "Disabled",
            "session_chap_mode_l10n": "Disabled",
            "data_network_latency_l10n": "Low",
            "capabilities_l10n": ["Block Nondisruptive Import", "Block Agentless Import"],
            "file_connection_state_l10n": null,
        })
    }

    /// The iSCSI data address: the management address with 100 added to the last octet.
    fn data_address(&self) -> String {
        match self.management_address.rsplit_once('.') {
            Some((net, last)) => {
                let last: u16 = last.parse().unwrap_or(0);
                format!("{net}.{}", (last + 100) % 256)
            }
            None => self.management_address.to_string(),
        }
    }
}

/// A PowerStore volume (`volume_instance`).
#[derive(Clone, Debug)]
pub(crate) struct Volume {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) size: i64,
    pub(crate) protection_policy_id: Option<String>,
    pub(crate) qos_performance_policy_id: Option<String>,
    created: DateTime<Utc>,
}

pub(crate) const VOLUME_SCHEMA: Schema = Schema {
    name: "volume",
    fields: &[
        "id",
        "name",
        "description",
        "type",
        "wwn",
        "nsid",
        "nguid",
        "appliance_id",
        "state",
        "size",
        "logical_used",
        "node_affinity",
        "creation_timestamp",
        "protection_policy_id",
        "performance_policy_id",
        "qos_performance_policy_id",
        "is_replication_destination",
        "migration_session_id",
        "metro_replication_session_id",
        "is_host_access_available",
        "app_type",
        "app_type_other",
        "type_l10n",
        "state_l10n",
        "node_affinity_l10n",
        "app_type_l10n",
    ],
    embeddable: &["volume_groups"],
};

impl Volume {
    pub(crate) fn new(id: String, name: String, size: i64, created: DateTime<Utc>) -> Self {
        Volume {
            id,
            name,
            description: None,
            size,
            protection_policy_id: None,
            qos_performance_policy_id: None,
            created,
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        let wwn_tail: String = self
            .id
            .chars()
            .filter(char::is_ascii_hexdigit)
            .take(24)
            .collect();
        let hex = |s: &str| -> String { s.chars().filter(char::is_ascii_hexdigit).collect() };
        // NVMe namespace id: the low 24 bits of the id's last group, so seeds get 1, 2, ...
        let digits = hex(&self.id);
        let nsid = i32::from_str_radix(&digits[digits.len().saturating_sub(6)..], 16).unwrap_or(1);
        json!({
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "type": "Primary",
            "wwn": format!("naa.68ccf098{wwn_tail}"),
            "nsid": nsid,
            "nguid": format!("nguid.{:0<32}", hex(&self.id).chars().take(32).collect::<String>()),
            "appliance_id": "A1",
            "state": "Ready",
            "size": self.size,
            "logical_used": self.size / 4,
            "node_affinity": "System_Select_At_Attach",
            "creation_timestamp": timestamp(self.created),
            "protection_policy_id": self.protection_policy_id,
            "performance_policy_id": "default_medium",
            "qos_performance_policy_id": self.qos_performance_policy_id,
            "is_replication_destination": false,
            "migration_session_id": null,
            "metro_replication_session_id": null,
            "is_host_access_available": true,
            "app_type": null,
            "app_type_other": null,
            "type_l10n": "Primary",
            "state_l10n": "Ready",
            "node_affinity_l10n": "System Select At Attach",
            "app_type_l10n": null,
        })
    }
}

/// A PowerStore volume group (`volume_group_instance`).
#[derive(Clone, Debug)]
pub(crate) struct VolumeGroup {
    pub(crate) id: String,
    pub(crate) name: String,
    description: &'static str,
    write_order_consistent: bool,
    created: DateTime<Utc>,
}

pub(crate) const VOLUME_GROUP_SCHEMA: Schema = Schema {
    name: "volume_group",
    fields: &[
        "id",
        "name",
        "description",
        "creation_timestamp",
        "is_protectable",
        "protection_policy_id",
        "qos_performance_policy_id",
        "migration_session_id",
        "is_write_order_consistent",
        "placement_rule",
        "type",
        "is_replication_destination",
        "metro_replication_session_id",
        "is_host_access_available",
        "is_importing",
        "type_l10n",
    ],
    embeddable: &["volumes"],
};

impl VolumeGroup {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "creation_timestamp": timestamp(self.created),
            "is_protectable": true,
            "protection_policy_id": null,
            "qos_performance_policy_id": null,
            "migration_session_id": null,
            "is_write_order_consistent": self.write_order_consistent,
            "placement_rule": "Same_Appliance",
            "type": "Primary",
            "is_replication_destination": false,
            "metro_replication_session_id": null,
            "is_host_access_available": true,
            "is_importing": false,
            "type_l10n": "Primary",
        })
    }
}

/// A stable, valid UUID for seed object number `n` of kind `kind` (a 4-hex-digit tag).
pub(crate) fn seed_id(kind: u16, n: usize) -> String {
    format!("{kind:04x}0000-5e1d-4000-8000-{n:012}")
}

/// The seeded inventory.
pub(crate) struct Inventory {
    pub(crate) remote_systems: Vec<RemoteSystem>,
    pub(crate) volumes: Vec<Volume>,
    pub(crate) volume_groups: Vec<VolumeGroup>,
}

/// When the seeded objects were "created".
pub(crate) fn seed_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 1, 9, 30, 0)
        .single()
        .unwrap_or_else(Utc::now)
}

impl Inventory {
    pub(crate) fn seeded(extra_volumes: usize) -> Self {
        let remote_systems = vec![
            RemoteSystem {
                id: seed_id(0xa1, 1),
                name: "unity-src-01".to_string(),
                system_type: "Unity",
                serial_number: "CKM00190100123",
                version: "5.2.0",
                management_address: "10.20.30.41",
                sources: vec![
                    ("sv_101".to_string(), false),
                    ("sv_102".to_string(), false),
                    ("sv_103".to_string(), false),
                    ("res_cg_7".to_string(), true),
                ],
            },
            RemoteSystem {
                id: seed_id(0xa1, 2),
                name: "vnx-src-02".to_string(),
                system_type: "VNX",
                serial_number: "APM00152301987",
                version: "05.33.021.5.256",
                management_address: "10.20.30.42",
                sources: vec![
                    ("vnx_lun_21".to_string(), false),
                    ("vnx_lun_22".to_string(), false),
                    ("vnx_cg_3".to_string(), true),
                ],
            },
        ];
        let created = seed_time();
        let fixed = ["app-data-01", "app-data-02", "app-logs-01", "db-redo-01"];
        let volumes = fixed
            .iter()
            .map(|n| n.to_string())
            .chain((1..=extra_volumes).map(|i| format!("scratch-{i:03}")))
            .enumerate()
            .map(|(i, name)| {
                Volume::new(
                    seed_id(0xb2, i + 1),
                    name,
                    (i as i64 + 1) * 8 * 1024 * 1024 * 1024,
                    created,
                )
            })
            .collect();
        let volume_groups = vec![
            VolumeGroup {
                id: seed_id(0xc3, 1),
                name: "vg-oracle".to_string(),
                description: "Oracle data and redo volumes",
                write_order_consistent: true,
                created,
            },
            VolumeGroup {
                id: seed_id(0xc3, 2),
                name: "vg-sql".to_string(),
                description: "SQL Server volumes",
                write_order_consistent: false,
                created,
            },
        ];
        Inventory {
            remote_systems,
            volumes,
            volume_groups,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(v: &Value) -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    }

    fn sorted(fields: &[&str]) -> Vec<String> {
        let mut f: Vec<String> = fields.iter().map(|s| s.to_string()).collect();
        f.sort();
        f
    }

    #[test]
    fn schemas_list_exactly_the_rendered_fields() {
        let inv = Inventory::seeded(1);
        assert_eq!(
            keys(&inv.remote_systems[0].to_json()),
            sorted(REMOTE_SYSTEM_SCHEMA.fields)
        );
        assert_eq!(
            keys(&inv.volumes[0].to_json()),
            sorted(VOLUME_SCHEMA.fields)
        );
        assert_eq!(
            keys(&inv.volume_groups[0].to_json()),
            sorted(VOLUME_GROUP_SCHEMA.fields)
        );
        assert!(uuid::Uuid::parse_str(&seed_id(0xa1, 1)).is_ok());
    }
}
