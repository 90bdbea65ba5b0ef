//! Slipway's desktop shell: the builder (plugins, the session, the background loops, the
//! tray) and reading `--workspace DIR`. The window's commands are in `commands`, the tray in
//! `tray`; neither holds business logic.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::Arc;

use slipway_api::Session;
use tauri::{Emitter, Manager};

mod commands;
mod links;
mod tray;

/// `--workspace DIR` or `--workspace=DIR`; the rest of the arguments are the platform's.
fn workspace_flag() -> Option<PathBuf> {
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--workspace" {
            return args.next().map(PathBuf::from);
        }
        if let Some(value) = arg.to_str().and_then(|a| a.strip_prefix("--workspace=")) {
            return Some(PathBuf::from(value));
        }
    }
    None
}

/// Without a display GTK cannot open a window (it would abort with its own message): say
/// what to do instead, the command line working as ever.
#[cfg(target_os = "linux")]
fn require_display() {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if !set("DISPLAY") && !set("WAYLAND_DISPLAY") {
        eprintln!(
            "slipway-desktop: there is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set). Run it in a desktop session, or under Xvfb (xvfb-run slipway-desktop); the slipway command line works without one."
        );
        std::process::exit(2);
    }
}

#[cfg(not(target_os = "linux"))]
fn require_display() {}

fn main() {
    require_display();
    slipway_api::start_git();
    let _log = slipway_api::init_logging("slipway-desktop");
    let session = Session::resolve(workspace_flag());
    tracing::info!(workspace = %session.dir().display(), "starting");
    let result = tauri::Builder::default()
        // First: a second launch ends here and this window comes up; the link it was given
        // (the desktop entry passes it alone, as `%u`) reaches the deep-link handler below.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            links::show_window(app);
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .manage(Arc::new(session))
        .manage(links::StartLink::default())
        .setup(|app| {
            // The link the app was started on waits for the window; later ones are followed.
            links::remember_start(app.handle(), std::env::args().skip(1));
            {
                use tauri_plugin_deep_link::DeepLinkExt;
                let handle = app.handle().clone();
                app.deep_link().on_open_url(move |event| {
                    let urls: Vec<String> = event.urls().iter().map(|u| u.to_string()).collect();
                    links::follow(&handle, &urls);
                });
            }
            // When a project's refs change, tell the window; it reloads the board.
            let handle = app.handle().clone();
            let session = Arc::clone(app.state::<Arc<Session>>().inner());
            session.on_change(Arc::new(move || {
                let _ = handle.emit("board-changed", ());
            }));
            // Fetch every project now and then on the workspace's interval.
            tauri::async_runtime::spawn(Arc::clone(&session).keep_fetching());
            // Team mode: other desktops' promotions, holds and sign-offs arrive pushed.
            tauri::async_runtime::spawn(Arc::clone(&session).keep_listening());
            // Evaluate SLA and aging clocks while the app is open (safe beside `slipway watch`).
            tauri::async_runtime::spawn(
                Arc::clone(&session).keep_watching(std::time::Duration::from_secs(30)),
            );
            // Deliver notifications while the app is open (beside any `slipway watch`).
            tauri::async_runtime::spawn(
                Arc::clone(&session).keep_dispatching(tray::desktop_sink(app.handle())),
            );
            // The tray: what waits for you. A desktop without a tray area still runs the app.
            match tray::build_tray(app) {
                Ok((tray, menu)) => {
                    tray::keep_tray_current(app.handle().clone(), session, tray, menu)
                }
                Err(e) => tracing::warn!(error = %e, "no tray icon"),
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::window_start,
            commands::remember_page,
            commands::load_board,
            commands::preview,
            commands::fetch_project,
            commands::cancel_fetch,
            commands::add_project,
            commands::create_demo,
            commands::detect_pipeline,
            commands::start_with_repository,
            commands::settings,
            commands::set_setting,
            commands::list_requests,
            commands::show_request,
            commands::open_request,
            commands::act_on_request,
            commands::aging,
            commands::dora,
            commands::plan_promotion,
            commands::promote,
            commands::rollback,
            commands::plan_hotfix,
            commands::hotfix,
            commands::redeploy,
            commands::cancel_promotion,
            commands::rollback_options,
            commands::history,
            commands::hold,
            commands::unhold,
            commands::signoff,
            commands::inbox,
            commands::mark_bad,
            commands::guard_settings,
            commands::edit_guard,
            commands::config_drift,
            commands::follow_ups,
            commands::edit_follow_up,
            commands::close_follow_up,
            commands::postmortem_draft,
            commands::save_postmortem,
            commands::deploy_action,
            commands::save_deploy_action,
            commands::stakeholders,
            commands::save_stakeholder,
            commands::remove_stakeholder,
            commands::channels,
            commands::add_channel,
            commands::remove_channel,
            commands::test_channel,
            commands::subscriptions,
            commands::subscribe,
            commands::unsubscribe,
            commands::templates,
            commands::save_template,
            commands::reset_template,
            commands::outbox,
            commands::retry_delivery,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!(error = %e, "the window could not start");
        eprintln!("slipway: the window could not start: {e}");
        std::process::exit(1);
    }
}
