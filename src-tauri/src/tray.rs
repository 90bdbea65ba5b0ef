//! The tray icon (its title counts what waits for you; its menu opens it) and desktop
//! notifications.

use std::sync::Arc;

use slipway_api::{DesktopNoticeDto, Session, WaitingForMeDto};
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{Emitter, Listener, Manager};
use tauri_plugin_notification::NotificationExt;

/// Desktop-channel notifications: the OS's notification service, and an in-app toast (the
/// window hears `desktop-notice`). A missing notification service only loses the former.
pub(crate) fn desktop_sink(app: &tauri::AppHandle) -> slipway_api::DesktopSink {
    let app = app.clone();
    Arc::new(move |notice: DesktopNoticeDto| {
        // The window shows every notice; the system pops one up unless you turned that off.
        if !slipway_api::desktop_notices_on() {
            let _ = app.emit("desktop-notice", notice);
            return;
        }
        if let Err(e) = app
            .notification()
            .builder()
            .title(&notice.title)
            .body(&notice.body)
            .show()
        {
            tracing::debug!(error = %e, "no desktop notification service");
        }
        let _ = app.emit("desktop-notice", notice);
    })
}

/// The tray icon: its title counts what waits for you; its menu lists it and opens it in
/// the window (which hears `open-link` with where the link leads, read by the core).
pub(crate) fn build_tray(app: &tauri::App) -> tauri::Result<(TrayIcon, Menu<tauri::Wry>)> {
    let menu = Menu::with_items(
        app,
        &[&MenuItem::with_id(
            app,
            "0|slipway://board",
            "Open Slipway",
            true,
            None::<&str>,
        )?],
    )?;
    let mut builder = TrayIconBuilder::with_id("slipway")
        .menu(&menu)
        .tooltip("Slipway")
        .on_menu_event(|app, event| {
            let id = event.id().as_ref();
            let link = id.split_once('|').map_or(id, |(_, link)| link);
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.show();
                let _ = window.set_focus();
            }
            match slipway_api::LinkDto::parse(link) {
                Some(target) => {
                    let _ = app.emit("open-link", target);
                }
                None => tracing::info!(link, "not a link Slipway follows; ignored"),
            }
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    Ok((builder.build(app)?, menu))
}

pub(crate) fn show_waiting(
    app: &tauri::AppHandle,
    tray: &TrayIcon,
    menu: &Menu<tauri::Wry>,
    waiting: &WaitingForMeDto,
) -> tauri::Result<()> {
    for item in menu.items()? {
        menu.remove(&item)?;
    }
    let header = if waiting.total == 0 {
        "Nothing waits for you".to_string()
    } else {
        format!(
            "{} waiting for you: {} sign-off(s), {} approval(s), {} breach(es)",
            waiting.total, waiting.signoffs, waiting.approvals, waiting.breaches
        )
    };
    menu.append(&MenuItem::with_id(
        app,
        "0|slipway://board",
        header,
        true,
        None::<&str>,
    )?)?;
    if !waiting.items.is_empty() {
        menu.append(&PredefinedMenuItem::separator(app)?)?;
    }
    for (i, item) in waiting.items.iter().enumerate() {
        let id = format!("{}|{}", i + 1, item.link);
        menu.append(&MenuItem::with_id(
            app,
            id,
            &item.label,
            true,
            None::<&str>,
        )?)?;
    }
    let title = (waiting.total > 0).then(|| waiting.total.to_string());
    tray.set_title(title.as_deref())?;
    tray.set_tooltip(Some(if waiting.total == 0 {
        "Slipway".to_string()
    } else {
        format!("Slipway — {} waiting for you", waiting.total)
    }))?;
    if let Some(window) = app.get_webview_window("main") {
        window.set_title(&match waiting.total {
            0 => "Slipway".to_string(),
            n => format!("Slipway ({n})"),
        })?;
    }
    Ok(())
}

/// Keeps the tray current: now, every 30 seconds, and whenever the board changes.
pub(crate) fn keep_tray_current(
    app: tauri::AppHandle,
    session: Arc<Session>,
    tray: TrayIcon,
    menu: Menu<tauri::Wry>,
) {
    let wake = Arc::new(tokio::sync::Notify::new());
    {
        let wake = Arc::clone(&wake);
        app.listen("board-changed", move |_| wake.notify_one());
    }
    tauri::async_runtime::spawn(async move {
        loop {
            match session.waiting_for_me().await {
                Ok(waiting) => {
                    if let Err(e) = show_waiting(&app, &tray, &menu, &waiting) {
                        tracing::debug!(error = %e, "the tray could not be updated");
                    }
                }
                Err(e) => tracing::debug!(error = %e.message, "what waits for you is unknown"),
            }
            let _ = tokio::time::timeout(std::time::Duration::from_secs(30), wake.notified()).await;
        }
    });
}
