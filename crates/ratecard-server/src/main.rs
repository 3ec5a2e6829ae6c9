//! `ratecard-server`: parse the flags, load the catalogues, open the account store, serve
//! until SIGTERM or Ctrl-C; or `keys create|list|revoke`.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use ratecard_server::config::{Command, KeysCommand};
use ratecard_server::store::{Role, Store, redact};
use ratecard_server::{AppState, Cli, Config, Registry, app, auth, openapi_json, serve};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();

    if cli.print_openapi {
        let mut out = std::io::stdout().lock();
        return match out
            .write_all(openapi_json().as_bytes())
            .and_then(|()| out.flush())
        {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        };
    }

    if let Some(Command::Keys(command)) = &cli.command {
        return keys(&cli.database, command).await;
    }

    let config = match Config::from_cli(&cli) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("ratecard-server: {e}");
            return ExitCode::from(2);
        }
    };
    let registry = match &cli.catalogues {
        Some(dir) => Registry::with_dir(dir),
        None => Registry::builtin(),
    };
    let registry = match registry {
        Ok(r) => r,
        Err(e) => {
            eprintln!("ratecard-server: refusing to start: invalid catalogue: {e}");
            return ExitCode::from(3);
        }
    };
    if let Some(dir) = &config.widget_dir
        && !dir.join("index.html").is_file()
    {
        tracing::warn!(
            dir = %dir.display(),
            "no index.html in the widget directory; `/` will say the widget is not built"
        );
    }
    tracing::info!(catalogues = ?registry.ids(), "catalogues loaded");

    let store = match Store::open(&cli.database) {
        Ok(store) => Arc::new(store),
        Err(e) => {
            eprintln!("ratecard-server: refusing to start: {e}");
            return ExitCode::from(5);
        }
    };
    // Migrated before the address is printed, so a script that waits for that line finds
    // the schema in place. A database that is down now does not stop the server: the
    // calculations work, the account endpoints answer 503, and the next request that
    // needs the store migrates it.
    match store.migrate().await {
        Ok(()) => tracing::info!(database = %redact(&cli.database), "account store ready"),
        Err(e) => {
            tracing::warn!(database = %redact(&cli.database), error = %e, "account store not ready; retrying on demand")
        }
    }

    // Installed before the socket is bound, so an early SIGTERM still shuts down cleanly.
    let shutdown = serve::shutdown_signal();
    let listener = match tokio::net::TcpListener::bind(cli.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("ratecard-server: cannot listen on {}: {e}", cli.listen);
            return ExitCode::from(4);
        }
    };
    let addr = listener.local_addr().map_or(cli.listen, |a| a);
    // Tests and scripts read this line to learn the port when `--listen` used port 0.
    println!("ratecard-server listening on http://{addr}");
    let _ = std::io::stdout().flush();

    let state = AppState {
        registry: Arc::new(registry),
        config: Arc::new(config),
        accounts: None,
    }
    .with_store(Arc::clone(&store));
    let audit = state.accounts.as_ref().map(|a| a.audit.clone());
    serve::serve(
        listener,
        app(state),
        Duration::from_secs(cli.header_timeout_secs),
        shutdown,
    )
    .await;
    if let Some(audit) = audit {
        audit.flush().await;
    }
    store.close().await;
    ExitCode::SUCCESS
}

/// `ratecard-server keys …`: exit 0 on success, 1 when the request cannot be done (a
/// name taken, no such key), 5 when the store is unavailable.
async fn keys(database: &str, command: &KeysCommand) -> ExitCode {
    let store = match Store::open(database) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("ratecard-server: {e}");
            return ExitCode::from(5);
        }
    };
    let unavailable = |e: ratecard_server::store::StoreError| {
        eprintln!("ratecard-server: {e}");
        ExitCode::from(5)
    };
    let code = match command {
        KeysCommand::Create { name, role } => {
            let role = match Role::parse(role) {
                Ok(role) => role,
                Err(e) => {
                    eprintln!("ratecard-server: {e}");
                    return ExitCode::from(2);
                }
            };
            let name = name.trim();
            if name.is_empty()
                || name.chars().count() > ratecard_server::store::MAX_ID_LEN
                || name.chars().any(char::is_control)
            {
                eprintln!(
                    "ratecard-server: a key name has 1 to 200 characters and no control characters"
                );
                return ExitCode::from(2);
            }
            let key = match auth::generate_key() {
                Ok(key) => key,
                Err(e) => {
                    eprintln!("ratecard-server: {e}");
                    return ExitCode::FAILURE;
                }
            };
            match store.insert_key(name, role, &auth::hash_key(&key)).await {
                Ok(true) => {
                    println!("{key}");
                    eprintln!(
                        "ratecard-server: created the {} key `{name}`; it is shown once, store it now",
                        role.as_str()
                    );
                    ExitCode::SUCCESS
                }
                Ok(false) => {
                    eprintln!(
                        "ratecard-server: a key named `{name}` exists; revoke it or choose another name"
                    );
                    ExitCode::FAILURE
                }
                Err(e) => unavailable(e),
            }
        }
        KeysCommand::List => match store.keys().await {
            Ok(keys) => {
                println!("{:<24} {:<8} {:<25} revoked", "name", "role", "created");
                for k in keys {
                    println!(
                        "{:<24} {:<8} {:<25} {}",
                        k.name,
                        k.role.as_str(),
                        k.created_at.format("%Y-%m-%dT%H:%M:%SZ"),
                        k.revoked_at.map_or_else(
                            || "-".to_owned(),
                            |r| r.format("%Y-%m-%dT%H:%M:%SZ").to_string()
                        )
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => unavailable(e),
        },
        KeysCommand::Revoke { name } => match store.revoke_key(name).await {
            Ok(true) => {
                eprintln!("ratecard-server: revoked the key `{name}`");
                ExitCode::SUCCESS
            }
            Ok(false) => {
                eprintln!("ratecard-server: no key named `{name}` is active");
                ExitCode::FAILURE
            }
            Err(e) => unavailable(e),
        },
    };
    store.close().await;
    code
}
