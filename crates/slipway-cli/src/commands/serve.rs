//! `slipway watch --listen`: `/healthz` and `/metrics` over HTTP, answered by the watcher's
//! [`WatchMonitor`] (the API reads and renders; this only serves).

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use slipway_api::{
    ApiError, ErrorCode, SystemClock, WatchMonitor, Workspace, METRICS_CONTENT_TYPE,
};
use tokio::net::TcpListener;

/// Takes `addr` (`HOST:PORT`), or says why it cannot be had.
pub async fn bind(addr: &str) -> Result<TcpListener, ApiError> {
    TcpListener::bind(addr).await.map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::AddrInUse => {
                "the address is already in use (another watcher, or another service, listens there)"
                    .to_string()
            }
            std::io::ErrorKind::PermissionDenied => {
                "permission denied (ports below 1024 need privileges)".to_string()
            }
            std::io::ErrorKind::InvalidInput => {
                "it is not an address (write HOST:PORT, e.g. 127.0.0.1:9464)".to_string()
            }
            _ => e.to_string(),
        };
        ApiError::new(
            ErrorCode::InvalidInput,
            format!("Cannot listen on {addr}: {why}; nothing was started."),
        )
    })
}

#[derive(Clone)]
struct Served {
    workspace: Workspace,
    monitor: WatchMonitor,
}

/// Serves `/healthz` and `/metrics` on `listener` until the process ends.
pub async fn serve(listener: TcpListener, workspace: Workspace, monitor: WatchMonitor) {
    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .with_state(Served { workspace, monitor });
    if let Err(e) = axum::serve(listener, app).await {
        eprintln!("slipway watch: the health and metrics server stopped: {e}");
    }
}

async fn healthz(State(s): State<Served>) -> impl IntoResponse {
    let health = s.monitor.health(&s.workspace, &SystemClock).await;
    let status = if health.healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(health))
}

async fn metrics(State(s): State<Served>) -> impl IntoResponse {
    let text = s.monitor.metrics(&s.workspace, &SystemClock).await;
    ([(header::CONTENT_TYPE, METRICS_CONTENT_TYPE)], text)
}
