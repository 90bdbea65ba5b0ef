use chrono::NaiveDate;
use slipway_core::{
    AgingPolicy, Alerting, Calendar, EscalationStep, Holiday, Hours, RequestKind, Severity,
    SlaPolicy, Threshold,
};
use sqlx::{Any, Row, Transaction};

use crate::requests::to_time;
use crate::{Store, StoreError};

/// A person who approves, signs off or is told: roles decide which approvals they can give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Their address; also how they are named in logs.
    pub email: String,
    /// Their name.
    pub name: String,
    /// Roles such as `qa` or `release-manager`.
    pub roles: Vec<String>,
    /// How chat messages mention them (`@dana`), or empty.
    pub chat_handle: String,
}

/// A period in which nothing is promoted to an environment (all of a project's when
/// `environment` is `None`); clocks that pause in freezes pause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreezeWindow {
    /// Its number.
    pub id: i64,
    /// The project.
    pub project: String,
    /// One environment, or all.
    pub environment: Option<String>,
    /// From (Unix seconds).
    pub starts_at: i64,
    /// Until (Unix seconds).
    pub ends_at: i64,
    /// Why.
    pub reason: String,
}

fn sla_key(kind: RequestKind, severity: Severity) -> String {
    format!("sla/{kind}/{severity}")
}

fn aging_key(project: &str, environment: &str) -> String {
    format!("age/{project}/{environment}")
}

impl Store {
    /// Adds or replaces a person.
    pub async fn save_person(&self, person: &Person) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM people WHERE email = $1")
            .bind(&person.email)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO people (email, name, roles, chat_handle) VALUES ($1, $2, $3, $4)")
            .bind(&person.email)
            .bind(&person.name)
            .bind(person.roles.join(","))
            .bind(&person.chat_handle)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a person and their subscriptions; false when there was none.
    pub async fn remove_person(&self, email: &str) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM subscriptions WHERE lower(person) = lower($1)")
            .bind(email)
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query("DELETE FROM people WHERE lower(email) = lower($1)")
            .bind(email)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    /// Everyone, by email.
    pub async fn people(&self) -> Result<Vec<Person>, StoreError> {
        let rows = sqlx::query("SELECT email, name, roles, chat_handle FROM people ORDER BY email")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let roles: String = row.try_get("roles")?;
                Ok(Person {
                    email: row.try_get("email")?,
                    name: row.try_get("name")?,
                    roles: crate::split_list(&roles),
                    chat_handle: row.try_get("chat_handle")?,
                })
            })
            .collect()
    }

    /// Adds or replaces a named calendar.
    pub async fn save_calendar(&self, name: &str, calendar: &Calendar) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM calendar_hours WHERE calendar = $1")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM holidays WHERE calendar = $1")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        // Policies point at the calendar by name: update it in place.
        sqlx::query(
            "INSERT INTO calendars (name, zone) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET zone = excluded.zone",
        )
        .bind(name)
        .bind(calendar.zone_name().map(str::to_string))
        .execute(&mut *tx)
        .await?;
        if let Some(week) = calendar.week() {
            for (day, hours) in week.iter().enumerate() {
                let Some(h) = hours else { continue };
                sqlx::query(
                    "INSERT INTO calendar_hours (calendar, weekday, open_min, close_min) VALUES ($1, $2, $3, $4)",
                )
                .bind(name)
                .bind(day as i64)
                .bind(i64::from(h.open))
                .bind(i64::from(h.close))
                .execute(&mut *tx)
                .await?;
            }
        }
        for holiday in calendar.holidays() {
            sqlx::query(
                "INSERT INTO holidays (calendar, name, from_date, to_date) VALUES ($1, $2, $3, $4)",
            )
            .bind(name)
            .bind(&holiday.name)
            .bind(holiday.from.to_string())
            .bind(holiday.to.to_string())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every calendar, by name. `24x7` is always there, whether stored or not.
    pub async fn calendars(&self) -> Result<Vec<(String, Calendar)>, StoreError> {
        let names = sqlx::query("SELECT name, zone FROM calendars ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        let hours = sqlx::query(
            "SELECT calendar, weekday, open_min, close_min FROM calendar_hours ORDER BY calendar, weekday",
        )
        .fetch_all(&self.pool)
        .await?;
        let holidays = sqlx::query(
            "SELECT calendar, name, from_date, to_date FROM holidays ORDER BY calendar, from_date",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        if !names
            .iter()
            .any(|r| r.try_get::<String, _>("name").ok().as_deref() == Some("24x7"))
        {
            out.push(("24x7".to_string(), Calendar::Always));
        }
        for row in names {
            let name: String = row.try_get("name")?;
            let zone: Option<String> = row.try_get("zone")?;
            let Some(zone) = zone else {
                out.push((name, Calendar::Always));
                continue;
            };
            let mut week: [Option<Hours>; 7] = [None; 7];
            for h in hours.iter() {
                if h.try_get::<String, _>("calendar")? != name {
                    continue;
                }
                let day: i64 = h.try_get("weekday")?;
                let open: i64 = h.try_get("open_min")?;
                let close: i64 = h.try_get("close_min")?;
                let minute =
                    |m: i64| u16::try_from(m).map_err(|e| StoreError::invalid("calendar", e));
                week[day.clamp(0, 6) as usize] = Some(Hours {
                    open: minute(open)?,
                    close: minute(close)?,
                });
            }
            let mut days = Vec::new();
            for h in holidays.iter() {
                if h.try_get::<String, _>("calendar")? != name {
                    continue;
                }
                let date = |column: &str| -> Result<NaiveDate, StoreError> {
                    let text: String = h.try_get(column)?;
                    text.parse().map_err(|e| StoreError::invalid("holiday", e))
                };
                days.push(Holiday {
                    name: h.try_get("name")?,
                    from: date("from_date")?,
                    to: date("to_date")?,
                });
            }
            let calendar = Calendar::business(&zone, week, days)
                .map_err(|e| StoreError::invalid("calendar", e))?;
            out.push((name, calendar));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// Adds or replaces the SLA policy of its type and severity.
    pub async fn save_sla_policy(&self, policy: &SlaPolicy) -> Result<(), StoreError> {
        let key = sla_key(policy.kind, policy.severity);
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM sla_policies WHERE kind = $1 AND severity = $2")
            .bind(policy.kind.as_str())
            .bind(policy.severity.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sla_policies (kind, severity, goal_approve, goal_verify, goal_deploy, goal_total) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(policy.kind.as_str())
        .bind(policy.severity.as_str())
        .bind(policy.goals[0])
        .bind(policy.goals[1])
        .bind(policy.goals[2])
        .bind(policy.goals[3])
        .execute(&mut *tx)
        .await?;
        save_alerting(&mut tx, &key, &policy.alerting).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every SLA policy.
    pub async fn sla_policies(&self) -> Result<Vec<SlaPolicy>, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, severity, goal_approve, goal_verify, goal_deploy, goal_total FROM sla_policies \
             ORDER BY kind, severity",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for row in rows {
            let kind: String = row.try_get("kind")?;
            let severity: String = row.try_get("severity")?;
            let kind: RequestKind = kind
                .parse()
                .map_err(|e| StoreError::invalid("SLA policy", e))?;
            let severity: Severity = severity
                .parse()
                .map_err(|e| StoreError::invalid("SLA policy", e))?;
            let goals = [
                row.try_get("goal_approve")?,
                row.try_get("goal_verify")?,
                row.try_get("goal_deploy")?,
                row.try_get("goal_total")?,
            ];
            let alerting = self.alerting(&sla_key(kind, severity)).await?;
            out.push(
                SlaPolicy::new(kind, severity, goals, alerting)
                    .map_err(|e| StoreError::invalid("SLA policy", e))?,
            );
        }
        Ok(out)
    }

    /// Adds or replaces the aging policy of a project's environment.
    pub async fn save_aging_policy(
        &self,
        project: &str,
        policy: &AgingPolicy,
    ) -> Result<(), StoreError> {
        let key = aging_key(project, &policy.environment);
        let mut tx = self.pool.begin().await?;
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE name = $1")
            .bind(project)
            .fetch_optional(&mut *tx)
            .await?;
        let id = id.ok_or_else(|| StoreError::ProjectMissing(project.to_string()))?;
        sqlx::query("DELETE FROM aging_policies WHERE project_id = $1 AND environment = $2")
            .bind(id)
            .bind(&policy.environment)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO aging_policies (project_id, environment, goal) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(&policy.environment)
        .bind(policy.goal)
        .execute(&mut *tx)
        .await?;
        save_alerting(&mut tx, &key, &policy.alerting).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every aging policy, as (project, policy).
    pub async fn aging_policies(&self) -> Result<Vec<(String, AgingPolicy)>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.name, a.environment, a.goal FROM aging_policies a \
             JOIN projects p ON p.id = a.project_id ORDER BY p.name, a.environment",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for row in rows {
            let project: String = row.try_get("name")?;
            let environment: String = row.try_get("environment")?;
            let alerting = self.alerting(&aging_key(&project, &environment)).await?;
            let policy = AgingPolicy::new(&environment, row.try_get("goal")?, alerting)
                .map_err(|e| StoreError::invalid("aging policy", e))?;
            out.push((project, policy));
        }
        Ok(out)
    }

    async fn alerting(&self, key: &str) -> Result<Alerting, StoreError> {
        let row = sqlx::query(
            "SELECT calendar, warnings, repeat_every, pause_on_hold, pause_in_freeze FROM alerting WHERE policy = $1",
        )
        .bind(key)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::invalid("policy", format!("{key} has no alerting settings")))?;
        let steps = sqlx::query(
            "SELECT threshold, recipient FROM escalation_steps WHERE policy = $1 ORDER BY position",
        )
        .bind(key)
        .fetch_all(&self.pool)
        .await?;
        let warnings: String = row.try_get("warnings")?;
        let mut escalation: Vec<EscalationStep> = Vec::new();
        for step in steps {
            let threshold: String = step.try_get("threshold")?;
            let at = Threshold::from_key(&threshold)
                .ok_or_else(|| StoreError::invalid("escalation step", &threshold))?;
            let recipient: String = step.try_get("recipient")?;
            match escalation.iter_mut().find(|s| s.at == at) {
                Some(s) => s.notify.push(recipient),
                None => escalation.push(EscalationStep {
                    at,
                    notify: vec![recipient],
                }),
            }
        }
        let on_hold: i64 = row.try_get("pause_on_hold")?;
        let in_freeze: i64 = row.try_get("pause_in_freeze")?;
        Ok(Alerting {
            calendar: row.try_get("calendar")?,
            warnings: warnings
                .split(',')
                .filter(|w| !w.is_empty())
                .map(|w| w.parse().map_err(|e| StoreError::invalid("warning", e)))
                .collect::<Result<_, _>>()?,
            escalation,
            repeat_every: row.try_get("repeat_every")?,
            pause_on_hold: on_hold != 0,
            pause_in_freeze: in_freeze != 0,
        })
    }

    /// Adds a freeze window; returns its number.
    pub async fn add_freeze(&self, freeze: &FreezeWindow) -> Result<i64, StoreError> {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE name = $1")
            .bind(&freeze.project)
            .fetch_optional(&self.pool)
            .await?;
        let project = id.ok_or_else(|| StoreError::ProjectMissing(freeze.project.clone()))?;
        Ok(sqlx::query_scalar(
            "INSERT INTO freeze_windows (project_id, environment, starts_at, ends_at, reason) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(project)
        .bind(freeze.environment.clone())
        .bind(freeze.starts_at)
        .bind(freeze.ends_at)
        .bind(&freeze.reason)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Every freeze window, oldest first.
    pub async fn freezes(&self) -> Result<Vec<FreezeWindow>, StoreError> {
        let rows = sqlx::query(
            "SELECT f.id, p.name, f.environment, f.starts_at, f.ends_at, f.reason FROM freeze_windows f \
             JOIN projects p ON p.id = f.project_id ORDER BY f.starts_at, f.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(FreezeWindow {
                    id: row.try_get("id")?,
                    project: row.try_get("name")?,
                    environment: row.try_get("environment")?,
                    starts_at: row.try_get("starts_at")?,
                    ends_at: row.try_get("ends_at")?,
                    reason: row.try_get("reason")?,
                })
            })
            .collect()
    }
}

impl FreezeWindow {
    /// Whether it covers `environment` of `project`.
    pub fn covers(&self, project: &str, environment: Option<&str>) -> bool {
        self.project == project
            && match (&self.environment, environment) {
                (None, _) => true,
                (Some(mine), Some(theirs)) => mine == theirs,
                (Some(_), None) => false,
            }
    }

    /// As a pause for a clock.
    pub fn period(&self) -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
        (to_time(self.starts_at), to_time(self.ends_at))
    }
}

async fn save_alerting(
    tx: &mut Transaction<'_, Any>,
    key: &str,
    alerting: &Alerting,
) -> Result<(), StoreError> {
    let calendar: Option<String> = sqlx::query_scalar("SELECT name FROM calendars WHERE name = $1")
        .bind(&alerting.calendar)
        .fetch_optional(&mut **tx)
        .await?;
    if calendar.is_none() {
        if alerting.calendar != "24x7" {
            return Err(StoreError::CalendarMissing(alerting.calendar.clone()));
        }
        sqlx::query("INSERT INTO calendars (name, zone) VALUES ('24x7', NULL)")
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("DELETE FROM escalation_steps WHERE policy = $1")
        .bind(key)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM alerting WHERE policy = $1")
        .bind(key)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO alerting (policy, calendar, warnings, repeat_every, pause_on_hold, pause_in_freeze) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(key)
    .bind(&alerting.calendar)
    .bind(
        alerting
            .warnings
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(","),
    )
    .bind(alerting.repeat_every)
    .bind(i64::from(alerting.pause_on_hold))
    .bind(i64::from(alerting.pause_in_freeze))
    .execute(&mut **tx)
    .await?;
    let mut position = 0i64;
    for step in &alerting.escalation {
        for recipient in &step.notify {
            sqlx::query(
                "INSERT INTO escalation_steps (policy, threshold, position, recipient) VALUES ($1, $2, $3, $4)",
            )
            .bind(key)
            .bind(step.at.key())
            .bind(position)
            .bind(recipient)
            .execute(&mut **tx)
            .await?;
            position += 1;
        }
    }
    Ok(())
}
