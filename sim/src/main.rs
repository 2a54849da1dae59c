//! `migrate-sim` binary: runs the simulator on one local port until Ctrl-C, printing where each
//! service lives and how to log in, so a new user can point the `migrate` CLI at it.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use clap::Parser;
use migrate_sim::{start, SimConfig};

/// Simulated PowerStore, Oracle EPM LCM and ViPR REST services on one local port.
#[derive(Parser, Debug)]
#[command(name = "migrate-sim", version)]
struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Duration of one simulated state step, in milliseconds.
    #[arg(long, default_value_t = 2000)]
    step_ms: u64,
    /// User name accepted by all three services.
    #[arg(long, default_value = "admin")]
    user: String,
    /// Password accepted by all three services.
    #[arg(long, default_value = "Password123!")]
    password: String,
    /// PowerStore session idle timeout, in seconds.
    #[arg(long, default_value_t = 3600)]
    idle_timeout_secs: u64,
    /// Finished PowerStore import sessions to seed (hist-00001, …), for lists of many pages.
    #[arg(long, default_value_t = 0)]
    import_sessions: usize,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let args = Args::parse();
    anyhow::ensure!(args.step_ms > 0, "--step-ms must be positive");
    let mut config = SimConfig::default()
        .with_shared_user(&args.user, &args.password)
        .with_step(Duration::from_millis(args.step_ms))
        .with_import_sessions(args.import_sessions);
    config.powerstore_idle_timeout = Duration::from_secs(args.idle_timeout_secs);
    let bearer = config.lcm_bearer_token.clone();
    let domain = config.lcm_identity_domain.clone();
    let sim = start(SocketAddr::new(args.bind, args.port), config).await?;

    println!("migrate-sim listening on {}", sim.base_url());
    println!("  PowerStore  {}", sim.powerstore_url());
    println!("  EPM LCM     {}", sim.lcm_url());
    println!("  ViPR        {}", sim.vipr_url());
    println!(
        "  admin API   {}/_sim (faults, requests, seed)",
        sim.base_url()
    );
    println!("credentials: user {:?} password {:?} (all services; LCM also accepts {domain}.{} and Bearer {bearer})", args.user, args.password, args.user);
    println!("one simulated step = {} ms", args.step_ms);
    println!("seed data:\n{}", serde_json::to_string_pretty(&sim.seed())?);
    println!("press Ctrl-C to stop");

    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}
