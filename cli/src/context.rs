//! Everything a command needs besides its own flags: the profile, the credentials, the output
//! printer, and the one path every request takes ([`Context::send`]: `--dry-run` shows it,
//! otherwise connect, then send).
//!
//! The password comes from `MIGRATE_PASSWORD`, `--password-stdin` or an interactive prompt, and
//! is read only when a request is really sent; it is never stored (see [`profile`]). A bearer
//! token for LCM comes from `MIGRATE_TOKEN` or `--token-stdin` (never from a flag's value, which
//! would show in `ps` and the shell's history); with one, LCM commands send it instead of Basic.
//!
//! [`profile`]: crate::profile

use std::io::{BufRead, IsTerminal};
use std::sync::OnceLock;
use std::time::Duration;

use migrate_clients::ext::ConnectOptions;
use migrate_runtime::wait::WaitOptions;
use migrate_runtime::{Request, Secret};

use crate::cli::Global;
use crate::exit::Failure;
use crate::output::{Format, Printer};
use crate::profile::{ConfigFile, Profile};
use crate::service::{Credentials, Host, Login, Service};

/// The resolved global options.
pub struct Context {
    global: Global,
    profile_name: String,
    profile: Profile,
    password: OnceLock<Secret>,
    token: OnceLock<Secret>,
    /// Never prompt (shell completion runs without a person to answer).
    no_prompt: bool,
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
                <Format as clap::ValueEnum>::from_str(text, true).map_err(|_| {
                    Failure::usage(format!(
                        "profile {profile_name:?}: output takes {}, not {text:?}",
                        Format::names()
                    ))
                })?
            }
            (None, None) => Format::detect(),
        };
        if global.token_stdin && global.password_stdin {
            return Err(Failure::usage(
                "--token-stdin and --password-stdin both read standard input; give the other \
                 one in MIGRATE_TOKEN or MIGRATE_PASSWORD",
            ));
        }
        let printer = Printer::new(format, global.query.clone(), global.utc);
        Ok(Self {
            global,
            profile_name,
            profile,
            password: OnceLock::new(),
            token: OnceLock::new(),
            no_prompt: false,
            printer,
        })
    }

    /// The same context that never asks for a password (for shell completion).
    pub fn without_prompts(mut self) -> Self {
        self.no_prompt = true;
        self
    }

    /// The selected profile.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The selected profile's name.
    pub fn profile_name(&self) -> &str {
        &self.profile_name
    }

    /// The host for `service`: --host (or MIGRATE_HOST), else the profile's key for the
    /// service, else its `host`.
    pub fn host<C>(&self, service: &Service<C>) -> Result<Host, Failure> {
        if let Some(host) = &self.global.host {
            return Ok(Host {
                value: host.clone(),
                source: "--host".to_string(),
            });
        }
        match self.profile.host(service.profile_key) {
            Some((value, key)) => Ok(Host {
                value: value.to_string(),
                source: format!("profile {:?}: {key}", self.profile_name),
            }),
            None => Err(Failure::usage(format!(
                "no {} host: give --host URL, MIGRATE_HOST or set {} in a profile",
                service.name, service.profile_key
            ))),
        }
    }

    fn user(&self) -> Result<String, Failure> {
        if let Some(user) = &self.global.user {
            return Ok(user.clone());
        }
        match &self.profile.user {
            Some(user) if !user.trim().is_empty() => Ok(user.clone()),
            _ => Err(Failure::usage(
                "no user: give --user, MIGRATE_USER or a profile",
            )),
        }
    }

    /// The password: MIGRATE_PASSWORD, --password-stdin, or a prompt on a terminal. An empty
    /// one is refused, and so are two sources at once.
    fn password(&self) -> Result<Secret, Failure> {
        if let Some(password) = self.password.get() {
            return Ok(password.clone());
        }
        let from_env = std::env::var_os("MIGRATE_PASSWORD");
        let password = match (from_env, self.global.password_stdin) {
            (Some(_), true) => {
                return Err(Failure::usage(
                    "both MIGRATE_PASSWORD and --password-stdin give the password; use one",
                ))
            }
            (Some(value), false) => {
                let value = value
                    .into_string()
                    .map_err(|_| Failure::usage("MIGRATE_PASSWORD is not valid UTF-8 text"))?;
                if value.is_empty() {
                    return Err(Failure::usage(
                        "MIGRATE_PASSWORD is set but empty; set the password, or unset it to be \
                         asked for it",
                    ));
                }
                Secret::new(value)
            }
            (None, true) => read_stdin_line("password")?,
            (None, false) if !self.no_prompt && std::io::stdin().is_terminal() => {
                let typed = rpassword::prompt_password("Password: ")
                    .map_err(|e| Failure::usage(format!("cannot read the password: {e}")))?;
                if typed.is_empty() {
                    return Err(Failure::usage("the password is empty"));
                }
                Secret::new(typed)
            }
            (None, false) => {
                return Err(Failure::usage(
                    "no password: set MIGRATE_PASSWORD or use --password-stdin",
                ))
            }
        };
        Ok(self.password.get_or_init(|| password).clone())
    }

    /// The flag that takes standard input for a credential, if one does (so nothing else may
    /// read it).
    pub fn stdin_taken(&self) -> Option<&'static str> {
        if self.global.password_stdin {
            Some("--password-stdin")
        } else if self.global.token_stdin {
            Some("--token-stdin")
        } else {
            None
        }
    }

    /// Whether a bearer token was given (`MIGRATE_TOKEN` or `--token-stdin`), without reading
    /// it.
    fn token_given(&self) -> bool {
        self.global.token_stdin || std::env::var_os("MIGRATE_TOKEN").is_some()
    }

    /// The bearer token: MIGRATE_TOKEN or --token-stdin, not empty, one source. Its value is
    /// never part of a message.
    fn token(&self) -> Result<Secret, Failure> {
        if let Some(token) = self.token.get() {
            return Ok(token.clone());
        }
        let token = match (std::env::var_os("MIGRATE_TOKEN"), self.global.token_stdin) {
            (Some(_), true) => {
                return Err(Failure::usage(
                    "both MIGRATE_TOKEN and --token-stdin give the token; use one",
                ))
            }
            (Some(value), false) => {
                let value = value
                    .into_string()
                    .map_err(|_| Failure::usage("MIGRATE_TOKEN is not valid UTF-8 text"))?;
                if value.trim().is_empty() {
                    return Err(Failure::usage(
                        "MIGRATE_TOKEN is set but empty; set the access token, or unset it to \
                         log in with user and password",
                    ));
                }
                Secret::new(value)
            }
            (None, _) => read_stdin_line("token")?,
        };
        if token
            .expose()
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(Failure::usage(
                "the bearer token holds white space or control characters; give the access \
                 token alone (without \"Bearer \")",
            ));
        }
        Ok(self.token.get_or_init(|| token).clone())
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
        let insecure = self.global.insecure || self.profile.insecure.unwrap_or(false);
        if insecure && ca_cert_pem.is_some() {
            return Err(Failure::usage(
                "--ca-cert and --insecure (or the profile's ca_cert and insecure) exclude each \
                 other: --ca-cert trusts one CA, --insecure trusts any certificate",
            ));
        }
        Ok(ConnectOptions {
            timeout: self.global.timeout,
            ca_cert_pem,
            insecure,
            ..ConnectOptions::default()
        })
    }

    /// Whether requests to `service` carry the bearer token.
    fn uses_token<C>(&self, service: &Service<C>) -> bool {
        service.takes_token() && self.token_given()
    }

    /// A client for `service`, logged in with the bearer token when the service takes one and
    /// one was given, else with the user and password. The host is checked before the password
    /// is asked for.
    pub fn connect<C>(&self, service: &Service<C>) -> Result<C, Failure> {
        let host = self.host(service)?;
        service.root(&host)?;
        let credentials = if self.uses_token(service) {
            Credentials::Token(self.token()?)
        } else {
            if self.token_given() {
                tracing::info!(
                    "the bearer token is for LCM; {} logs in with user and password",
                    service.name
                );
            }
            Credentials::Password(Login {
                user: self.user()?,
                password: self.password()?,
            })
        };
        service.connect(&host, credentials, &self.connect_options()?)
    }

    /// The one path of a command's request: with --dry-run `request` is shown and nothing is
    /// sent; otherwise the client is connected and `send` runs with it (it sends, and prints
    /// the result). `request` comes from the generated builder, which has checked the input,
    /// so what a dry run shows is what would go out.
    pub async fn send<C>(
        &self,
        service: &Service<C>,
        request: &Request,
        send: impl AsyncFnOnce(&C) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        if self.show(service, request)? {
            return Ok(());
        }
        let client = self.connect(service)?;
        send(&client).await.map_err(|failure| {
            if failure.status == Some(401) && self.uses_token(service) {
                failure.with_hint(
                    "the service refused the bearer token (MIGRATE_TOKEN or --token-stdin): it \
                     may have expired or be for another tenant; get a new access token",
                )
            } else {
                failure
            }
        })
    }

    /// With --dry-run, prints `request` as it would be sent (credentials hidden, see
    /// `Request::preview`) with the service's authentication, and returns true: the caller then
    /// sends nothing.
    pub fn show<C>(&self, service: &Service<C>, request: &Request) -> Result<bool, Failure> {
        if !self.global.dry_run {
            return Ok(false);
        }
        let base = service.base_url(&self.host(service)?)?;
        let preview = request.preview(&base);
        let (first, rest) = preview.split_once('\n').unwrap_or((preview.as_str(), ""));
        crate::outln!("{first}");
        crate::outln!("{}", service.auth(self.token_given()).shown());
        if !rest.is_empty() {
            crate::outln!("{rest}");
        }
        Ok(true)
    }

    /// Whether --dry-run was given.
    pub fn is_dry_run(&self) -> bool {
        self.global.dry_run
    }

    /// How patiently `--wait` waits.
    pub fn wait_options(&self) -> WaitOptions {
        let interval = self.global.poll_interval;
        WaitOptions {
            interval,
            max_interval: Duration::from_secs(15).max(interval),
            timeout: self.global.wait_timeout,
            ..WaitOptions::default()
        }
    }

    /// The command line that resumes waiting, with the options that reach the same service
    /// the same way (host, profile, CA, insecure), each word quoted for a shell.
    pub fn resume_command(&self, args: &[&str]) -> String {
        let mut words = vec!["migrate".to_string()];
        if let Some(host) = &self.global.host {
            words.extend(["--host".to_string(), host.clone()]);
        }
        if let Some(profile) = &self.global.profile {
            words.extend(["--profile".to_string(), profile.clone()]);
        }
        if let Some(ca) = &self.global.ca_cert {
            words.extend(["--ca-cert".to_string(), ca.display().to_string()]);
        }
        if self.global.insecure {
            words.push("--insecure".to_string());
        }
        words.extend(args.iter().map(|a| a.to_string()));
        let quoted: Vec<String> = words.iter().map(|w| crate::wait::shell_word(w)).collect();
        quoted.join(" ")
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
