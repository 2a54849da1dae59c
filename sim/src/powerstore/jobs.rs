//! PowerStore jobs: the records behind `?is_async=true` and `GET /job`.
//!
//! Why separate: a job has its own lifecycle (Pending → Queued → In_Progress → Completed or
//! Failed, one step each) and its own wire format (UPPER_CASE `state` next to Title_Case
//! `phase`, string `response_status`, `response_body` with a `response_type` discriminator),
//! independent of what the job does. What it does is a [`JobEffect`], applied by the store when
//! the job finishes.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::error::PsError;
use super::state::{timestamp, Action, NewSession};

/// `JobPhaseEnum` values the simulator uses (the deprecated `state` is the same in UPPER case).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum JobPhase {
    Pending,
    Queued,
    InProgress,
    Completed,
    Failed,
}

impl JobPhase {
    fn phase(self) -> &'static str {
        match self {
            JobPhase::Pending => "Pending",
            JobPhase::Queued => "Queued",
            JobPhase::InProgress => "In_Progress",
            JobPhase::Completed => "Completed",
            JobPhase::Failed => "Failed",
        }
    }

    fn state(self) -> String {
        self.phase().to_ascii_uppercase()
    }

    pub(crate) fn is_terminal(self) -> bool {
        matches!(self, JobPhase::Completed | JobPhase::Failed)
    }
}

/// What a job does when it reaches the end of its run.
#[derive(Debug)]
pub(crate) enum JobEffect {
    /// Create an import session (validated when the job was accepted).
    Create(Box<NewSession>),
    /// Run an action on an import session.
    Act { session_id: String, action: Action },
    /// Change the scheduled time of a session.
    Reschedule {
        session_id: String,
        at: DateTime<Utc>,
    },
    /// Delete a session.
    Delete { session_id: String },
}

impl JobEffect {
    /// `ResourceActionEnum` value recorded on the job.
    ///
    /// The vendor enum has no `start_copy` or `enable_destination_volume`; those two are
    /// recorded as `modify` and `enable`, the closest values it does have.
    pub(crate) fn resource_action(&self) -> &'static str {
        match self {
            JobEffect::Create(_) => "create",
            JobEffect::Reschedule { .. } => "modify",
            JobEffect::Delete { .. } => "delete",
            JobEffect::Act { action, .. } => match action {
                Action::StartCopy => "modify",
                Action::EnableDestinationVolume => "enable",
                other => other.name(),
            },
        }
    }

    fn description(&self, resource_name: &str) -> String {
        match self {
            JobEffect::Create(_) => format!("Create import session {resource_name}."),
            JobEffect::Reschedule { .. } => format!("Modify import session {resource_name}."),
            JobEffect::Delete { .. } => format!("Delete import session {resource_name}."),
            JobEffect::Act {
                action: Action::Cancel { force: true },
                ..
            } => format!("Force cancel of import session {resource_name}."),
            JobEffect::Act { action, .. } => {
                format!("Run {} on import session {resource_name}.", action.name())
            }
        }
    }
}

/// The outcome recorded when a job finishes.
pub(crate) enum Outcome {
    /// Success with the given `response_status` and optional `response_body`.
    Done {
        status: &'static str,
        body: Option<Value>,
    },
    Failed(PsError),
}

/// One job record.
#[derive(Debug)]
pub(crate) struct Job {
    pub(crate) id: String,
    resource_type: &'static str,
    resource_action: &'static str,
    pub(crate) resource_id: Option<String>,
    resource_name: Option<String>,
    description: String,
    user: String,
    pub(crate) phase: JobPhase,
    start_time: DateTime<Utc>,
    end_time: Option<DateTime<Utc>>,
    response_status: Option<String>,
    response_body: Option<Value>,
    /// Taken (and applied) when the job finishes.
    pub(crate) effect: Option<JobEffect>,
    /// Set by the `fail_next_job` fault.
    pub(crate) injected_failure: bool,
}

impl Job {
    pub(crate) fn new(
        effect: JobEffect,
        resource_id: Option<String>,
        resource_name: &str,
        user: &str,
        now: DateTime<Utc>,
    ) -> Job {
        Job {
            id: uuid::Uuid::new_v4().to_string(),
            resource_type: "import_session",
            resource_action: effect.resource_action(),
            resource_id,
            resource_name: Some(resource_name.to_string()),
            description: effect.description(resource_name),
            user: user.to_string(),
            phase: JobPhase::Pending,
            start_time: now,
            end_time: None,
            response_status: None,
            response_body: None,
            effect: Some(effect),
            injected_failure: false,
        }
    }

    /// A job that already finished, for the seed data.
    pub(crate) fn historical(
        resource_type: &'static str,
        resource_action: &'static str,
        resource_id: &str,
        resource_name: &str,
        description: &str,
        outcome: Outcome,
        started: DateTime<Utc>,
    ) -> Job {
        let mut job = Job {
            id: uuid::Uuid::new_v4().to_string(),
            resource_type,
            resource_action,
            resource_id: Some(resource_id.to_string()),
            resource_name: Some(resource_name.to_string()),
            description: description.to_string(),
            user: "admin".to_string(),
            phase: JobPhase::Pending,
            start_time: started,
            end_time: None,
            response_status: None,
            response_body: None,
            effect: None,
            injected_failure: false,
        };
        job.finish(outcome, started + chrono::Duration::seconds(4));
        job
    }

    /// Moves a running job one phase on; returns true when it has reached the point of
    /// finishing (the caller then applies the effect and calls [`finish`](Self::finish)).
    pub(crate) fn step(&mut self) -> bool {
        match self.phase {
            JobPhase::Pending => self.phase = JobPhase::Queued,
            JobPhase::Queued => self.phase = JobPhase::InProgress,
            JobPhase::InProgress => return true,
            JobPhase::Completed | JobPhase::Failed => {}
        }
        false
    }

    /// Records the outcome.
    pub(crate) fn finish(&mut self, outcome: Outcome, now: DateTime<Utc>) {
        self.end_time = Some(now);
        match outcome {
            Outcome::Done { status, body } => {
                self.phase = JobPhase::Completed;
                self.response_status = Some(status.to_string());
                self.response_body = body;
            }
            Outcome::Failed(err) => {
                self.phase = JobPhase::Failed;
                self.response_status = Some(err.status.as_u16().to_string());
                let mut body = err.body();
                body["response_type"] = json!("job_error_response");
                self.response_body = Some(body);
            }
        }
    }

    fn progress(&self) -> i32 {
        match self.phase {
            JobPhase::Pending | JobPhase::Queued => 0,
            JobPhase::InProgress => 50,
            JobPhase::Completed | JobPhase::Failed => 100,
        }
    }

    /// The full `job_instance` JSON.
    pub(crate) fn to_json(&self) -> Value {
        let status_l10n = self.response_status.as_deref().map(|s| match s {
            "200" => "OK",
            "201" => "Created",
            "204" => "No Content",
            "400" => "Bad Request",
            "404" => "Not Found",
            "422" => "Unprocessable Entity",
            _ => "Other",
        });
        json!({
            "id": self.id,
            "resource_action": self.resource_action,
            "resource_action_l10n": self.resource_action.replace('_', " "),
            "resource_type": self.resource_type,
            "resource_type_l10n": self.resource_type.replace('_', " "),
            "resource_id": self.resource_id,
            "resource_name": self.resource_name,
            "description_l10n": self.description,
            "state": self.phase.state(),
            "state_l10n": self.phase.phase().replace('_', " "),
            "phase": self.phase.phase(),
            "phase_l10n": self.phase.phase().replace('_', " "),
            "start_time": timestamp(self.start_time),
            "end_time": self.end_time.map(timestamp),
            "estimated_completion_time": self.end_time.map(timestamp),
            "progress_percentage": self.progress(),
            "parent_id": null,
            "root_id": self.id,
            "user": self.user,
            "response_body": self.response_body,
            "response_status": self.response_status,
            "response_status_l10n": status_l10n,
            "step_order": null,
        })
    }
}
