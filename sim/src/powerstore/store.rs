//! The PowerStore object store: inventory, import sessions and jobs, and the operations the
//! routes perform on them.
//!
//! Why separate from the routes: validation of `import_session_create`, the rules for
//! synchronous versus job-driven changes and the per-step advance all work on plain data and
//! are easier to reason about without HTTP in the way. The routes hold the lock only around
//! calls into this module.

use std::time::Duration;

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use super::error::{PsError, CODE_DUPLICATE_NAME, CODE_INJECTED_JOB_FAILURE};
use super::inventory::{seed_id, seed_time, Inventory, Volume};
use super::jobs::{Job, JobEffect, Outcome};
use super::query::Schema;
use super::state::{Action, ImportSession, ImportType, NewSession, SessionState};
use crate::SeedOptions;

pub(crate) const IMPORT_SESSION_SCHEMA: Schema = Schema {
    name: "import_session",
    fields: &[
        "id",
        "type",
        "type_l10n",
        "name",
        "global_storage_discovery_address",
        "description",
        "remote_system_id",
        "source_resource_id",
        "destination_resource_id",
        "destination_resource_type",
        "destination_resource_type_l10n",
        "parent_session_id",
        "state",
        "state_l10n",
        "estimated_completion_timestamp",
        "progress_percentage",
        "average_transfer_rate",
        "current_transfer_rate",
        "protection_policy_id",
        "volume_group_id",
        "automatic_cutover",
        "scheduled_timestamp",
        "error",
        "last_update_timestamp",
    ],
    embeddable: &["remote_system"],
};

pub(crate) const JOB_SCHEMA: Schema = Schema {
    name: "job",
    fields: &[
        "id",
        "resource_action",
        "resource_action_l10n",
        "resource_type",
        "resource_type_l10n",
        "resource_id",
        "resource_name",
        "description_l10n",
        "state",
        "state_l10n",
        "phase",
        "phase_l10n",
        "start_time",
        "end_time",
        "estimated_completion_time",
        "progress_percentage",
        "parent_id",
        "root_id",
        "user",
        "response_body",
        "response_status",
        "response_status_l10n",
        "step_order",
    ],
    embeddable: &["parent", "children", "root", "leafs"],
};

/// Properties `import_session_create` accepts.
const CREATE_FIELDS: &[&str] = &[
    "remote_system_id",
    "source_resource_id",
    "name",
    "global_storage_discovery_address",
    "description",
    "type",
    "host_ids",
    "host_group_ids",
    "consistency_group_member_host_ids",
    "consistency_group_member_host_group_ids",
    "volume_group_id",
    "automatic_cutover",
    "protection_policy_id",
    "scheduled_timestamp",
];

/// Everything PowerStore knows.
pub(crate) struct PsStore {
    pub(crate) inventory: Inventory,
    sessions: Vec<ImportSession>,
    jobs: Vec<Job>,
    /// Jobs still to be created that must fail (the `fail_next_job` fault).
    failures_armed: u32,
}

fn optional_string(body: &Map<String, Value>, field: &str) -> Result<Option<String>, PsError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(
            PsError::bad_request(format!("The property {field} must be a string."))
                .with_argument(field),
        ),
    }
}

fn required_string(body: &Map<String, Value>, field: &str) -> Result<String, PsError> {
    optional_string(body, field)?.ok_or_else(|| {
        PsError::bad_request(format!("The required property {field} is missing."))
            .with_argument(field)
    })
}

/// Parses a `date-time` property value.
pub(crate) fn parse_timestamp(field: &str, text: &str) -> Result<DateTime<Utc>, PsError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            PsError::bad_request(format!(
                "The property {field} is not a valid date-time: '{text}'."
            ))
            .with_argument(field)
        })
}

fn check_name(name: &str) -> Result<(), PsError> {
    let length = name.chars().count();
    if !(1..=128).contains(&length) {
        return Err(PsError::bad_request(format!(
            "The name must be 1 to 128 characters long; it has {length}."
        ))
        .with_argument(name));
    }
    if name
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "<>\"%&".contains(c))
    {
        return Err(PsError::bad_request(format!(
            "The name '{name}' contains white space or a special character."
        ))
        .with_argument(name));
    }
    Ok(())
}

impl PsStore {
    pub(crate) fn seeded(options: &SeedOptions) -> Self {
        let inventory = Inventory::seeded(options.powerstore_extra_volumes);
        let start = seed_time();
        let minutes = |m| start + chrono::Duration::minutes(m);
        let vols = &inventory.volumes;
        let groups = &inventory.volume_groups;
        let jobs = vec![
            Job::historical(
                "volume",
                "create",
                &vols[0].id,
                &vols[0].name,
                "Create a volume.",
                Outcome::Done {
                    status: "201",
                    body: Some(json!({"response_type": "job_create_response", "id": vols[0].id})),
                },
                minutes(1),
            ),
            Job::historical(
                "volume_group",
                "modify",
                &groups[0].id,
                "vg-oracle",
                "Modify a volume group.",
                Outcome::Done {
                    status: "204",
                    body: None,
                },
                minutes(2),
            ),
            Job::historical(
                "volume",
                "delete",
                &seed_id(0xb2, 999),
                "old-scratch",
                "Delete a volume.",
                Outcome::Failed(PsError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "0xE0A08001000E",
                    "The volume is mapped to a host and cannot be deleted.",
                )),
                minutes(3),
            ),
        ];
        let sessions = Self::seeded_sessions(&inventory, options.powerstore_import_sessions);
        PsStore {
            inventory,
            sessions,
            jobs,
            failures_armed: 0,
        }
    }

    /// `count` finished sessions copied from the first remote system, a minute apart.
    fn seeded_sessions(inventory: &Inventory, count: usize) -> Vec<ImportSession> {
        let Some(remote) = inventory.remote_systems.first() else {
            return Vec::new();
        };
        (0..count)
            .map(|i| {
                let at = seed_time() + chrono::Duration::minutes(i as i64);
                let spec = NewSession {
                    name: format!("hist-{:05}", i + 1),
                    import_type: ImportType::NonDisruptive,
                    description: None,
                    remote_system_id: remote.id.clone(),
                    source_resource_id: remote.sources[i % remote.sources.len()].0.clone(),
                    destination_resource_type: "volume",
                    global_storage_discovery_address: None,
                    protection_policy_id: None,
                    volume_group_id: None,
                    automatic_cutover: true,
                    scheduled_timestamp: None,
                };
                let mut session = ImportSession::new(spec, at);
                session.force(SessionState::ImportCompleted, at);
                session
            })
            .collect()
    }

    /// Resolves `remote_system_id`, which may be `name:<name>`.
    fn resolve_remote_system(&self, reference: &str) -> Option<&super::inventory::RemoteSystem> {
        let systems = &self.inventory.remote_systems;
        match reference.strip_prefix("name:") {
            Some(name) => systems.iter().find(|r| r.name == name),
            None => systems.iter().find(|r| r.id == reference),
        }
    }

    /// The full JSON of a remote system by id, for embedding.
    pub(crate) fn remote_system_json(&self, id: &str) -> Option<Value> {
        self.inventory
            .remote_systems
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.to_json())
    }

    fn session_index(&self, id: &str) -> Result<usize, PsError> {
        self.sessions
            .iter()
            .position(|s| s.id == id)
            .ok_or_else(|| PsError::not_found("import session", id))
    }

    pub(crate) fn session(&self, id: &str) -> Result<&ImportSession, PsError> {
        Ok(&self.sessions[self.session_index(id)?])
    }

    pub(crate) fn sessions_json(&self) -> Vec<Value> {
        self.sessions.iter().map(ImportSession::to_json).collect()
    }

    /// The full JSON of every import session that copies from remote system `id`.
    pub(crate) fn sessions_of_remote_system(&self, id: &str) -> Vec<Value> {
        self.sessions
            .iter()
            .filter(|s| s.spec.remote_system_id == id)
            .map(ImportSession::to_json)
            .collect()
    }

    pub(crate) fn jobs_json(&self) -> Vec<Value> {
        self.jobs.iter().map(Job::to_json).collect()
    }

    pub(crate) fn job_json(&self, id: &str) -> Result<Value, PsError> {
        self.jobs
            .iter()
            .find(|j| j.id == id)
            .map(Job::to_json)
            .ok_or_else(|| PsError::not_found("job", id))
    }

    /// Validates an `import_session_create` body.
    pub(crate) fn validate_create(&self, body: &Value) -> Result<NewSession, PsError> {
        let body = body
            .as_object()
            .ok_or_else(|| PsError::bad_request("The request body must be a JSON object."))?;
        if let Some(unknown) = body.keys().find(|k| !CREATE_FIELDS.contains(&k.as_str())) {
            return Err(PsError::bad_request(format!(
                "The property {unknown} is not valid for import_session_create."
            ))
            .with_argument(unknown.as_str()));
        }
        let name = required_string(body, "name")?;
        let remote_ref = required_string(body, "remote_system_id")?;
        let source_resource_id = required_string(body, "source_resource_id")?;
        check_name(&name)?;
        if self.sessions.iter().any(|s| s.spec.name == name) {
            return Err(PsError::new(
                StatusCode::BAD_REQUEST,
                CODE_DUPLICATE_NAME,
                format!("An import session named {name} already exists."),
            )
            .with_argument(name));
        }
        let remote = self.resolve_remote_system(&remote_ref).ok_or_else(|| {
            PsError::bad_request(format!("The remote system {remote_ref} does not exist."))
                .with_argument(remote_ref.as_str())
        })?;
        if source_resource_id.is_empty() {
            return Err(PsError::bad_request(
                "The property source_resource_id must not be empty.",
            ));
        }
        let description = optional_string(body, "description")?;
        if description
            .as_ref()
            .is_some_and(|d| d.chars().count() > 128)
        {
            return Err(PsError::bad_request(
                "The description must be at most 128 characters.",
            ));
        }
        let import_type = match optional_string(body, "type")? {
            None => ImportType::NonDisruptive,
            Some(t) => ImportType::parse(&t).ok_or_else(|| {
                PsError::bad_request(format!(
                    "Invalid type '{t}'; expected Non_Disruptive or Agentless."
                ))
                .with_argument(t.as_str())
            })?,
        };
        let automatic_cutover = match body.get("automatic_cutover") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                return Err(PsError::bad_request(
                    "The property automatic_cutover must be a boolean.",
                ))
            }
        };
        let scheduled_timestamp = optional_string(body, "scheduled_timestamp")?
            .map(|t| parse_timestamp("scheduled_timestamp", &t))
            .transpose()?;
        let global_storage_discovery_address =
            optional_string(body, "global_storage_discovery_address")?;
        if let Some(addr) = &global_storage_discovery_address {
            addr.parse::<std::net::IpAddr>().map_err(|_| {
                PsError::bad_request(format!("'{addr}' is not an IP address."))
                    .with_argument(addr.as_str())
            })?;
        }
        // A reference may be `name:<name>`, as for the remote system.
        let volume_group_id = match optional_string(body, "volume_group_id")? {
            None => None,
            Some(vg) => {
                let groups = &self.inventory.volume_groups;
                let found = match vg.strip_prefix("name:") {
                    Some(name) => groups.iter().find(|g| g.name == name),
                    None => groups.iter().find(|g| g.id == vg),
                };
                match found {
                    Some(group) => Some(group.id.clone()),
                    None => {
                        return Err(PsError::bad_request(format!(
                            "The volume group {vg} does not exist."
                        ))
                        .with_argument(vg.as_str()))
                    }
                }
            }
        };
        for list in [
            "host_ids",
            "host_group_ids",
            "consistency_group_member_host_ids",
            "consistency_group_member_host_group_ids",
        ] {
            if !matches!(
                body.get(list),
                None | Some(Value::Null) | Some(Value::Array(_))
            ) {
                return Err(
                    PsError::bad_request(format!("The property {list} must be an array."))
                        .with_argument(list),
                );
            }
        }
        let is_group = remote
            .sources
            .iter()
            .any(|(id, group)| *group && *id == source_resource_id);
        Ok(NewSession {
            name,
            import_type,
            description,
            remote_system_id: remote.id.clone(),
            source_resource_id,
            destination_resource_type: if is_group { "volume_group" } else { "volume" },
            global_storage_discovery_address,
            protection_policy_id: optional_string(body, "protection_policy_id")?,
            volume_group_id,
            automatic_cutover,
            scheduled_timestamp,
        })
    }

    /// Creates a validated session and its destination volume; returns the new id.
    pub(crate) fn create(
        &mut self,
        spec: NewSession,
        now: DateTime<Utc>,
    ) -> Result<String, PsError> {
        if self.sessions.iter().any(|s| s.spec.name == spec.name) {
            return Err(PsError::new(
                StatusCode::BAD_REQUEST,
                CODE_DUPLICATE_NAME,
                format!("An import session named {} already exists.", spec.name),
            ));
        }
        let session = ImportSession::new(spec, now);
        if session.spec.destination_resource_type == "volume" {
            self.inventory.volumes.push(Volume::new(
                session.destination_resource_id.clone(),
                format!("{}-dest", session.spec.name),
                16 * 1024 * 1024 * 1024,
                now,
            ));
        }
        let id = session.id.clone();
        self.sessions.push(session);
        Ok(id)
    }

    /// Checks an action without applying it.
    pub(crate) fn check_action(&self, id: &str, action: Action) -> Result<(), PsError> {
        self.session(id)?.check(action)
    }

    pub(crate) fn act(
        &mut self,
        id: &str,
        action: Action,
        now: DateTime<Utc>,
    ) -> Result<(), PsError> {
        let i = self.session_index(id)?;
        self.sessions[i].check(action)?;
        self.sessions[i].apply(action, now);
        Ok(())
    }

    pub(crate) fn reschedule(
        &mut self,
        id: &str,
        at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), PsError> {
        let i = self.session_index(id)?;
        self.sessions[i].reschedule(at, now)
    }

    pub(crate) fn check_delete(&self, id: &str) -> Result<(), PsError> {
        let s = self.session(id)?;
        if s.state.deletable() {
            Ok(())
        } else {
            Err(PsError::invalid_state(format!(
                "Import session {} is {}; only Import_Completed, Failed or Cancelled sessions can be deleted. Cancel it first.",
                s.spec.name,
                s.state.as_str()
            ))
            .with_argument(s.state.as_str()))
        }
    }

    pub(crate) fn delete(&mut self, id: &str) -> Result<(), PsError> {
        self.check_delete(id)?;
        self.sessions.retain(|s| s.id != id);
        Ok(())
    }

    pub(crate) fn force_state(&mut self, id: &str, state: &str) -> Result<(), PsError> {
        let state = SessionState::parse(state).ok_or_else(|| {
            PsError::bad_request(format!("'{state}' is not an ImportSessionStateEnum value."))
        })?;
        let i = self.session_index(id)?;
        self.sessions[i].force(state, Utc::now());
        Ok(())
    }

    /// Makes the next job created fail.
    pub(crate) fn arm_job_failure(&mut self) {
        self.failures_armed += 1;
    }

    /// Records a job for an already validated change; returns the job id.
    pub(crate) fn enqueue(
        &mut self,
        effect: JobEffect,
        resource_id: Option<String>,
        resource_name: &str,
        user: &str,
        now: DateTime<Utc>,
    ) -> String {
        let mut job = Job::new(effect, resource_id, resource_name, user, now);
        if self.failures_armed > 0 {
            self.failures_armed -= 1;
            job.injected_failure = true;
        }
        let id = job.id.clone();
        self.jobs.push(job);
        id
    }

    /// Applies an already validated change now, as a request without `is_async` does.
    pub(crate) fn run_effect(
        &mut self,
        effect: JobEffect,
        now: DateTime<Utc>,
    ) -> Result<Outcome, PsError> {
        Ok(match effect {
            JobEffect::Create(spec) => {
                let id = self.create(*spec, now)?;
                Outcome::Done {
                    status: "201",
                    body: Some(json!({"response_type": "job_create_response", "id": id})),
                }
            }
            JobEffect::Act { session_id, action } => {
                self.act(&session_id, action, now)?;
                Outcome::Done {
                    status: "204",
                    body: None,
                }
            }
            JobEffect::Reschedule { session_id, at } => {
                self.reschedule(&session_id, at, now)?;
                Outcome::Done {
                    status: "204",
                    body: None,
                }
            }
            JobEffect::Delete { session_id } => {
                self.delete(&session_id)?;
                Outcome::Done {
                    status: "204",
                    body: None,
                }
            }
        })
    }

    /// Advances sessions and jobs by one step.
    pub(crate) fn tick(&mut self, step: Duration) {
        let now = Utc::now();
        for session in &mut self.sessions {
            session.tick(now, step);
        }
        for i in 0..self.jobs.len() {
            if self.jobs[i].phase.is_terminal() || !self.jobs[i].step() {
                continue;
            }
            let effect = self.jobs[i].effect.take();
            let outcome = if self.jobs[i].injected_failure {
                Outcome::Failed(PsError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    CODE_INJECTED_JOB_FAILURE,
                    "The job failed (simulated failure injected with fail_next_job).",
                ))
            } else {
                match effect {
                    Some(effect) => self.run_effect(effect, now).unwrap_or_else(Outcome::Failed),
                    None => Outcome::Done {
                        status: "204",
                        body: None,
                    },
                }
            };
            if let Outcome::Done {
                body: Some(body), ..
            } = &outcome
            {
                if self.jobs[i].resource_id.is_none() {
                    self.jobs[i].resource_id = body["id"].as_str().map(str::to_string);
                }
            }
            self.jobs[i].finish(outcome, now);
        }
    }

    /// A job's phase, for tests.
    #[cfg(test)]
    fn job_phase(&self, id: &str) -> Option<super::jobs::JobPhase> {
        self.jobs.iter().find(|j| j.id == id).map(|j| j.phase)
    }
}

#[cfg(test)]
mod tests {
    use super::super::jobs::JobPhase;
    use super::*;

    fn store() -> PsStore {
        PsStore::seeded(&SeedOptions::default())
    }

    #[test]
    fn create_validation() {
        let s = store();
        let ok = json!({"name": "imp1", "remote_system_id": "name:unity-src-01", "source_resource_id": "res_cg_7"});
        let spec = s.validate_create(&ok).unwrap();
        assert_eq!(spec.destination_resource_type, "volume_group");
        for bad in [
            json!({"remote_system_id": "name:unity-src-01", "source_resource_id": "a"}),
            json!({"name": "has space", "remote_system_id": "name:unity-src-01", "source_resource_id": "a"}),
            json!({"name": "x", "remote_system_id": "name:nope", "source_resource_id": "a"}),
            json!({"name": "x", "remote_system_id": "name:unity-src-01", "source_resource_id": "a", "type": "Fast"}),
            json!({"name": "x", "remote_system_id": "name:unity-src-01", "source_resource_id": "a", "bogus": 1}),
            json!({"name": "a".repeat(129), "remote_system_id": "name:unity-src-01", "source_resource_id": "a"}),
        ] {
            assert_eq!(
                s.validate_create(&bad).unwrap_err().status,
                StatusCode::BAD_REQUEST,
                "{bad}"
            );
        }
    }

    #[test]
    fn injected_failure_fails_the_job_without_the_effect() {
        let mut s = store();
        let now = Utc::now();
        let body = json!({"name": "imp2", "remote_system_id": seed_id(0xa1, 1), "source_resource_id": "sv_101"});
        let spec = s.validate_create(&body).unwrap();
        s.arm_job_failure();
        let job = s.enqueue(
            JobEffect::Create(Box::new(spec)),
            None,
            "imp2",
            "admin",
            now,
        );
        for _ in 0..3 {
            s.tick(Duration::from_millis(10));
        }
        assert_eq!(s.job_phase(&job), Some(JobPhase::Failed));
        let j = s.job_json(&job).unwrap();
        assert_eq!(j["response_status"], "422");
        assert_eq!(j["response_body"]["response_type"], "job_error_response");
        assert!(s.sessions.is_empty());
    }
}
