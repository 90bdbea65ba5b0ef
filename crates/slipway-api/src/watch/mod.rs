//! What keeps watching while the app is open or `slipway watch` runs: the clock pass and the
//! repository watcher that tells the board when a ref moves.

mod env_file;
mod monitor;
mod pass;
mod refs;
mod rehearsal;
mod timer;

pub use env_file::{read_watch_env, WatchEnv};
pub use monitor::{WatchHealthDto, WatchMonitor, METRICS_CONTENT_TYPE};
pub use pass::*;
pub use refs::*;
pub use rehearsal::rehearsal_instant;
pub use timer::Alarm;
