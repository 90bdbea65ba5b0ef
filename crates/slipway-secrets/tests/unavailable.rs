//! Without a keychain, saving fails with a clear message and nothing is stored anywhere.
//! (A test binary of its own: it points this process's session bus at nowhere.)

use slipway_secrets::{Keychain, Secret, SecretError};

#[test]
fn no_keychain_means_no_saving() {
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/slipway-bus",
    );
    let keychain = Keychain::new("slipway-test");
    let err = keychain
        .set("test/unavailable", &Secret::new("canary-unavailable"))
        .unwrap_err();
    assert!(matches!(err, SecretError::Unavailable(_)), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("keychain is not available") && message.contains("nothing was stored"),
        "{message}"
    );
    assert!(!message.contains("canary-unavailable"));
    assert!(matches!(
        keychain.get("test/unavailable"),
        Err(SecretError::Unavailable(_))
    ));
}
