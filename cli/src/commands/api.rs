//! `migrate api <service> <operation> [flags]`: every operation of the shipped specs as a
//! command, for what the curated commands do not cover.
//!
//! Nothing here knows an operation: the commands, their flags and checks are generated from
//! the specs (each module's `api::Operation`, with the `cli` feature), and so is what this
//! module needs to know of each ([`Info`]: whether it pages, which waiters poll it, what to
//! wait for after it answers). This module reads `--body FILE`, sends the checked request
//! through the service's descriptor ([`Service`]: host, auth, `--dry-run`), and then, as the
//! operation's `Info` says, prints the answer, reads every page (`--all`), or waits
//! (`--wait`): on an operation a waiter polls, until the waiter says done; on one that starts
//! work (a 202 job, a created session, a full copy's tasks), for each piece of work its answer
//! names. A wait that ends without success prints what it waited for, its ids and the command
//! that resumes it, as every wait of the CLI does ([`Watch`]).

use std::path::PathBuf;

use clap::parser::ValueSource;
use clap::{ArgAction, ArgMatches, Args, FromArgMatches, Subcommand};
use heck::{ToKebabCase, ToSnakeCase};
use migrate_clients::{lcm, powerstore, vipr};
use migrate_runtime::command::{Info, Paging, ThenWait};
use migrate_runtime::futures::{future, TryStreamExt};
use migrate_runtime::waiter::{self, Finished, Rule};
use migrate_runtime::{paging, Bytes, Error, Request, Response, Transport};
use serde_json::{json, Value};

use crate::context::Context;
use crate::exit::{Code, Failure};
use crate::service::{Service, LCM, POWERSTORE, POWERSTORE_LOGIN, VIPR, VIPR_LOGIN};
use crate::wait::Watch;

/// `migrate api ...`
#[derive(Debug, Args)]
pub struct Command {
    /// The service.
    #[command(subcommand)]
    service: ServiceCommand,
}

/// The services, each with every operation of its spec.
#[derive(Debug, Subcommand)]
enum ServiceCommand {
    /// Dell PowerStore (specs/dellemc.swagger.json with its overlay).
    Powerstore(Box<ServiceArgs<powerstore::api::Operation>>),
    /// Oracle EPM LCM (specs/lcm.yaml).
    Lcm(Box<ServiceArgs<lcm::api::Operation>>),
    /// EMC ViPR (specs/vipr.yaml).
    Vipr(Box<ServiceArgs<vipr::api::Operation>>),
}

/// One service's operations, and the options every one of them takes.
#[derive(Debug, Args)]
#[command(arg_required_else_help = true, subcommand_value_name = "OPERATION")]
struct ServiceArgs<O: Subcommand> {
    /// List the operations: command, method, path, summary, whether --all pages it and what
    /// --wait waits for.
    #[arg(long)]
    list: bool,
    /// What to do with the answer.
    #[command(flatten)]
    options: CallOptions,
    /// The operation (see --list).
    #[command(subcommand)]
    call: Option<Call<O>>,
}

/// What to do with an operation's answer.
#[derive(Debug, Args)]
#[command(next_help_heading = "API options")]
struct CallOptions {
    /// Every item of a paged operation, fetched page by page.
    #[arg(long, global = true)]
    all: bool,
    /// Wait: on an operation a waiter polls, until it says done (--wait=NAME picks one of
    /// several waiters); on one that starts work (a job, a session, tasks), for that work.
    #[arg(
        long,
        global = true,
        value_name = "WAITER",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = ""
    )]
    wait: Option<String>,
}

/// One operation as the user gave it: the generated command, and what this module needs of the
/// command line that the generated type does not keep (the words given, the `--body` file).
#[derive(Debug)]
struct Call<O> {
    operation: O,
    /// The operation's clap command, for its arguments' names.
    command: clap::Command,
    /// The positional values, in order (the ids a wait is about).
    positionals: Vec<String>,
    /// The operation's own arguments as given, to repeat them in a resume command.
    words: Vec<String>,
    /// The `--body` file, if given.
    body_file: Option<PathBuf>,
}

impl<O: Subcommand> FromArgMatches for Call<O> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let operation = O::from_arg_matches(matches)?;
        let (name, given) = matches
            .subcommand()
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::MissingSubcommand))?;
        let command = O::augment_subcommands(clap::Command::new("api"))
            .find_subcommand(name)
            .cloned()
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidSubcommand))?;
        let mut words = vec![name.to_string()];
        let mut positionals = Vec::new();
        for arg in command.get_arguments() {
            let id = arg.get_id().as_str();
            if given.value_source(id) != Some(ValueSource::CommandLine) {
                continue;
            }
            let values: Vec<String> = given
                .get_raw(id)
                .into_iter()
                .flatten()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            match arg.get_long() {
                None => {
                    positionals.extend(values.iter().cloned());
                    words.extend(values);
                }
                Some(long) if matches!(arg.get_action(), ArgAction::SetTrue) => {
                    words.push(format!("--{long}"));
                }
                Some(long) => {
                    for value in values {
                        words.extend([format!("--{long}"), value]);
                    }
                }
            }
        }
        let body_file = given
            .try_get_one::<PathBuf>("body_file")
            .ok()
            .flatten()
            .cloned();
        Ok(Self {
            operation,
            command,
            positionals,
            words,
            body_file,
        })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl<O: Subcommand> Subcommand for Call<O> {
    fn augment_subcommands(command: clap::Command) -> clap::Command {
        O::augment_subcommands(command)
    }

    fn augment_subcommands_for_update(command: clap::Command) -> clap::Command {
        O::augment_subcommands_for_update(command)
    }

    fn has_subcommand(name: &str) -> bool {
        O::has_subcommand(name)
    }
}

/// A generated `Operation::request`: the command's request from the `--body` file (as JSON, or
/// as bytes), checked, nothing sent.
type BuildRequest<O> = fn(&O, Option<Value>, Option<Bytes>) -> Result<Request, Error<Value>>;

/// A generated module as `migrate api` drives it.
struct Api<C: 'static, O> {
    /// The service's name on the command line.
    name: &'static str,
    service: &'static Service<C>,
    operations: &'static [Info],
    request: BuildRequest<O>,
    info: fn(&O) -> &'static Info,
    transport: fn(&C) -> &Transport,
    /// How the service's login operation is sent, if it has one (see [`crate::service::AuthKind::login`]).
    login: Option<&'static Service<Transport>>,
}

const POWERSTORE_API: Api<powerstore::Client, powerstore::api::Operation> = Api {
    name: "powerstore",
    service: &POWERSTORE,
    operations: powerstore::api::OPERATIONS,
    request: powerstore::api::Operation::request,
    info: powerstore::api::Operation::info,
    transport: powerstore::Client::transport,
    login: Some(&POWERSTORE_LOGIN),
};

const LCM_API: Api<lcm::Client, lcm::api::Operation> = Api {
    name: "lcm",
    service: &LCM,
    operations: lcm::api::OPERATIONS,
    request: lcm::api::Operation::request,
    info: lcm::api::Operation::info,
    transport: lcm::Client::transport,
    login: None,
};

const VIPR_API: Api<vipr::Client, vipr::api::Operation> = Api {
    name: "vipr",
    service: &VIPR,
    operations: vipr::api::OPERATIONS,
    request: vipr::api::Operation::request,
    info: vipr::api::Operation::info,
    transport: vipr::Client::transport,
    login: Some(&VIPR_LOGIN),
};

/// Runs one `api` command.
pub async fn run(ctx: &Context, command: Command) -> Result<(), Failure> {
    match command.service {
        ServiceCommand::Powerstore(args) => POWERSTORE_API.run(ctx, *args).await,
        ServiceCommand::Lcm(args) => LCM_API.run(ctx, *args).await,
        ServiceCommand::Vipr(args) => VIPR_API.run(ctx, *args).await,
    }
}

/// What a command does once its request is built.
enum Plan {
    /// Send it and print the answer.
    Once,
    /// Read every page.
    All(Paging),
    /// Poll it until the waiter says done.
    Poll(&'static Rule),
    /// Send it, then wait for the work its answer names.
    ThenWait(Vec<&'static ThenWait>),
}

impl<C: 'static, O> Api<C, O> {
    async fn run(&self, ctx: &Context, args: ServiceArgs<O>) -> Result<(), Failure>
    where
        O: Subcommand,
    {
        let ServiceArgs {
            list,
            options,
            call,
        } = args;
        match (list, call) {
            (true, Some(call)) => Err(Failure::usage(format!(
                "--list lists the operations; leave it out to run {}",
                call.words[0]
            ))),
            (true, None) => self.list(ctx),
            (false, Some(call)) => self.call(ctx, &options, call).await,
            (false, None) => Err(Failure::usage(format!(
                "give an operation (migrate api {} --list shows them)",
                self.name
            ))),
        }
    }

    /// `--list`: every operation, with what `--all` and `--wait` do on it.
    fn list(&self, ctx: &Context) -> Result<(), Failure> {
        let rows: Vec<Value> = self
            .operations
            .iter()
            .map(|info| {
                json!({
                    "command": info.command,
                    "method": info.method,
                    "path": info.path,
                    "summary": info.summary,
                    "all": match info.paging {
                        Some(Paging::ContentRange { .. }) => "content-range",
                        Some(Paging::NextLink { .. }) => "next-link",
                        None => "",
                    },
                    "wait": waits_of(info),
                })
            })
            .collect();
        ctx.printer.list(
            &rows,
            &["command", "method", "path", "summary", "all", "wait"],
            &[],
        )
    }

    async fn call(
        &self,
        ctx: &Context,
        options: &CallOptions,
        call: Call<O>,
    ) -> Result<(), Failure> {
        let info = (self.info)(&call.operation);
        let plan = plan(info, options, &call)?;
        let (body, bytes) = read_body(ctx, info, &call)?;
        let request = (self.request)(&call.operation, body, bytes).map_err(|e| match e {
            Error::Validation(invalid) => Failure::usage(format!(
                "invalid input: {}{}: {}",
                flag_of(&invalid.field, &call.command),
                within(&invalid.field),
                invalid.message
            )),
            other => other.into(),
        })?;
        let login = self
            .login
            .filter(|_| self.service.auth.login() == Some((info.method, info.path)));
        let shown = request.clone();
        match login {
            // The login operation itself takes the credentials the session's login sends.
            Some(login) => {
                ctx.send(login, &shown, async |transport| {
                    self.execute(ctx, transport, plan, request, &call, info)
                        .await
                })
                .await
            }
            None => {
                ctx.send(self.service, &shown, async |client| {
                    let transport = (self.transport)(client);
                    self.execute(ctx, transport, plan, request, &call, info)
                        .await
                })
                .await
            }
        }
    }

    /// Sends `request` through `transport` and does with the answer what `plan` says.
    async fn execute(
        &self,
        ctx: &Context,
        transport: &Transport,
        plan: Plan,
        request: Request,
        call: &Call<O>,
        info: &'static Info,
    ) -> Result<(), Failure> {
        match plan {
            Plan::Once => print_answer(ctx, send(transport, request).await?),
            Plan::All(Paging::ContentRange { max_page_size }) => {
                let items: Vec<Value> =
                    paging::content_range::<Value, Value>(transport, Ok(request), max_page_size)
                        .try_collect()
                        .await?;
                ctx.printer.one(&items)
            }
            Plan::All(Paging::NextLink { items, next, rel }) => {
                let items: Vec<Value> =
                    paging::next_link::<Value, Value>(transport, Ok(request), items, next, rel)
                        .try_collect()
                        .await?;
                ctx.printer.one(&items)
            }
            Plan::Poll(rule) => {
                let mut resume = vec!["api", self.name];
                resume.extend(call.words.iter().map(String::as_str));
                let wait = wait_flag(info, rule);
                resume.push(&wait);
                let what = format!("{} ({})", rule.name, call.words.join(" "));
                let watch = Watch::new(ctx, what, &resume)
                    .id("waiter", rule.name)
                    .id("ids", call.positionals.clone());
                let polls = [(request, call.positionals.join(" "))];
                let last = wait_all(ctx, &watch, transport, rule, &polls).await?;
                print_value(ctx, last.into_iter().next().unwrap_or_default())
            }
            Plan::ThenWait(then) => self.then_wait(ctx, transport, request, &then).await,
        }
    }

    /// Sends `request`, then waits for what the answer names, as the first of `then` that
    /// matches its status says.
    async fn then_wait(
        &self,
        ctx: &Context,
        transport: &Transport,
        request: Request,
        then: &[&'static ThenWait],
    ) -> Result<(), Failure> {
        let answer = send(transport, request).await?;
        let status = answer.status;
        let Some(follow) = then.iter().find(|t| t.status.is_none_or(|s| s == status)) else {
            crate::errln!("the answer ({status}) names no work to wait for");
            return print_answer(ctx, answer);
        };
        let ids = follow.ids(&answer.body);
        if ids.is_empty() {
            print_answer(ctx, answer)?;
            return Err(Failure::new(
                Code::Service,
                format!(
                    "the {status} answer has no id at {} to wait for with {}",
                    follow.id, follow.rule.name
                ),
            ));
        }
        let polled = self
            .operations
            .iter()
            .find(|o| o.name == follow.rule.operation)
            .ok_or_else(|| {
                Failure::usage(format!("no operation {} to poll", follow.rule.operation))
            })?;
        let polls = ids
            .iter()
            .map(|id| Ok(((follow.poll)(id)?, id.clone())))
            .collect::<Result<Vec<_>, Failure>>()?;
        let wait = wait_flag(polled, follow.rule);
        let resume = ids
            .iter()
            .map(|id| ctx.resume_command(&["api", self.name, polled.command, id, &wait]))
            .collect::<Vec<_>>()
            .join(" ; ");
        let what = format!(
            "{} ({} {})",
            follow.rule.name,
            polled.command,
            ids.join(" ")
        );
        let watch = Watch::new(ctx, what, &[])
            .resume_line(resume)
            .id("waiter", follow.rule.name)
            .id("ids", ids.clone());
        let mut last = wait_all(ctx, &watch, transport, follow.rule, &polls).await?;
        match last.len() {
            1 => print_value(ctx, last.remove(0)),
            _ => ctx.printer.one(&last),
        }
    }
}

/// What `--all` and `--wait` would do, refused (exit 2, nothing sent) where the operation
/// does not page or has nothing to wait for.
fn plan<O>(info: &'static Info, options: &CallOptions, call: &Call<O>) -> Result<Plan, Failure> {
    let command = info.command;
    match (options.all, options.wait.as_deref()) {
        (true, Some(_)) => Err(Failure::usage(
            "--all and --wait exclude each other: one reads pages, the other polls",
        )),
        (true, None) => {
            let Some(paging) = info.paging else {
                return Err(Failure::usage(format!(
                    "--all: {command} does not page (its answer is one page or one object)"
                )));
            };
            if let Paging::ContentRange { .. } = paging {
                if let Some(flag) = ["--limit", "--offset", "--range"]
                    .into_iter()
                    .find(|flag| call.words.iter().any(|w| w == flag))
                {
                    return Err(Failure::usage(format!(
                        "{flag} and --all exclude each other: --all reads every page itself"
                    )));
                }
            }
            Ok(Plan::All(paging))
        }
        (false, Some(name)) => {
            if let Some(rule) = pick(info.waiters.iter().copied(), name, command)? {
                return Ok(Plan::Poll(rule));
            }
            let then: Vec<&'static ThenWait> = info
                .then_wait
                .iter()
                .filter(|t| name.is_empty() || t.rule.name == name)
                .collect();
            if then.is_empty() && !info.then_wait.is_empty() {
                let names: Vec<&str> = info.then_wait.iter().map(|t| t.rule.name).collect();
                return Err(Failure::usage(format!(
                    "--wait={name}: after {command} the waiters are {}",
                    names.join(", ")
                )));
            }
            if then.is_empty() {
                return Err(Failure::usage(format!(
                    "--wait: no waiter polls {command}, and the spec names no work its answer \
                     starts (migrate api SERVICE --list shows what can wait)"
                )));
            }
            Ok(Plan::ThenWait(then))
        }
        (false, None) => Ok(Plan::Once),
    }
}

/// The waiter `name` names among `waiters` (the first when `name` is empty); `None` when there
/// are none.
fn pick(
    mut waiters: impl ExactSizeIterator<Item = &'static Rule> + Clone,
    name: &str,
    command: &str,
) -> Result<Option<&'static Rule>, Failure> {
    if waiters.len() == 0 {
        return Ok(None);
    }
    let all = waiters.clone();
    match waiters.find(|w| name.is_empty() || w.name == name) {
        Some(rule) => Ok(Some(rule)),
        None => Err(Failure::usage(format!(
            "--wait={name}: the waiters of {command} are {}",
            all.map(|w| w.name).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// The `--wait` flag that picks `rule` on operation `info`.
fn wait_flag(info: &Info, rule: &Rule) -> String {
    if info.waiters.first().is_some_and(|w| w.name == rule.name) {
        "--wait".to_string()
    } else {
        format!("--wait={}", rule.name)
    }
}

/// What `--wait` waits for on an operation, for `--list`.
fn waits_of(info: &Info) -> String {
    let mut waits: Vec<String> = info.waiters.iter().map(|w| w.name.to_string()).collect();
    waits.extend(info.then_wait.iter().map(|t| match t.status {
        Some(status) => format!("{status}: {}", t.rule.name),
        None => format!("then {}", t.rule.name),
    }));
    waits.join(", ")
}

/// The `--body` file: JSON or YAML for a JSON body, the bytes as they are for any other;
/// `-` is standard input.
fn read_body<O>(
    ctx: &Context,
    info: &Info,
    call: &Call<O>,
) -> Result<(Option<Value>, Option<Bytes>), Failure> {
    let Some(path) = &call.body_file else {
        return Ok((None, None));
    };
    let raw = if path.as_os_str() == "-" {
        if let Some(flag) = ctx.stdin_taken() {
            return Err(Failure::usage(format!(
                "{flag} and --body - both read standard input; give the body in a file"
            )));
        }
        let mut raw = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut raw)
            .map_err(|e| Failure::usage(format!("--body -: cannot read standard input: {e}")))?;
        raw
    } else {
        std::fs::read(path)
            .map_err(|e| Failure::usage(format!("--body {}: {e}", path.display())))?
    };
    if !info.body {
        return Ok((None, Some(Bytes::from(raw))));
    }
    let shown = path.display();
    let value = match serde_json::from_slice::<Value>(&raw) {
        Ok(value) => value,
        Err(json) if raw.trim_ascii_start().starts_with(b"{") => {
            return Err(Failure::usage(format!("--body {shown}: not JSON: {json}")))
        }
        Err(_) => serde_yaml::from_slice::<Value>(&raw).map_err(|yaml| {
            Failure::usage(format!("--body {shown}: neither JSON nor YAML: {yaml}"))
        })?,
    };
    Ok((Some(value), None))
}

/// The flag (or positional value name) a validation error's field is about.
fn flag_of(field: &str, command: &clap::Command) -> String {
    let top = field.split(['.', '[']).next().unwrap_or(field);
    if top.starts_with('-') {
        return top.to_string();
    }
    let (snake, kebab) = (top.to_snake_case(), top.to_kebab_case());
    let found = command.get_arguments().find(|arg| {
        let id = arg.get_id().as_str();
        arg.get_long() == Some(kebab.as_str())
            || id == snake
            || id.strip_prefix("body_") == Some(snake.as_str())
    });
    match found {
        Some(arg) => match (arg.get_long(), arg.get_value_names()) {
            (Some(long), _) => format!("--{long}"),
            (None, Some([name, ..])) => name.to_string(),
            (None, _) => arg.get_id().to_string().to_uppercase(),
        },
        None => format!("--{kebab}"),
    }
}

/// The part of a field path below its top (`[2].name` of `host_ids[2].name`).
fn within(field: &str) -> &str {
    let top = field.split(['.', '[']).next().unwrap_or(field);
    &field[top.len()..]
}

/// Sends `request`: a success's body as JSON (`null` when empty, a string when it is text),
/// any other answer as the error it is.
async fn send(transport: &Transport, request: Request) -> Result<Response<Value>, Error<Value>> {
    let raw = transport.send::<Value>(request).await?;
    if !(200..300).contains(&raw.status()) {
        return Err(raw.error());
    }
    if raw.body().iter().all(u8::is_ascii_whitespace) {
        return raw.empty_as(Value::Null);
    }
    match serde_json::from_slice::<Value>(raw.body()) {
        Ok(_) => raw.json(),
        Err(_) => raw.text().map(|r| r.map(Value::String)),
    }
}

/// Prints an answer: its body as [`print_value`] does; an empty one says its status on stderr.
fn print_answer(ctx: &Context, answer: Response<Value>) -> Result<(), Failure> {
    if answer.body.is_null() {
        crate::errln!("answered {} with no body", answer.status);
    }
    print_value(ctx, answer.body)
}

/// Prints a body as the output options say (a list of objects as rows with every field they
/// have); nothing for none.
fn print_value(ctx: &Context, body: Value) -> Result<(), Failure> {
    match body {
        Value::Null => Ok(()),
        body => ctx.printer.one(&body),
    }
}

/// Waits, all at once, for each of `polls` (a request, and what it polls, for messages) with
/// `rule`, through `watch`, and gives the last answer of each. When any failed,
/// the failure (exit 4) names each with its state and messages, and the record of the wait
/// holds every last answer.
async fn wait_all(
    ctx: &Context,
    watch: &Watch,
    transport: &Transport,
    rule: &'static Rule,
    polls: &[(Request, String)],
) -> Result<Vec<Value>, Failure> {
    let finished = watch
        .run(async {
            let waits = polls.iter().map(|(request, _)| {
                let poll = || send(transport, request.clone());
                waiter::declared(rule, poll, ctx.wait_options(), watch.progress())
            });
            future::try_join_all(waits).await.map_err(Failure::from)
        })
        .await?;
    let mut failed = Vec::new();
    let mut last = Vec::new();
    for (finished, (_, polled)) in finished.into_iter().zip(polls) {
        match finished {
            Finished::Done(answer) => last.push(answer),
            Finished::Failed(failure) => {
                let mut text = format!("{polled} ended {}", failure.state);
                for message in &failure.messages {
                    text.push_str(&format!(": {message}"));
                }
                failed.push(text);
                last.push(failure.last);
            }
        }
    }
    if failed.is_empty() {
        return Ok(last);
    }
    match last.as_slice() {
        [one] => watch.keep(one),
        all => watch.keep(&all),
    }
    Err(watch.stopped(Failure::new(
        Code::Failed,
        format!("{}: {}", rule.name, failed.join("\n")),
    )))
}
