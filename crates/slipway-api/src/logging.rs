use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;

use crate::workspace::app_data_dir;

/// Sends `tracing` output to a daily rolling file `<app data>/logs/<component>.log.<date>`,
/// filtered by `RUST_LOG` (default `info`). Keep the guard alive until exit; without a
/// writable log folder this says so on stderr and logs nowhere.
pub fn init_logging(component: &str) -> Option<WorkerGuard> {
    let dir = app_data_dir().join("logs");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("slipway: not logging, cannot create {}: {e}", dir.display());
        return None;
    }
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(format!("{component}.log"))
        .max_log_files(14)
        .build(&dir);
    let appender = match appender {
        Ok(a) => a,
        Err(e) => {
            eprintln!(
                "slipway: not logging, cannot write to {}: {e}",
                dir.display()
            );
            return None;
        }
    };
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let installed = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .is_ok();
    installed.then_some(guard)
}
