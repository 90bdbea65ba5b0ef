//! Generates the Tauri context (config, icons, embedded UI) at build time, with a permission
//! for each app command: without one a command is allowed to every window, with one the
//! window gets only what its capability grants.

include!("app_commands.rs");

fn main() {
    println!("cargo:rerun-if-changed=app_commands.rs");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(APP_COMMANDS)),
    )
    .expect("the Tauri build step failed");
}
