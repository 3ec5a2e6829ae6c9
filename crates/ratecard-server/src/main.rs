//! `ratecard-server`: parse the flags, load the catalogues, serve until SIGTERM or Ctrl-C.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use ratecard_server::{AppState, Cli, Config, Registry, app, openapi_json, serve};

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
    };
    serve::serve(
        listener,
        app(state),
        Duration::from_secs(cli.header_timeout_secs),
        shutdown,
    )
    .await;
    ExitCode::SUCCESS
}
