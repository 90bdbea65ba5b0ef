//! `slipway://` links from outside the app: the one that started it, and those a second
//! launch hands over (the single-instance plugin forwards them to the deep-link plugin). The
//! core reads each link ([`LinkDto::parse`]); anything but its known forms is ignored with a
//! log line. A link only ever opens a page — nothing is done without a click.

use std::sync::Mutex;

use slipway_api::LinkDto;
use tauri::{AppHandle, Emitter, Manager};

/// The link the app was started on, until the window asks for it (`window_start`).
#[derive(Default)]
pub(crate) struct StartLink(Mutex<Option<LinkDto>>);

impl StartLink {
    /// Takes it (the window follows it once).
    pub(crate) fn take(&self) -> Option<LinkDto> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// Reads `url`; `None`, with a log line, when it is not a link Slipway follows. The link
/// is untrusted: only its length and scheme are logged.
fn read(url: &str) -> Option<LinkDto> {
    let link = LinkDto::parse(url);
    if link.is_none() {
        tracing::info!(
            scheme = url.split_once(':').map_or("", |(s, _)| s),
            length = url.len(),
            "not a link Slipway follows; ignored"
        );
    }
    link
}

/// Brings the window up.
pub(crate) fn show_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Follows links handed to the running app (the deep-link plugin's, from a second launch):
/// the window comes up on the page the last known one leads to.
pub(crate) fn follow(app: &AppHandle, urls: &[String]) {
    show_window(app);
    if let Some(target) = urls.iter().filter_map(|u| read(u)).next_back() {
        let _ = app.emit("open-link", target);
    }
}

/// The link among the arguments the app was started with (the desktop entry passes it as
/// `%u`), kept for the window.
pub(crate) fn remember_start(app: &AppHandle, args: impl IntoIterator<Item = String>) {
    let found = args
        .into_iter()
        // Every URL-like argument is read (and an unknown one logged); flags are not links.
        .filter(|a| a.contains("://"))
        .filter_map(|a| read(&a))
        .last();
    if let Some(target) = found {
        tracing::info!(page = ?target.page, request = target.request, follow_up = target.follow_up, acknowledge = target.acknowledge, "opening on the link it was started on");
        *app.state::<StartLink>()
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(target);
    }
}
