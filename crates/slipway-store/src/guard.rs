//! The config guard's settings per project, read and saved whole, with the act's audit
//! entry in the same transaction.

use slipway_core::guard::{DeniedSetting, GuardMode, GuardSettings, ManualMarker};
use sqlx::Row;

use crate::audit::AuditDraft;
use crate::{bool_int, Store, StoreError};

fn lines(list: &Option<Vec<String>>) -> Option<String> {
    list.as_ref().map(|l| l.join("\n"))
}

fn unlines(text: Option<String>) -> Option<Vec<String>> {
    text.map(|t| {
        t.lines()
            .map(str::to_string)
            .filter(|l| !l.is_empty())
            .collect()
    })
}

impl Store {
    /// A project's guard settings (the defaults when it never saved any).
    pub async fn guard_settings(&self, project: &str) -> Result<GuardSettings, StoreError> {
        let project_id = self.project_id(project).await?;
        let mut settings = GuardSettings::default();
        if let Some(row) = sqlx::query(
            "SELECT globs, other_environments, denied_custom, override_role FROM guard_settings WHERE project_id = $1",
        )
        .bind(project_id)
        .fetch_optional(&self.pool)
        .await?
        {
            settings.globs = unlines(row.try_get("globs")?);
            settings.other_environments = unlines(row.try_get("other_environments")?);
            settings.override_role = row.try_get("override_role")?;
            if row.try_get::<i64, _>("denied_custom")? != 0 {
                let denied = sqlx::query(
                    "SELECT environment, pattern, why FROM guard_denied WHERE project_id = $1 ORDER BY position",
                )
                .bind(project_id)
                .fetch_all(&self.pool)
                .await?;
                settings.denied = Some(
                    denied
                        .iter()
                        .map(|r| {
                            Ok(DeniedSetting {
                                environment: r.try_get("environment")?,
                                pattern: r.try_get("pattern")?,
                                why: r.try_get("why")?,
                            })
                        })
                        .collect::<Result<_, StoreError>>()?,
                );
            }
        }
        for row in sqlx::query(
            "SELECT environment, mode FROM guard_modes WHERE project_id = $1 ORDER BY environment",
        )
        .bind(project_id)
        .fetch_all(&self.pool)
        .await?
        {
            let mode: String = row.try_get("mode")?;
            if let Some(mode) = GuardMode::parse(&mode) {
                settings.modes.push((row.try_get("environment")?, mode));
            }
        }
        for row in sqlx::query(
            "SELECT kind, environment, text FROM guard_markers WHERE project_id = $1 ORDER BY environment, text",
        )
        .bind(project_id)
        .fetch_all(&self.pool)
        .await?
        {
            let kind: String = row.try_get("kind")?;
            let text: String = row.try_get("text")?;
            if kind == "ignored" {
                settings.ignored.push(text);
            } else {
                settings.markers.push(ManualMarker {
                    environment: row.try_get("environment")?,
                    text,
                });
            }
        }
        Ok(settings)
    }

    /// Replaces a project's guard settings with `settings`, with its audit entry, in one
    /// transaction.
    pub async fn save_guard_settings(
        &self,
        project: &str,
        settings: &GuardSettings,
        audit: &AuditDraft,
    ) -> Result<(), StoreError> {
        let project_id = self.project_id(project).await?;
        let mut tx = self.pool.begin().await?;
        for table in [
            "guard_settings",
            "guard_modes",
            "guard_markers",
            "guard_denied",
        ] {
            sqlx::query(&format!("DELETE FROM {table} WHERE project_id = $1"))
                .bind(project_id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO guard_settings (project_id, globs, other_environments, denied_custom, override_role) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(project_id)
        .bind(lines(&settings.globs))
        .bind(lines(&settings.other_environments))
        .bind(bool_int(settings.denied.is_some()))
        .bind(settings.override_role.clone())
        .execute(&mut *tx)
        .await?;
        for (environment, mode) in &settings.modes {
            sqlx::query(
                "INSERT INTO guard_modes (project_id, environment, mode) VALUES ($1, $2, $3)",
            )
            .bind(project_id)
            .bind(environment)
            .bind(mode.as_str())
            .execute(&mut *tx)
            .await?;
        }
        let markers = settings
            .markers
            .iter()
            .map(|m| ("manual", m.environment.as_str(), m.text.as_str()))
            .chain(settings.ignored.iter().map(|t| ("ignored", "", t.as_str())));
        for (kind, environment, text) in markers {
            sqlx::query(
                "INSERT INTO guard_markers (project_id, kind, environment, text) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(project_id)
            .bind(kind)
            .bind(environment)
            .bind(text)
            .execute(&mut *tx)
            .await?;
        }
        for (i, d) in settings.denied.iter().flatten().enumerate() {
            sqlx::query(
                "INSERT INTO guard_denied (project_id, position, environment, pattern, why) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(project_id)
            .bind(i64::try_from(i).unwrap_or(i64::MAX))
            .bind(&d.environment)
            .bind(&d.pattern)
            .bind(&d.why)
            .execute(&mut *tx)
            .await?;
        }
        self.end_act(tx, true, audit).await?;
        Ok(())
    }
}
