//! The config file: TOML under the platform config directory (`MIGRATE_CONFIG` overrides the
//! path), one profile per name. A profile holds hosts and user names, never a password.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::exit::Failure;
use crate::input;
use crate::output::Format;
use crate::service::{Host, LCM, POWERSTORE, VIPR};

/// Keys a profile may hold; `password` is deliberately not one of them.
pub const PROFILE_KEYS: &[&str] = &[
    "host",
    "powerstore_host",
    "lcm_host",
    "vipr_host",
    "user",
    "insecure",
    "ca_cert",
    "output",
    "complete_from_service",
];

/// One profile of the config file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Profile {
    /// Host for every service without its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// PowerStore host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub powerstore_host: Option<String>,
    /// LCM host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lcm_host: Option<String>,
    /// ViPR host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vipr_host: Option<String>,
    /// User name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Accept any certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure: Option<bool>,
    /// PEM CA certificate file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_cert: Option<PathBuf>,
    /// Default output format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// Shell completion may ask the service for ids and names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complete_from_service: Option<bool>,
}

impl Profile {
    /// The host the profile gives for the service whose key is `key` (`powerstore_host`, ...),
    /// else its `host`, with the key it came from.
    pub fn host<'a>(&'a self, key: &'a str) -> Option<(&'a str, &'a str)> {
        let specific = match key {
            "powerstore_host" => &self.powerstore_host,
            "lcm_host" => &self.lcm_host,
            "vipr_host" => &self.vipr_host,
            _ => &None,
        };
        match (specific, &self.host) {
            (Some(host), _) => Some((host, key)),
            (None, Some(host)) => Some((host, "host")),
            (None, None) => None,
        }
    }

    /// Sets `key` from text, checked as the command line checks the same value.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), Failure> {
        let text = Some(value.to_string());
        if PROFILE_KEYS.contains(&key) {
            input::text(value).map_err(|e| Failure::usage(format!("{key}: the value is {e}")))?;
        }
        match key {
            "host" | "powerstore_host" | "lcm_host" | "vipr_host" => {
                check_host(key, value)?;
                match key {
                    "host" => self.host = text,
                    "powerstore_host" => self.powerstore_host = text,
                    "lcm_host" => self.lcm_host = text,
                    _ => self.vipr_host = text,
                }
            }
            "user" => self.user = text,
            "insecure" => {
                self.insecure = Some(value.parse().map_err(|_| {
                    Failure::usage(format!("insecure takes true or false, not {value:?}"))
                })?)
            }
            "ca_cert" => self.ca_cert = Some(PathBuf::from(value)),
            "output" => {
                <Format as clap::ValueEnum>::from_str(value, true).map_err(|_| {
                    Failure::usage(format!("output takes {}, not {value:?}", Format::names()))
                })?;
                self.output = text;
            }
            "complete_from_service" => {
                self.complete_from_service = Some(value.parse().map_err(|_| {
                    Failure::usage(format!(
                        "complete_from_service takes true or false, not {value:?}"
                    ))
                })?)
            }
            _ => return Err(unknown_key(key)),
        }
        Ok(())
    }

    /// The value of `key` as text, if the profile sets it.
    pub fn get(&self, key: &str) -> Result<Option<String>, Failure> {
        Ok(match key {
            "host" => self.host.clone(),
            "powerstore_host" => self.powerstore_host.clone(),
            "lcm_host" => self.lcm_host.clone(),
            "vipr_host" => self.vipr_host.clone(),
            "user" => self.user.clone(),
            "insecure" => self.insecure.map(|b| b.to_string()),
            "ca_cert" => self.ca_cert.as_ref().map(|p| p.display().to_string()),
            "output" => self.output.clone(),
            "complete_from_service" => self.complete_from_service.map(|b| b.to_string()),
            _ => return Err(unknown_key(key)),
        })
    }

    /// Removes `key`; whether it was set.
    pub fn unset(&mut self, key: &str) -> Result<bool, Failure> {
        let was = self.get(key)?.is_some();
        match key {
            "host" => self.host = None,
            "powerstore_host" => self.powerstore_host = None,
            "lcm_host" => self.lcm_host = None,
            "vipr_host" => self.vipr_host = None,
            "user" => self.user = None,
            "insecure" => self.insecure = None,
            "ca_cert" => self.ca_cert = None,
            "output" => self.output = None,
            _ => self.complete_from_service = None,
        }
        Ok(was)
    }

    /// Every key the profile sets, with its value, in the order of [`PROFILE_KEYS`].
    pub fn entries(&self) -> Vec<(&'static str, String)> {
        PROFILE_KEYS
            .iter()
            .filter_map(|key| Some((*key, self.get(key).ok().flatten()?)))
            .collect()
    }
}

fn unknown_key(key: &str) -> Failure {
    Failure::usage(format!(
        "unknown key {key:?}; keys: {} (passwords and tokens are never stored)",
        PROFILE_KEYS.join(", ")
    ))
}

/// The config file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ConfigFile {
    /// The profile used without --profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_profile: Option<String>,
    /// Profiles by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

impl ConfigFile {
    /// Where the file lives.
    pub fn path() -> Result<PathBuf, Failure> {
        if let Some(path) = std::env::var_os("MIGRATE_CONFIG") {
            return Ok(PathBuf::from(path));
        }
        directories::ProjectDirs::from("", "", "migrate")
            .map(|d| d.config_dir().join("config.toml"))
            .ok_or_else(|| Failure::usage("no home directory; set MIGRATE_CONFIG"))
    }

    /// The file's contents, or an empty config when there is none.
    pub fn load() -> Result<Self, Failure> {
        let path = Self::path()?;
        match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text)
                .map_err(|e| Failure::usage(format!("{}: {e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(Failure::usage(format!("{}: {e}", path.display()))),
        }
    }

    /// Writes the file, creating its directory.
    pub fn save(&self) -> Result<PathBuf, Failure> {
        let path = Self::path()?;
        let io = |e: std::io::Error| Failure::usage(format!("{}: {e}", path.display()));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let text = toml::to_string_pretty(self)
            .map_err(|e| Failure::usage(format!("cannot write the config: {e}")))?;
        std::fs::write(&path, text).map_err(io)?;
        Ok(path)
    }
}

/// Refuses a host the services it is for would refuse: `host` serves all three, so it may have
/// no path; a service's own key may end in that service's base path.
fn check_host(key: &str, value: &str) -> Result<(), Failure> {
    let host = Host {
        value: value.to_string(),
        source: key.to_string(),
    };
    match key {
        "powerstore_host" => POWERSTORE.root(&host).map(drop),
        "lcm_host" => LCM.root(&host).map(drop),
        "vipr_host" => VIPR.root(&host).map(drop),
        _ => POWERSTORE
            .root(&host)
            .and(LCM.root(&host))
            .and(VIPR.root(&host))
            .map(drop),
    }
}
