//! Team mode: on PostgreSQL every audited act (promotions, rollbacks, holds, sign-offs,
//! settings) is announced with `NOTIFY` when its transaction commits, and a front end that
//! listens is told at once — no polling loop.

use sqlx::postgres::PgListener;
use sqlx::{Any, Transaction};

use crate::{Location, Store, StoreError};

/// The channel Slipway announces changes on.
pub(crate) const CHANNEL: &str = "slipway_changes";

/// Team mode: announces `payload` (`action subject`) to listeners when `tx` commits; nothing
/// on SQLite (its watchers and front ends in this process are poked directly).
pub(crate) async fn announce(
    tx: &mut Transaction<'_, Any>,
    payload: &str,
) -> Result<(), StoreError> {
    if tx.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(payload)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

impl Store {
    /// Calls `on_change` with each announcement's payload (`action subject`) until the
    /// returned task is aborted. On SQLite there is nothing to listen to: `Ok(None)`. A lost
    /// connection is re-established by the listener (announcements meanwhile are missed, so
    /// `on_change` is also called once after each reconnect, to reload).
    pub async fn listen(
        &self,
        on_change: impl Fn(String) + Send + Sync + 'static,
    ) -> Result<Option<tokio::task::JoinHandle<()>>, StoreError> {
        self.listen_on(CHANNEL, on_change).await
    }

    /// Like [`Store::listen`], for deliveries written by any process (dispatchers wake on it).
    pub async fn listen_outbox(
        &self,
        on_written: impl Fn(String) + Send + Sync + 'static,
    ) -> Result<Option<tokio::task::JoinHandle<()>>, StoreError> {
        self.listen_on(crate::notifications::OUTBOX_CHANNEL, on_written)
            .await
    }

    async fn listen_on(
        &self,
        channel: &str,
        on_change: impl Fn(String) + Send + Sync + 'static,
    ) -> Result<Option<tokio::task::JoinHandle<()>>, StoreError> {
        let Location::Postgres(url) = &self.location else {
            return Ok(None);
        };
        let mut listener = PgListener::connect(url)
            .await
            .map_err(|e| StoreError::Unreachable {
                location: self.location.clone(),
                reason: e.to_string(),
            })?;
        listener.listen(channel).await?;
        Ok(Some(tokio::spawn(async move {
            loop {
                match listener.try_recv().await {
                    Ok(Some(n)) => on_change(n.payload().to_string()),
                    // The connection was lost and is re-established on the next call.
                    Ok(None) => on_change(String::new()),
                    Err(e) => {
                        tracing::warn!(error = %e, "listening for team changes failed; retrying");
                        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                    }
                }
            }
        })))
    }
}
