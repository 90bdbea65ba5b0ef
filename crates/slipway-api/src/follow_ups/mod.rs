//! Follow-ups: what a rollback or a closed emergency request leaves to do, owned, due on the
//! project's calendar, reminded through the outbox, and closed as done or won't do.

mod dto;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use slipway_core::notice::{follow_up_reminder, FollowUpFacts};
use slipway_core::notify::{check_email, Event};
use slipway_core::{
    check_closing, check_due_days, check_external_link, due_date, read_due, Calendar, Clock,
    DueReading, FollowUpStatus,
};
use slipway_store::{
    AuditDraft, FollowUp, FollowUpEdit, FollowUpSettings, NewFollowUp, PromotionRecord,
};

pub use dto::*;

use crate::error::{invalid, not_found, rule_error, ApiError};
use crate::time::{read_time, rfc3339, time};
use crate::workspace::Workspace;

/// The calendar name that means 24×7.
const ALWAYS: &str = "24x7";

/// The calendars and each project's follow-up settings, read once per call.
pub(crate) struct FollowUpWorld {
    calendars: Vec<(String, Calendar)>,
    settings: BTreeMap<String, FollowUpSettings>,
    /// Each environment's recent runs, read once for all its follow-ups.
    runs: BTreeMap<(String, String), Vec<PromotionRecord>>,
}

impl FollowUpWorld {
    pub(crate) async fn load(ws: &Workspace) -> Result<FollowUpWorld, ApiError> {
        Ok(FollowUpWorld {
            calendars: ws.store().calendars().await?,
            settings: BTreeMap::new(),
            runs: BTreeMap::new(),
        })
    }

    async fn settings(
        &mut self,
        ws: &Workspace,
        project: &str,
    ) -> Result<FollowUpSettings, ApiError> {
        if !self.settings.contains_key(project) {
            let s = ws.store().follow_up_settings(project).await?;
            self.settings.insert(project.to_string(), s);
        }
        Ok(self.settings[project].clone())
    }

    /// The project's calendar and its name (24×7 when it names none, or one since removed).
    async fn calendar(
        &mut self,
        ws: &Workspace,
        project: &str,
    ) -> Result<(String, Calendar), ApiError> {
        let name = self.settings(ws, project).await?.calendar;
        Ok(name
            .and_then(|n| self.calendars.iter().find(|(c, _)| *c == n).cloned())
            .unwrap_or((ALWAYS.to_string(), Calendar::Always)))
    }

    /// When a follow-up of `project` opened at `opened` is due by default.
    pub(crate) async fn default_due(
        &mut self,
        ws: &Workspace,
        project: &str,
        opened: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, ApiError> {
        let days = self.settings(ws, project).await?.due_days;
        let (_, calendar) = self.calendar(ws, project).await?;
        Ok(due_date(&calendar, opened, days))
    }

    /// A follow-up's due date and its clock at `now`.
    async fn reading(
        &mut self,
        ws: &Workspace,
        f: &FollowUp,
        now: DateTime<Utc>,
    ) -> Result<(String, DueReading), ApiError> {
        let due = match f.due_at {
            Some(at) => time(at),
            None => self.default_due(ws, &f.project, time(f.opened_at)).await?,
        };
        let (name, calendar) = self.calendar(ws, &f.project).await?;
        Ok((name, read_due(&calendar, due, f.status, now)))
    }

    /// Reads a due date a person typed: a day means that day's close on the calendar.
    async fn typed_due(
        &mut self,
        ws: &Workspace,
        project: &str,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, ApiError> {
        let text = text.trim();
        let due = match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(day) => self.calendar(ws, project).await?.1.close_of_date(day),
            Err(_) => read_time(text).map_err(|_| {
                invalid(format!(
                    "“{text}” is not a due date; write 2026-12-18 (that day's close on the project's calendar), 2026-12-18 16:00 (UTC) or RFC 3339."
                ))
            })?,
        };
        if due <= now {
            return Err(invalid(format!(
                "{} has passed; a follow-up is due in the future.",
                rfc3339(due)
            )));
        }
        Ok(due)
    }
}

/// The follow-up a rollback or an emergency request's close opens: owned by whoever did it,
/// due the project's business days later.
pub(crate) async fn new_follow_up(
    ws: &Workspace,
    project: &str,
    title: String,
    owner: &str,
    opened: DateTime<Utc>,
    request: Option<i64>,
) -> Result<NewFollowUp, ApiError> {
    let due = FollowUpWorld::load(ws)
        .await?
        .default_due(ws, project, opened)
        .await?;
    Ok(NewFollowUp {
        title,
        owner: owner.to_string(),
        due_at: due.timestamp(),
        request_id: request,
    })
}

fn audit(by: &str, at: i64, action: &str, id: i64, detail: String) -> AuditDraft {
    AuditDraft {
        at,
        actor: by.to_string(),
        action: action.to_string(),
        subject: format!("follow-up #{id}"),
        detail,
        events: Vec::new(),
    }
}

async fn dto(
    ws: &Workspace,
    world: &mut FollowUpWorld,
    f: FollowUp,
    now: DateTime<Utc>,
) -> Result<FollowUpDto, ApiError> {
    let (calendar, reading) = world.reading(ws, &f, now).await?;
    let rolled_back = world.rolled_back(ws, &f).await?;
    Ok(FollowUpDto {
        id: f.id,
        standing: reading.sentence(f.status),
        overdue: reading.overdue,
        due_at: rfc3339(reading.due),
        calendar,
        project: f.project,
        environment: f.environment,
        title: f.title,
        deployment: f.promotion_id,
        rolled_back,
        request: f.request_id,
        opened_by: f.opened_by,
        opened_at: rfc3339(time(f.opened_at)),
        owner: f.owner,
        priority: f.priority.into(),
        status: f.status.into(),
        reason: f.reason,
        external_link: f.external_link,
        closed_by: f.closed.as_ref().map(|(by, _)| by.clone()),
        closed_at: f.closed.map(|(_, at)| rfc3339(time(at))),
    })
}

/// How many of an environment's newest runs are looked through for a rollback and the
/// deployment it undid.
const RUNS_READ: i64 = 200;

impl FollowUpWorld {
    /// The deployment follow-up `f`'s rollback undid: the newest run before it that put the
    /// environment where the rollback moved it from (it succeeded, or failed after moving
    /// the ref).
    async fn rolled_back(&mut self, ws: &Workspace, f: &FollowUp) -> Result<Option<i64>, ApiError> {
        let Some(id) = f.promotion_id else {
            return Ok(None);
        };
        let key = (f.project.clone(), f.environment.clone());
        if !self.runs.contains_key(&key) {
            let runs = ws
                .store()
                .promotions(&f.project, Some(&f.environment), RUNS_READ)
                .await?;
            self.runs.insert(key.clone(), runs);
        }
        let runs = &self.runs[&key];
        let Some(rollback) = runs.iter().find(|p| p.id == id) else {
            return Ok(None);
        };
        Ok(runs
            .iter()
            .filter(|p| p.id < id && p.spec.to_sha == rollback.spec.from_sha)
            .find(|p| p.ref_moved || p.status == slipway_core::DeploymentStatus::Succeeded)
            .map(|p| p.id))
    }
}

/// Follow-ups (open ones unless `all`): open ones soonest due first, then closed ones, newest
/// closed first.
pub async fn follow_ups(
    ws: &Workspace,
    all: bool,
    clock: &dyn Clock,
) -> Result<Vec<FollowUpDto>, ApiError> {
    listed(ws, all, None, clock).await
}

/// The open follow-ups of every project, or `only` one (the board's).
pub(crate) async fn follow_ups_of(
    ws: &Workspace,
    only: Option<&str>,
    clock: &dyn Clock,
) -> Result<Vec<FollowUpDto>, ApiError> {
    listed(ws, false, only, clock).await
}

async fn listed(
    ws: &Workspace,
    all: bool,
    only: Option<&str>,
    clock: &dyn Clock,
) -> Result<Vec<FollowUpDto>, ApiError> {
    let now = clock.now();
    let mut world = FollowUpWorld::load(ws).await?;
    let mut out = Vec::new();
    for f in ws.store().follow_ups(all).await? {
        if only.is_none_or(|p| p == f.project) {
            out.push(dto(ws, &mut world, f, now).await?);
        }
    }
    out.sort_by(|a, b| {
        let open = |f: &FollowUpDto| f.status != FollowUpStatusDto::Open;
        open(a)
            .cmp(&open(b))
            .then_with(|| match open(a) {
                false => a.due_at.cmp(&b.due_at),
                true => b.closed_at.cmp(&a.closed_at),
            })
            .then(a.id.cmp(&b.id))
    });
    Ok(out)
}

async fn stored(ws: &Workspace, id: i64) -> Result<FollowUp, ApiError> {
    ws.store()
        .follow_up(id)
        .await?
        .ok_or_else(|| not_found(format!("There is no follow-up #{id}.")))
}

/// One follow-up.
pub async fn follow_up(
    ws: &Workspace,
    id: i64,
    clock: &dyn Clock,
) -> Result<FollowUpDto, ApiError> {
    let f = stored(ws, id).await?;
    dto(ws, &mut FollowUpWorld::load(ws).await?, f, clock.now()).await
}

fn owner_address(owner: &str) -> Result<String, ApiError> {
    check_email(owner.trim()).map_err(|_| {
        invalid(format!(
            "The owner {owner:?} is not an email address; reminders go to the owner's address."
        ))
    })
}

/// Opens a follow-up by hand.
pub async fn open_follow_up(
    ws: &Workspace,
    new: &NewFollowUpDto,
    by: &str,
    clock: &dyn Clock,
) -> Result<FollowUpDto, ApiError> {
    let now = clock.now();
    let title = new.title.trim();
    if title.is_empty() {
        return Err(rule_error(slipway_core::FollowUpError::NoTitle));
    }
    let project = ws.project(&new.project).await?;
    if !project
        .pipeline
        .environments
        .iter()
        .any(|e| e.name == new.environment)
    {
        return Err(invalid(format!(
            "{} has no environment {:?}.",
            project.name, new.environment
        )));
    }
    let owner = owner_address(new.owner.as_deref().unwrap_or(by))?;
    if let Some(request) = new.request {
        ws.store().request(request).await?;
    }
    let mut world = FollowUpWorld::load(ws).await?;
    let due = match new.due.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(text) => world.typed_due(ws, &project.name, text, now).await?,
        None => world.default_due(ws, &project.name, now).await?,
    };
    let record = NewFollowUp {
        title: title.to_string(),
        owner: owner.clone(),
        due_at: due.timestamp(),
        request_id: new.request,
    };
    let id = ws
        .store()
        .open_follow_up(
            &project.name,
            &new.environment,
            &record,
            &AuditDraft {
                at: now.timestamp(),
                actor: by.to_string(),
                action: "open_follow_up".into(),
                subject: format!("{}/{}", project.name, new.environment),
                detail: format!("opened “{title}”, owned by {owner}, due {}", rfc3339(due)),
                events: Vec::new(),
            },
        )
        .await?;
    follow_up(ws, id, clock).await
}

/// Changes an open follow-up's owner, priority, due date, external link or request.
pub async fn edit_follow_up(
    ws: &Workspace,
    id: i64,
    edit: &FollowUpEditDto,
    by: &str,
    clock: &dyn Clock,
) -> Result<FollowUpDto, ApiError> {
    let now = clock.now();
    let f = stored(ws, id).await?;
    if f.status != FollowUpStatus::Open {
        return Err(invalid(format!(
            "Follow-up #{id} is {}; only open follow-ups change.",
            f.status.as_str()
        )));
    }
    let mut world = FollowUpWorld::load(ws).await?;
    let mut said = Vec::new();
    let owner = match edit.owner.as_deref() {
        Some(o) => {
            let o = owner_address(o)?;
            said.push(format!("owner {o}"));
            Some(o)
        }
        None => None,
    };
    let due = match edit.due.as_deref() {
        Some(text) => {
            let due = world.typed_due(ws, &f.project, text, now).await?;
            said.push(format!("due {}", rfc3339(due)));
            Some(due.timestamp())
        }
        None => None,
    };
    let external_link = match edit.external_link.as_deref().map(str::trim) {
        Some("") => {
            said.push("link removed".into());
            Some(String::new())
        }
        Some(link) => {
            let link = check_external_link(link).map_err(rule_error)?;
            said.push(format!("link {link}"));
            Some(link)
        }
        None => None,
    };
    if let Some(request) = edit.request {
        ws.store().request(request).await?;
        said.push(format!("request #{request}"));
    }
    if let Some(p) = edit.priority {
        said.push(format!("priority {}", p.domain().as_str()));
    }
    if said.is_empty() {
        return Err(invalid(
            "Nothing to change: give an owner, priority, due date, link or request.",
        ));
    }
    let changed = FollowUpEdit {
        owner,
        priority: edit.priority.map(PriorityDto::domain),
        due_at: due,
        external_link,
        request_id: edit.request,
    };
    if !ws
        .store()
        .edit_follow_up(
            id,
            &changed,
            &audit(by, now.timestamp(), "edit_follow_up", id, said.join(", ")),
        )
        .await?
    {
        return Err(invalid(format!(
            "Follow-up #{id} was closed meanwhile; nothing changed."
        )));
    }
    follow_up(ws, id, clock).await
}

/// Closes an open follow-up as done or won't do (which needs a reason); its reminders stop.
pub async fn close_follow_up(
    ws: &Workspace,
    id: i64,
    close: &FollowUpCloseDto,
    by: &str,
    clock: &dyn Clock,
) -> Result<FollowUpDto, ApiError> {
    let now = clock.now();
    let f = stored(ws, id).await?;
    let closing =
        check_closing(id, f.status, close.status.domain(), &close.reason).map_err(rule_error)?;
    let detail = match &closing.reason {
        Some(r) => format!("closed as {}: {r}", closing.status.as_str()),
        None => format!("closed as {}", closing.status.as_str()),
    };
    if !ws
        .store()
        .close_follow_up(
            id,
            closing.status,
            closing.reason.as_deref(),
            &audit(by, now.timestamp(), "close_follow_up", id, detail),
        )
        .await?
    {
        return Err(invalid(format!("Follow-up #{id} was closed meanwhile.")));
    }
    follow_up(ws, id, clock).await
}

/// A project's follow-up settings.
pub async fn follow_up_settings(
    ws: &Workspace,
    project: &str,
) -> Result<FollowUpSettingsDto, ApiError> {
    let project = ws.project(project).await?;
    let s = ws.store().follow_up_settings(&project.name).await?;
    Ok(FollowUpSettingsDto {
        calendar: s.calendar,
        due_days: s.due_days,
    })
}

/// Saves a project's follow-up settings: a calendar that exists (or none for 24×7) and 1 to
/// 260 business days.
pub async fn edit_follow_up_settings(
    ws: &Workspace,
    project: &str,
    settings: &FollowUpSettingsDto,
    by: &str,
    clock: &dyn Clock,
) -> Result<FollowUpSettingsDto, ApiError> {
    let project = ws.project(project).await?;
    let days = check_due_days(i64::from(settings.due_days)).map_err(rule_error)?;
    let calendar = settings
        .calendar
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty() && *c != ALWAYS);
    if let Some(name) = calendar {
        let calendars = ws.store().calendars().await?;
        if !calendars.iter().any(|(c, _)| c == name) {
            return Err(invalid(format!(
                "There is no calendar {name:?}; add it with slipway calendar add, or use one of: {}.",
                calendars.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>().join(", ")
            )));
        }
    }
    let saved = FollowUpSettings {
        calendar: calendar.map(str::to_string),
        due_days: days,
    };
    ws.store()
        .save_follow_up_settings(
            &project.name,
            &saved,
            &AuditDraft {
                at: clock.now().timestamp(),
                actor: by.to_string(),
                action: "follow_up_settings".into(),
                subject: project.name.clone(),
                detail: format!(
                    "follow-ups due {days} business days later on {}",
                    calendar.unwrap_or(ALWAYS)
                ),
                events: Vec::new(),
            },
        )
        .await?;
    follow_up_settings(ws, &project.name).await
}

/// What the follow-ups' clocks tell their owners at `now` (each notice stored once: the
/// event's key makes a second watcher's notice a no-op), and when they next have something
/// to say.
pub(crate) async fn follow_up_notices(
    ws: &Workspace,
    now: DateTime<Utc>,
) -> Result<(Vec<Event>, Option<DateTime<Utc>>), ApiError> {
    let mut world = FollowUpWorld::load(ws).await?;
    let mut events = Vec::new();
    let mut next: Option<DateTime<Utc>> = None;
    for f in ws.store().follow_ups(false).await? {
        let Some(owner) = f.owner.as_deref() else {
            continue;
        };
        let (_, reading) = world.reading(ws, &f, now).await?;
        if let Some(at) = reading.next {
            next = Some(next.map_or(at, |n| n.min(at)));
        }
        if let Some(reminder) = reading.notice {
            let facts = FollowUpFacts {
                id: f.id,
                project: &f.project,
                environment: &f.environment,
                title: &f.title,
                owner,
                due: reading.due,
            };
            events.push(follow_up_reminder(&facts, reminder, &reading, now));
        }
    }
    Ok((events, next))
}
