//! Everything a command needs besides its own flags: the profile from the config file, the
//! credentials, connected clients, the output printer, and `--dry-run`.
//!
//! The config file is TOML under the platform config directory (`MIGRATE_CONFIG` overrides the
//! path). It holds hosts and user names per profile, never a password: the password comes from
//! `MIGRATE_PASSWORD`, `--password-stdin` or an interactive prompt, and is read only when a
//! request is really sent.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use migrate_clients::ext::{
    lcm as lcm_ext, powerstore as ps_ext, vipr as vipr_ext, ConnectOptions,
};
use migrate_clients::{lcm, powerstore, vipr};
use migrate_runtime::wait::WaitOptions;
use migrate_runtime::{Request, Secret, Url};
use serde::{Deserialize, Serialize};

use crate::cli::Global;
use crate::exit::Failure;
use crate::output::{Format, Printer};

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
}

impl Profile {
    /// Sets `key` from text.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), Failure> {
        let text = Some(value.to_string());
        match key {
            "host" => self.host = text,
            "powerstore_host" => self.powerstore_host = text,
            "lcm_host" => self.lcm_host = text,
            "vipr_host" => self.vipr_host = text,
            "user" => self.user = text,
            "insecure" => {
                self.insecure = Some(value.parse().map_err(|_| {
                    Failure::usage(format!("insecure takes true or false, not {value:?}"))
                })?)
            }
            "ca_cert" => self.ca_cert = Some(PathBuf::from(value)),
            "output" => {
                <Format as clap::ValueEnum>::from_str(value, true).map_err(Failure::usage)?;
                self.output = text;
            }
            _ => {
                return Err(Failure::usage(format!(
                    "unknown key {key:?}; keys: {} (passwords are never stored)",
                    PROFILE_KEYS.join(", ")
                )))
            }
        }
        Ok(())
    }
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

/// Which service a command talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// Dell PowerStore.
    PowerStore,
    /// Oracle EPM LCM.
    Lcm,
    /// EMC ViPR.
    Vipr,
}

impl Service {
    fn base_path(self) -> &'static str {
        match self {
            Service::PowerStore => powerstore::Client::BASE_PATH,
            Service::Lcm => lcm::Client::BASE_PATH,
            Service::Vipr => vipr::Client::BASE_PATH,
        }
    }

    /// How the service authenticates, for --dry-run.
    fn auth_header(self) -> &'static str {
        match self {
            Service::PowerStore => {
                "Authorization: Basic *** (then DELL-EMC-TOKEN and a session cookie)"
            }
            Service::Lcm => "Authorization: Basic ***",
            Service::Vipr => "X-SDS-AUTH-TOKEN: *** (from GET /login)",
        }
    }
}

/// The resolved global options.
pub struct Context {
    global: Global,
    profile_name: String,
    profile: Profile,
    password: OnceLock<Secret>,
    /// How to print results.
    pub printer: Printer,
}

impl Context {
    /// Loads the config file and picks the profile; a --profile missing from the file is an
    /// error unless `creating` (`config set` makes it).
    pub fn new(global: Global, creating: bool) -> Result<Self, Failure> {
        let file = ConfigFile::load()?;
        let profile_name = global
            .profile
            .clone()
            .or_else(|| file.default_profile.clone())
            .unwrap_or_else(|| "default".to_string());
        let profile = match file.profiles.get(&profile_name) {
            Some(p) => p.clone(),
            None if global.profile.is_some() && !creating => {
                return Err(Failure::usage(format!(
                    "no profile {profile_name:?} in {}",
                    ConfigFile::path()?.display()
                )))
            }
            None => Profile::default(),
        };
        let format = match (global.output, profile.output.as_deref()) {
            (Some(format), _) => format,
            (None, Some(text)) => {
                <Format as clap::ValueEnum>::from_str(text, true).map_err(Failure::usage)?
            }
            (None, None) => Format::detect(),
        };
        Ok(Self {
            global,
            profile_name,
            profile,
            password: OnceLock::new(),
            printer: Printer::new(format),
        })
    }

    /// The selected profile's name.
    pub fn profile_name(&self) -> &str {
        &self.profile_name
    }

    /// The host for `service`: --host, else the profile's key for the service, else its `host`.
    pub fn host(&self, service: Service) -> Result<String, Failure> {
        let specific = match service {
            Service::PowerStore => &self.profile.powerstore_host,
            Service::Lcm => &self.profile.lcm_host,
            Service::Vipr => &self.profile.vipr_host,
        };
        self.global
            .host
            .clone()
            .or_else(|| specific.clone())
            .or_else(|| self.profile.host.clone())
            .ok_or_else(|| Failure::usage("no host: give --host URL, MIGRATE_HOST or a profile"))
    }

    fn user(&self) -> Result<String, Failure> {
        self.global
            .user
            .clone()
            .or_else(|| self.profile.user.clone())
            .ok_or_else(|| Failure::usage("no user: give --user, MIGRATE_USER or a profile"))
    }

    /// The password: MIGRATE_PASSWORD, --password-stdin, or a prompt on a terminal.
    fn password(&self) -> Result<Secret, Failure> {
        if let Some(password) = self.password.get() {
            return Ok(password.clone());
        }
        let password = if let Ok(value) = std::env::var("MIGRATE_PASSWORD") {
            Secret::new(value)
        } else if self.global.password_stdin {
            read_stdin_line("password")?
        } else if std::io::stdin().is_terminal() {
            Secret::new(
                rpassword::prompt_password("Password: ")
                    .map_err(|e| Failure::usage(format!("cannot read the password: {e}")))?,
            )
        } else {
            return Err(Failure::usage(
                "no password: set MIGRATE_PASSWORD or use --password-stdin",
            ));
        };
        Ok(self.password.get_or_init(|| password).clone())
    }

    fn connect_options(&self) -> Result<ConnectOptions, Failure> {
        let ca = self
            .global
            .ca_cert
            .clone()
            .or_else(|| self.profile.ca_cert.clone());
        let ca_cert_pem = ca
            .map(|path| {
                std::fs::read(&path).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))
            })
            .transpose()?;
        Ok(ConnectOptions {
            timeout: self.global.timeout.map(Duration::from_secs),
            ca_cert_pem,
            insecure: self.global.insecure || self.profile.insecure.unwrap_or(false),
            ..ConnectOptions::default()
        })
    }

    /// A PowerStore client.
    pub fn powerstore(&self) -> Result<powerstore::Client, Failure> {
        let host = self.host(Service::PowerStore)?;
        Ok(ps_ext::connect(
            &host,
            self.user()?,
            self.password()?,
            &self.connect_options()?,
        )?)
    }

    /// An LCM client.
    pub fn lcm(&self) -> Result<lcm::Client, Failure> {
        let host = self.host(Service::Lcm)?;
        let credentials = lcm_ext::Credentials::Basic {
            user: self.user()?,
            password: self.password()?,
        };
        Ok(lcm_ext::connect(
            &host,
            credentials,
            &self.connect_options()?,
        )?)
    }

    /// A ViPR client.
    pub fn vipr(&self) -> Result<vipr::Client, Failure> {
        let host = self.host(Service::Vipr)?;
        Ok(vipr_ext::connect(
            &host,
            self.user()?,
            self.password()?,
            &self.connect_options()?,
        )?)
    }

    /// How patiently `--wait` waits.
    pub fn wait_options(&self) -> WaitOptions {
        let interval = Duration::from_secs_f64(self.global.poll_interval.clamp(0.001, 15.0));
        WaitOptions {
            interval,
            max_interval: Duration::from_secs(15).max(interval),
            timeout: Duration::from_secs(self.global.wait_timeout),
        }
    }

    /// Whether --dry-run was given.
    pub fn is_dry_run(&self) -> bool {
        self.global.dry_run
    }

    /// With --dry-run, prints `request` as it would be sent (credentials hidden, see
    /// `Request::preview`) with the service's authentication, and returns true: the caller then
    /// sends nothing. The request comes from the generated client's own builder, so what is
    /// shown is what would go out.
    pub fn dry_run(&self, service: Service, request: &Request) -> Result<bool, Failure> {
        if !self.global.dry_run {
            return Ok(false);
        }
        let host = self.host(service)?;
        let base = format!("{}{}", host.trim_end_matches('/'), service.base_path());
        let base = Url::parse(&base)
            .map_err(|e| Failure::usage(format!("--host {host}: not a URL: {e}")))?;
        let preview = request.preview(&base);
        let (first, rest) = preview.split_once('\n').unwrap_or((preview.as_str(), ""));
        crate::outln!("{first}");
        crate::outln!("{}", service.auth_header());
        if !rest.is_empty() {
            crate::outln!("{rest}");
        }
        Ok(true)
    }

    /// The command line that resumes waiting, with the options that pick the same service.
    pub fn resume_command(&self, args: &[&str]) -> String {
        let mut line = vec!["migrate".to_string()];
        if let Some(host) = &self.global.host {
            line.push(format!("--host {host}"));
        }
        if let Some(profile) = &self.global.profile {
            line.push(format!("--profile {profile}"));
        }
        line.extend(args.iter().map(|a| {
            if a.contains(char::is_whitespace) {
                format!("'{a}'")
            } else {
                a.to_string()
            }
        }));
        line.join(" ")
    }
}

/// One line of standard input, without its line ending.
pub fn read_stdin_line(what: &str) -> Result<Secret, Failure> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::usage(format!("cannot read the {what} from stdin: {e}")))?;
    let line = line.trim_end_matches(['\r', '\n']);
    if line.is_empty() {
        return Err(Failure::usage(format!("the {what} on stdin is empty")));
    }
    Ok(Secret::new(line))
}
