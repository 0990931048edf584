//! rvoip-sip 0.4.0's examples/callback_peer/01_auto_answer/server.rs, with the
//! port from argv[1] instead of 5060 (nothing else changed).
use rvoip_sip::{CallbackPeer, Config};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            std::env::var("RUST_LOG").unwrap_or_else(|_| "warn,rvoip_sip_dialog=error".into()),
        )
        .init();
    let port: u16 = std::env::args().nth(1).map(|p| p.parse().unwrap()).unwrap_or(5060);
    let peer = CallbackPeer::with_auto_answer(Config::local("server", port)).await?;
    println!("Listening on port {port} (auto-answer)...");
    tokio::select! {
        res = peer.run() => res?,
        _ = tokio::signal::ctrl_c() => println!("\nShutting down."),
    }
    std::process::exit(0);
}
