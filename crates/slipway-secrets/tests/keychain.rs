//! Against the real keychain: `make test` runs this inside `dbus-run-session` with an
//! unlocked gnome-keyring.

use slipway_secrets::{Keychain, Secret, SecretError};

#[test]
fn secrets_round_trip_through_the_os_keychain() {
    let keychain = Keychain::new("slipway-test");
    let reference = format!("test/{}", std::process::id());
    assert_eq!(keychain.get(&reference).unwrap(), None);
    keychain
        .set(&reference, &Secret::new("first-canary"))
        .unwrap();
    keychain
        .set(&reference, &Secret::new("second-canary"))
        .unwrap();
    assert_eq!(
        keychain.get(&reference).unwrap().unwrap().expose(),
        "second-canary"
    );
    keychain.delete(&reference).unwrap();
    keychain.delete(&reference).unwrap();
    assert_eq!(keychain.get(&reference).unwrap(), None);
    assert!(matches!(
        keychain.set(&reference, &Secret::new("")),
        Err(SecretError::Invalid(_))
    ));
    assert!(matches!(
        keychain.set(&reference, &Secret::new("x".repeat(5000))),
        Err(SecretError::Invalid(_))
    ));
}
