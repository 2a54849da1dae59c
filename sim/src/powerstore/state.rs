//! The import-session state machine.
//!
//! Why separate: the allowed-from states of each action and the time-driven walk through
//! `ImportSessionStateEnum` are the behaviour clients are written against, so they are kept
//! apart from HTTP concerns and tested on their own. Timed transitions happen in [`tick`]
//! (one state per simulator step); user actions go through [`ImportSession::check`] and
//! [`ImportSession::apply`].
//!
//! [`tick`]: ImportSession::tick

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::error::PsError;

/// `ImportSessionStateEnum`, in the vendor's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SessionState {
    Scheduled,
    Paused,
    Queued,
    InProgress,
    MirrorEnabled,
    ReadyToStartCopy,
    CopyInProgress,
    ReadyForCutover,
    CutoverInProgress,
    ImportCompleted,
    Cancelled,
    Failed,
    CancelFailed,
    CancelInProgress,
    CleanupInProgress,
    CleanupFailed,
    Invalid,
    CleanupRequired,
    ImportCompletedWithErrors,
    ImportCutoverIncomplete,
    CancelRequired,
}

use SessionState as S;

const STATE_NAMES: [(SessionState, &str); 21] = [
    (S::Scheduled, "Scheduled"),
    (S::Paused, "Paused"),
    (S::Queued, "Queued"),
    (S::InProgress, "In_Progress"),
    (S::MirrorEnabled, "Mirror_Enabled"),
    (S::ReadyToStartCopy, "Ready_To_Start_Copy"),
    (S::CopyInProgress, "Copy_In_Progress"),
    (S::ReadyForCutover, "Ready_For_Cutover"),
    (S::CutoverInProgress, "Cutover_In_Progress"),
    (S::ImportCompleted, "Import_Completed"),
    (S::Cancelled, "Cancelled"),
    (S::Failed, "Failed"),
    (S::CancelFailed, "Cancel_Failed"),
    (S::CancelInProgress, "Cancel_In_Progress"),
    (S::CleanupInProgress, "Cleanup_In_Progress"),
    (S::CleanupFailed, "Cleanup_Failed"),
    (S::Invalid, "Invalid"),
    (S::CleanupRequired, "Cleanup_Required"),
    (S::ImportCompletedWithErrors, "Import_Completed_With_Errors"),
    (S::ImportCutoverIncomplete, "Import_Cutover_Incomplete"),
    (S::CancelRequired, "Cancel_Required"),
];

impl SessionState {
    pub(crate) fn as_str(self) -> &'static str {
        STATE_NAMES
            .iter()
            .find(|(s, _)| *s == self)
            .map(|(_, n)| *n)
            .unwrap_or("Invalid")
    }

    pub(crate) fn parse(name: &str) -> Option<Self> {
        STATE_NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(s, _)| *s)
    }

    /// The `state_l10n` display text.
    fn l10n(self) -> String {
        match self {
            S::MirrorEnabled => "Ready To Enable Destination Volume".to_string(),
            other => other.as_str().replace('_', " "),
        }
    }

    /// States in which `progress_percentage` is null (after cutover or failure).
    fn clears_progress(self) -> bool {
        matches!(
            self,
            S::CutoverInProgress
                | S::ImportCompleted
                | S::ImportCompletedWithErrors
                | S::Cancelled
                | S::Failed
                | S::CancelFailed
                | S::CancelInProgress
                | S::CleanupInProgress
                | S::CleanupFailed
                | S::CleanupRequired
                | S::CancelRequired
                | S::Invalid
        )
    }

    /// States from which `DELETE` is allowed ("Completed, Failed, or Cancelled").
    pub(crate) fn deletable(self) -> bool {
        matches!(self, S::ImportCompleted | S::Failed | S::Cancelled)
    }
}

/// `ImportSessionTypeEnum`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ImportType {
    NonDisruptive,
    Agentless,
}

impl ImportType {
    pub(crate) fn parse(name: &str) -> Option<Self> {
        match name {
            "Non_Disruptive" => Some(ImportType::NonDisruptive),
            "Agentless" => Some(ImportType::Agentless),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            ImportType::NonDisruptive => "Non_Disruptive",
            ImportType::Agentless => "Agentless",
        }
    }
}

/// A user action on an import session (`POST /import_session/{id}/<action>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Action {
    Cutover,
    Cancel { force: bool },
    Pause,
    Resume,
    StartCopy,
    EnableDestinationVolume,
    Cleanup,
}

impl Action {
    /// Parses the action path segment; `cancel` needs its `force` flag from the body.
    pub(crate) fn parse(name: &str, force: bool) -> Option<Self> {
        Some(match name {
            "cutover" => Action::Cutover,
            "cancel" => Action::Cancel { force },
            "pause" => Action::Pause,
            "resume" => Action::Resume,
            "start_copy" => Action::StartCopy,
            "enable_destination_volume" => Action::EnableDestinationVolume,
            "cleanup" => Action::Cleanup,
            _ => return None,
        })
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Action::Cutover => "cutover",
            Action::Cancel { .. } => "cancel",
            Action::Pause => "pause",
            Action::Resume => "resume",
            Action::StartCopy => "start_copy",
            Action::EnableDestinationVolume => "enable_destination_volume",
            Action::Cleanup => "cleanup",
        }
    }
}

/// Copy progress gained per step while in `Copy_In_Progress`.
const PROGRESS_PER_STEP: i32 = 25;
/// Simulated transfer rate, bytes per second.
const TRANSFER_RATE: i64 = 150 * 1024 * 1024;

/// One import session with every `import_session_instance` field.
#[derive(Clone, Debug)]
pub(crate) struct ImportSession {
    pub(crate) id: String,
    /// The fields it was created with (a PATCH may move `scheduled_timestamp`).
    pub(crate) spec: NewSession,
    pub(crate) destination_resource_id: String,
    pub(crate) state: SessionState,
    progress: Option<i32>,
    estimated_completion: Option<DateTime<Utc>>,
    error: Option<Value>,
    last_update: DateTime<Utc>,
    /// Sessions named `fail*` fail half-way through the copy.
    fails_during_copy: bool,
}

/// Fields needed to create a session; everything else starts from the lifecycle defaults.
#[derive(Clone, Debug)]
pub(crate) struct NewSession {
    pub(crate) name: String,
    pub(crate) import_type: ImportType,
    pub(crate) description: Option<String>,
    pub(crate) remote_system_id: String,
    pub(crate) source_resource_id: String,
    pub(crate) destination_resource_type: &'static str,
    pub(crate) global_storage_discovery_address: Option<String>,
    pub(crate) protection_policy_id: Option<String>,
    pub(crate) volume_group_id: Option<String>,
    pub(crate) automatic_cutover: bool,
    pub(crate) scheduled_timestamp: Option<DateTime<Utc>>,
}

pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

impl ImportSession {
    pub(crate) fn new(spec: NewSession, now: DateTime<Utc>) -> Self {
        let state = match spec.scheduled_timestamp {
            Some(at) if at > now => S::Scheduled,
            _ => S::Queued,
        };
        ImportSession {
            id: uuid::Uuid::new_v4().to_string(),
            fails_during_copy: spec.name.to_ascii_lowercase().starts_with("fail"),
            spec,
            destination_resource_id: uuid::Uuid::new_v4().to_string(),
            state,
            progress: Some(0),
            estimated_completion: None,
            error: None,
            last_update: now,
        }
    }

    /// The full `import_session_instance` JSON (without the embedded `remote_system`).
    pub(crate) fn to_json(&self) -> Value {
        let copying = self.state == S::CopyInProgress;
        let type_l10n = self.spec.import_type.as_str().replace('_', " ");
        json!({
            "id": self.id,
            "type": self.spec.import_type.as_str(),
            "type_l10n": type_l10n,
            "name": self.spec.name,
            "global_storage_discovery_address": self.spec.global_storage_discovery_address,
            "description": self.spec.description,
            "remote_system_id": self.spec.remote_system_id,
            "source_resource_id": self.spec.source_resource_id,
            "destination_resource_id": self.destination_resource_id,
            "destination_resource_type": self.spec.destination_resource_type,
            "destination_resource_type_l10n": self.spec.destination_resource_type.replace('_', " "),
            "parent_session_id": null,
            "state": self.state.as_str(),
            "state_l10n": self.state.l10n(),
            "estimated_completion_timestamp": self.estimated_completion.map(timestamp),
            "progress_percentage": self.progress,
            "average_transfer_rate": copying.then_some(TRANSFER_RATE),
            "current_transfer_rate": copying.then_some(TRANSFER_RATE + (self.progress.unwrap_or(0) as i64) * 1024),
            "protection_policy_id": self.spec.protection_policy_id,
            "volume_group_id": self.spec.volume_group_id,
            "automatic_cutover": self.spec.automatic_cutover,
            "scheduled_timestamp": self.spec.scheduled_timestamp.map(timestamp),
            "error": self.error,
            "last_update_timestamp": timestamp(self.last_update),
        })
    }

    fn enter(&mut self, state: SessionState, now: DateTime<Utc>) {
        self.state = state;
        self.last_update = now;
        if state.clears_progress() {
            self.progress = None;
            self.estimated_completion = None;
        }
    }

    /// Puts the session into any state, keeping the progress fields plausible for it.
    pub(crate) fn force(&mut self, state: SessionState, now: DateTime<Utc>) {
        if !state.clears_progress() && self.progress.is_none() {
            self.progress = Some(0);
        }
        if state == S::ReadyForCutover {
            self.progress = Some(100);
        }
        self.enter(state, now);
    }

    /// Checks that `action` is allowed in the current state.
    pub(crate) fn check(&self, action: Action) -> Result<(), PsError> {
        let agentless = self.spec.import_type == ImportType::Agentless;
        let allowed = match action {
            Action::Cutover => {
                matches!(self.state, S::ReadyForCutover | S::ImportCutoverIncomplete)
            }
            Action::Cancel { .. } => matches!(
                self.state,
                S::Scheduled
                    | S::Queued
                    | S::CopyInProgress
                    | S::ReadyForCutover
                    | S::Paused
                    | S::MirrorEnabled
                    | S::ReadyToStartCopy
                    | S::CancelRequired
            ),
            Action::Pause => self.state == S::CopyInProgress,
            Action::Resume => self.state == S::Paused,
            Action::EnableDestinationVolume => agentless && self.state == S::MirrorEnabled,
            Action::StartCopy => agentless && self.state == S::ReadyToStartCopy,
            Action::Cleanup => self.state == S::CleanupRequired,
        };
        if allowed {
            Ok(())
        } else {
            Err(PsError::invalid_state(format!(
                "The {} operation is not allowed for import session {} ({}) in state {}.",
                action.name(),
                self.spec.name,
                self.spec.import_type.as_str(),
                self.state.as_str()
            ))
            .with_argument(self.state.as_str()))
        }
    }

    /// Applies an action that [`check`](Self::check) accepted.
    pub(crate) fn apply(&mut self, action: Action, now: DateTime<Utc>) {
        let next = match action {
            Action::Cutover => S::CutoverInProgress,
            Action::Cancel { .. } => S::CancelInProgress,
            Action::Pause => S::Paused,
            Action::Resume => S::CopyInProgress,
            Action::EnableDestinationVolume => S::ReadyToStartCopy,
            Action::StartCopy => {
                self.progress = Some(0);
                S::CopyInProgress
            }
            Action::Cleanup => S::CleanupInProgress,
        };
        self.enter(next, now);
    }

    /// Checks a new `scheduled_timestamp` (PATCH): only a Scheduled session can be moved.
    pub(crate) fn reschedule(
        &mut self,
        at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), PsError> {
        if self.state != S::Scheduled {
            return Err(PsError::invalid_state(format!(
                "Only a Scheduled import session can be rescheduled; {} is {}.",
                self.spec.name,
                self.state.as_str()
            ))
            .with_argument(self.state.as_str()));
        }
        self.spec.scheduled_timestamp = Some(at);
        self.last_update = now;
        Ok(())
    }

    /// Advances time-driven states by one step of length `step`.
    pub(crate) fn tick(&mut self, now: DateTime<Utc>, step: Duration) {
        match self.state {
            S::Scheduled if self.spec.scheduled_timestamp.is_none_or(|at| at <= now) => {
                self.enter(S::Queued, now)
            }
            S::Queued => self.enter(S::InProgress, now),
            S::InProgress => match self.spec.import_type {
                ImportType::NonDisruptive => {
                    self.progress = Some(0);
                    self.enter(S::CopyInProgress, now);
                }
                ImportType::Agentless => self.enter(S::MirrorEnabled, now),
            },
            S::CopyInProgress => self.advance_copy(now, step),
            S::CutoverInProgress => self.enter(S::ImportCompleted, now),
            S::CancelInProgress | S::CleanupInProgress => self.enter(S::Cancelled, now),
            _ => {}
        }
    }

    fn advance_copy(&mut self, now: DateTime<Utc>, step: Duration) {
        let progress = self.progress.unwrap_or(0);
        if progress >= 100 {
            let next = if self.spec.automatic_cutover {
                S::CutoverInProgress
            } else {
                S::ReadyForCutover
            };
            self.enter(next, now);
            return;
        }
        let progress = (progress + PROGRESS_PER_STEP).min(100);
        if self.fails_during_copy && progress >= 50 {
            self.error = Some(json!({
                "code": "0xE0301001000D",
                "message_l10n": format!("Copy of source resource {} failed: the source system stopped responding.", self.spec.source_resource_id),
                "arguments": [self.spec.source_resource_id],
            }));
            let next = match self.spec.import_type {
                ImportType::NonDisruptive => S::Failed,
                ImportType::Agentless => S::CancelRequired,
            };
            self.enter(next, now);
            return;
        }
        self.progress = Some(progress);
        self.last_update = now;
        let remaining_steps = ((100 - progress) / PROGRESS_PER_STEP + 1) as u32;
        self.estimated_completion = chrono::Duration::from_std(step * remaining_steps)
            .ok()
            .map(|d| now + d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(name: &str, import_type: ImportType, automatic_cutover: bool) -> ImportSession {
        ImportSession::new(
            NewSession {
                name: name.to_string(),
                import_type,
                description: None,
                remote_system_id: "rs".to_string(),
                source_resource_id: "src".to_string(),
                destination_resource_type: "volume",
                global_storage_discovery_address: None,
                protection_policy_id: None,
                volume_group_id: None,
                automatic_cutover,
                scheduled_timestamp: None,
            },
            Utc::now(),
        )
    }

    fn run_until(s: &mut ImportSession, target: SessionState) -> Vec<SessionState> {
        let mut seen = vec![s.state];
        for _ in 0..20 {
            if s.state == target {
                return seen;
            }
            s.tick(Utc::now(), Duration::from_millis(10));
            if seen.last() != Some(&s.state) {
                seen.push(s.state);
            }
        }
        panic!("never reached {target:?}: {seen:?}");
    }

    #[test]
    fn non_disruptive_manual_cutover() {
        let mut s = session("db01", ImportType::NonDisruptive, false);
        let seen = run_until(&mut s, S::ReadyForCutover);
        assert_eq!(
            seen,
            [
                S::Queued,
                S::InProgress,
                S::CopyInProgress,
                S::ReadyForCutover
            ]
        );
        assert_eq!(s.progress, Some(100));
        assert!(s.check(Action::Pause).is_err());
        s.check(Action::Cutover).unwrap();
        s.apply(Action::Cutover, Utc::now());
        assert_eq!(s.to_json()["progress_percentage"], Value::Null);
        run_until(&mut s, S::ImportCompleted);
        assert!(s.state.deletable());
    }

    #[test]
    fn automatic_cutover_skips_waiting() {
        let mut s = session("db02", ImportType::NonDisruptive, true);
        let seen = run_until(&mut s, S::ImportCompleted);
        assert!(!seen.contains(&S::ReadyForCutover));
        assert!(seen.contains(&S::CutoverInProgress));
    }

    #[test]
    fn agentless_needs_enable_and_start_copy() {
        let mut s = session("ag", ImportType::Agentless, false);
        run_until(&mut s, S::MirrorEnabled);
        assert_eq!(
            s.to_json()["state_l10n"],
            "Ready To Enable Destination Volume"
        );
        assert!(s.check(Action::StartCopy).is_err());
        s.apply(Action::EnableDestinationVolume, Utc::now());
        s.tick(Utc::now(), Duration::from_millis(10));
        assert_eq!(s.state, S::ReadyToStartCopy);
        s.check(Action::StartCopy).unwrap();
        s.apply(Action::StartCopy, Utc::now());
        s.tick(Utc::now(), Duration::from_millis(10));
        s.check(Action::Pause).unwrap();
        s.apply(Action::Pause, Utc::now());
        let progress = s.progress;
        s.tick(Utc::now(), Duration::from_millis(10));
        assert_eq!((s.state, s.progress), (S::Paused, progress));
        s.apply(Action::Resume, Utc::now());
        s.apply(Action::Cancel { force: false }, Utc::now());
        run_until(&mut s, S::Cancelled);
    }

    #[test]
    fn failing_sessions_record_an_error() {
        let mut s = session("fail-db", ImportType::NonDisruptive, false);
        run_until(&mut s, S::Failed);
        let j = s.to_json();
        assert_eq!(j["progress_percentage"], Value::Null);
        assert!(j["error"]["code"].as_str().unwrap().starts_with("0x"));
        let mut a = session("fail-ag", ImportType::Agentless, false);
        run_until(&mut a, S::MirrorEnabled);
        a.apply(Action::EnableDestinationVolume, Utc::now());
        a.apply(Action::StartCopy, Utc::now());
        run_until(&mut a, S::CancelRequired);
        a.check(Action::Cancel { force: true }).unwrap();
    }

    #[test]
    fn state_names_round_trip() {
        for (state, name) in STATE_NAMES {
            assert_eq!(SessionState::parse(name), Some(state));
            assert_eq!(state.as_str(), name);
        }
    }
}
