//! rvoip-sip 0.4.0's examples/callback_peer/02_closure_gatekeeper/server.rs,
//! with the port from argv[1] instead of 5060 (nothing else changed): accepts
//! callers whose From contains "friend@", rejects the rest with 403.
use rvoip_sip::{CallHandlerDecision, CallbackPeer, Config};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            std::env::var("RUST_LOG").unwrap_or_else(|_| "warn,rvoip_sip_dialog=error".into()),
        )
        .init();
    let port: u16 = std::env::args().nth(1).map(|p| p.parse().unwrap()).unwrap_or(5060);
    let peer = CallbackPeer::from_fn(Config::local("gatekeeper", port), |call| {
        if call.from.contains("friend@") {
            println!("Accepting call from {}", call.from);
            CallHandlerDecision::Accept
        } else {
            println!("Rejecting call from {}", call.from);
            CallHandlerDecision::Reject { status: 403, reason: "Forbidden".into() }
        }
    })
    .await?;
    println!("Listening on port {port} (closure gatekeeper)...");
    tokio::select! {
        res = peer.run() => res?,
        _ = tokio::signal::ctrl_c() => println!("\nShutting down."),
    }
    std::process::exit(0);
}
