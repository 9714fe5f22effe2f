//! The `panel` binary: `serve` (default), `migrate`, `setup-code`, `admin create`.

use clap::Parser;
use server::config::{AdminCommand, Cli, Command, LogFormat};
use server::{ServerError, startup};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.config.log_format);
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), ServerError> {
    let config = cli.config;
    config.check().map_err(ServerError::Config)?;
    if let Some(Command::SetupCode) = cli.command {
        let key = server::secret::load_or_create(config.secret.as_deref(), &config.data_dir)?;
        println!("{}", panel_core::setup::code(&key));
        return Ok(());
    }
    let database = startup::database(&config).await?;
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&config, database.pool.clone()).await,
        Command::Migrate | Command::SetupCode => Ok(()),
        Command::Admin {
            action: AdminCommand::Create { username, plain },
        } => {
            let stdin = std::io::stdin();
            let cost = config.bcrypt_cost;
            server::cli::create_user(&database.pool, &username, stdin.lock(), cost, !plain)
                .await
                .map(|user| {
                    let kind = if plain { "user" } else { "administrator" };
                    println!("created {kind} {}", user.username)
                })
        }
    };
    if let Some(pg) = &database.private {
        database.pool.close();
        if let Err(e) = pg.stop().await {
            tracing::warn!("{e}");
        }
    }
    result
}

async fn serve(config: &server::Config, pool: db::Pool) -> Result<(), ServerError> {
    let cluster = startup::cluster(config).await?;
    let mut config = config.clone();
    if cluster.sandbox.is_some() && config.backup_repository.is_none() {
        config.backup_repository = startup::sandbox_backup_repository(&config.data_dir);
    }
    let config = &config;
    let state = startup::state(
        config,
        pool,
        cluster.kube.clone(),
        cluster.sandbox.is_some(),
    )
    .await?;
    if cluster.sandbox.is_some()
        && let Err(e) = panel_core::templates::seed_sandbox(&state).await
    {
        tracing::warn!(error = %e, "the sandbox's templates could not be added");
    }
    tokio::spawn(panel_core::status_sync::run(state.clone()));
    tokio::spawn(panel_core::expose::watch(state.clone()));
    tokio::spawn(panel_core::live::access::run(state.clone()));
    tokio::spawn(panel_core::worlds::expire_hourly(state.clone()));
    if config.ping_secs > 0 {
        tokio::spawn(panel_core::players::run(
            state.clone(),
            std::time::Duration::from_secs(config.ping_secs),
        ));
    }
    tokio::spawn(panel_core::audit::prune_daily(
        state.clone(),
        config.audit_retention_days,
    ));
    // every replica looks for due schedules; Postgres gives each due time to one of them
    tokio::spawn(panel_core::schedules::run(state.clone()));
    tokio::spawn(panel_core::webhooks::deliver::run(state.clone()));
    tokio::spawn(panel_core::samples::run(
        state.clone(),
        std::time::Duration::from_secs(config.sample_secs),
    ));
    tokio::spawn(panel_core::webhooks::watch_players(state.clone()));
    let holder = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
    tokio::spawn(panel_core::reconcile::run(
        state.clone(),
        holder,
        std::time::Duration::from_secs(config.resync_secs),
    ));
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(ServerError::io(format!("listening on {}", config.listen)))?;
    tracing::info!(
        "panel listening on http://{}",
        listener
            .local_addr()
            .map_err(ServerError::io("reading the address"))?
    );
    if let Some(addr) = config.metrics_listen.0 {
        let metrics = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(ServerError::io(format!(
                "listening for metrics on {addr} (PANEL_METRICS_LISTEN=off to serve none)"
            )))?;
        tracing::info!(
            "metrics on http://{}/metrics",
            metrics
                .local_addr()
                .map_err(ServerError::io("reading the address"))?
        );
        let state = state.clone();
        tokio::spawn(async move {
            if let Err(e) = startup::serve_metrics(metrics, state, startup::shutdown_signal()).await
            {
                tracing::error!("{e}");
            }
        });
    }
    startup::announce_setup(&state).await;
    if !config.dist_dir.join("index.html").exists() {
        tracing::warn!(dist = %config.dist_dir.display(), "no web app built here: run trunk build first");
    }
    let result = startup::serve(listener, config, state, startup::shutdown_signal()).await;
    if let Some(fk) = cluster.sandbox {
        fk.stop().await;
    }
    result
}

fn init_tracing(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Pretty => builder.init(),
    }
}
