//! An import session's life: the states a wait can end in, the waiter that watches for them,
//! and the actions that move a session from one state to the next, each with the states that
//! show it took effect.
//!
//! The action is a typed value, so its request, its call and its target states are chosen in
//! one `match` each, and `--dry-run` shows the request the real call sends.

use std::sync::OnceLock;

use migrate_clients::powerstore::types::{
    ImportSessionCancel, ImportSessionStateEnum as State, JobResponse,
};
use migrate_clients::powerstore::{operations, waiters, Client};
use migrate_runtime::waiter::Rule;
use migrate_runtime::Request;

use crate::exit::Failure;

/// States where a session waits for an operator or is done: where `create --wait` and
/// `wait` without `--until` stop.
pub const SETTLED: &[State] = &[
    State::ReadyForCutover,
    State::ImportCompleted,
    State::MirrorEnabled,
    State::ReadyToStartCopy,
    State::Paused,
];

/// The waiter for a session reaching states a caller names (`wait --until`, an action's
/// `--wait`), run with those states as success: the spec's `import_session_completed` rule,
/// whose failure states end the wait as failed, and whose own success state (`Import_Completed`,
/// where a session's life ends) ends it too when it is not among the targets: a session there
/// will never reach them, so the wait ends on the poll that sees it.
pub fn until_rule() -> &'static Rule {
    static RULE: OnceLock<Rule> = OnceLock::new();
    RULE.get_or_init(|| {
        let completed = waiters::IMPORT_SESSION_COMPLETED;
        let ends: Vec<&'static str> = completed
            .failure
            .iter()
            .chain(completed.success)
            .copied()
            .collect();
        Rule {
            failure: ends.leak(),
            ..completed
        }
    })
}

/// Whether a session in `state` failed (or waits for an operator), rather than ended well in a
/// state the wait did not ask for.
pub fn is_failure(state: &str) -> bool {
    waiters::IMPORT_SESSION_COMPLETED
        .failure
        .iter()
        .any(|f| f.eq_ignore_ascii_case(state))
}

/// An action on an import session.
#[derive(Debug, Clone)]
pub enum Action {
    /// Commit a session in `Ready_For_Cutover`.
    Cutover,
    /// Cancel and roll back (or, with `force`, stop at once).
    Cancel(ImportSessionCancel),
    /// Pause the background copy.
    Pause,
    /// Resume a paused copy.
    Resume,
    /// Start the copy of an agentless import.
    StartCopy,
    /// Enable the destination volume of an agentless import.
    EnableDestinationVolume,
    /// Clean up a session in `Cleanup_Required`.
    Cleanup,
}

impl Action {
    /// The action's name in the API path and in the CLI's answer.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Cutover => "cutover",
            Action::Cancel(_) => "cancel",
            Action::Pause => "pause",
            Action::Resume => "resume",
            Action::StartCopy => "start_copy",
            Action::EnableDestinationVolume => "enable_destination_volume",
            Action::Cleanup => "cleanup",
        }
    }

    /// The states that show the action took effect (where its `--wait` stops).
    pub fn reached(&self) -> &'static [State] {
        match self {
            Action::Cutover => &[State::ImportCompleted],
            Action::Cancel(_) => &[State::Cancelled],
            Action::Pause => &[State::Paused],
            Action::Resume => &[
                State::CopyInProgress,
                State::ReadyForCutover,
                State::ImportCompleted,
            ],
            Action::StartCopy => &[State::ReadyForCutover, State::ImportCompleted],
            Action::EnableDestinationVolume => &[State::ReadyToStartCopy],
            Action::Cleanup => &[State::Cancelled],
        }
    }

    /// The request the action sends for session `id` (an id, or `name:NAME` as given).
    pub fn request(&self, id: &str, is_async: bool) -> Result<Request, Failure> {
        let is_async = is_async.then_some(true);
        Ok(match self {
            Action::Cutover => Client::import_session_cutover_request(
                id,
                &operations::ImportSessionCutoverParams { is_async },
            )?,
            Action::Cancel(body) => Client::import_session_cancel_request(
                id,
                body,
                &operations::ImportSessionCancelParams { is_async },
            )?,
            Action::Pause => Client::import_session_pause_request(
                id,
                &operations::ImportSessionPauseParams { is_async },
            )?,
            Action::Resume => Client::import_session_resume_request(
                id,
                &operations::ImportSessionResumeParams { is_async },
            )?,
            Action::StartCopy => Client::import_session_start_copy_request(
                id,
                &operations::ImportSessionStartCopyParams { is_async },
            )?,
            Action::EnableDestinationVolume => {
                Client::import_session_enable_destination_volume_request(
                    id,
                    &serde_json::json!({}),
                    &operations::ImportSessionEnableDestinationVolumeParams { is_async },
                )?
            }
            Action::Cleanup => Client::import_session_cleanup_request(
                id,
                &operations::ImportSessionCleanupParams { is_async },
            )?,
        })
    }

    /// Sends the action for session `id`; the job when the array runs it as one (202).
    pub async fn send(
        &self,
        client: &Client,
        id: &str,
        is_async: bool,
    ) -> Result<Option<JobResponse>, Failure> {
        let is_async = is_async.then_some(true);
        let answer = match self {
            Action::Cutover => {
                let params = operations::ImportSessionCutoverParams { is_async };
                client.import_session_cutover(id, &params).await?
            }
            Action::Cancel(body) => {
                let params = operations::ImportSessionCancelParams { is_async };
                client.import_session_cancel(id, body, &params).await?
            }
            Action::Pause => {
                let params = operations::ImportSessionPauseParams { is_async };
                client.import_session_pause(id, &params).await?
            }
            Action::Resume => {
                let params = operations::ImportSessionResumeParams { is_async };
                client.import_session_resume(id, &params).await?
            }
            Action::StartCopy => {
                let params = operations::ImportSessionStartCopyParams { is_async };
                client.import_session_start_copy(id, &params).await?
            }
            Action::EnableDestinationVolume => {
                let params = operations::ImportSessionEnableDestinationVolumeParams { is_async };
                client
                    .import_session_enable_destination_volume(id, &serde_json::json!({}), &params)
                    .await?
            }
            Action::Cleanup => {
                let params = operations::ImportSessionCleanupParams { is_async };
                client.import_session_cleanup(id, &params).await?
            }
        };
        Ok(answer.into_body())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use migrate_runtime::waiter::Verdict;
    use migrate_runtime::StringEnum;
    use serde_json::json;

    #[test]
    fn a_wait_for_named_states_ends_where_a_session_ends() {
        let rule = until_rule();
        let judge = |state: &str, targets: &[&str]| rule.judge(&json!({ "state": state }), targets);
        assert!(matches!(
            judge("Cancelled", &["Cancelled"]),
            Verdict::Done(_)
        ));
        assert!(matches!(
            judge("Import_Completed", &["Cancelled"]),
            Verdict::Failed { .. }
        ));
        assert!(matches!(
            judge("Failed", &["Paused"]),
            Verdict::Failed { .. }
        ));
        assert!(matches!(
            judge("Ready_For_Cutover", &["Paused"]),
            Verdict::Pending(_)
        ));
        assert!(is_failure("Cleanup_Required") && !is_failure("Import_Completed"));
        // Every state a wait stops at by default is one the waiter can tell.
        for state in SETTLED {
            assert!(matches!(
                judge(state.as_wire(), &[state.as_wire()]),
                Verdict::Done(_)
            ));
        }
    }

    #[test]
    fn every_action_has_its_path_and_targets() {
        let actions = [
            Action::Cutover,
            Action::Cancel(ImportSessionCancel { force: Some(true) }),
            Action::Pause,
            Action::Resume,
            Action::StartCopy,
            Action::EnableDestinationVolume,
            Action::Cleanup,
        ];
        let base = migrate_runtime::Url::parse("https://array/api/rest").unwrap();
        for action in &actions {
            let preview = action.request("s1", true).unwrap().preview(&base);
            let first = preview.lines().next().unwrap();
            assert_eq!(
                first,
                format!(
                    "POST https://array/api/rest/import_session/s1/{}?is_async=true",
                    action.name()
                ),
            );
            assert!(!action.reached().is_empty());
        }
    }
}
