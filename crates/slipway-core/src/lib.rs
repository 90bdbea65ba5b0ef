//! Slipway's domain: changes, pipelines, queues and ages.
//!
//! Architecture invariant: this crate does no IO and never reads the clock.
//! Time comes in through [`Clock`]; everything else is plain data in, plain data out.

mod age;
mod alerting;
mod audit;
mod blocker;
mod calendar;
mod change;
mod clock;
mod deploy;
mod detect;
pub mod dora;
mod environment_gates;
mod followup;
mod freeze;
mod gate;
pub mod guard;
mod history;
mod link;
mod notes;
pub mod notice;
pub mod notify;
mod pipeline;
pub mod postmortem;
mod project;
mod queue;
mod request;
mod request_steps;
mod settings;
mod shipped;
mod sla;
mod template;
mod transport;
mod typed;
mod watch_health;

pub use age::{format_age, AgeBand};
pub use audit::{
    checkpoint_mac, verify_chain, verify_checkpoints, Anchored, AuditEntry, ChainBreak, Checkpoint,
    StoredEntry, GENESIS,
};
pub use blocker::Blocker;
pub use calendar::{BusinessCalendar, Calendar, CalendarError, CalendarIndex, Holiday, Hours};
pub use change::{cherry_pick_message, parse_message, Change, MessageFacts};
pub use clock::{Clock, FixedClock};
pub use deploy::{
    check_http_url, offers_rollback, reconcile, rollback_targets, ActionError, CommandAction,
    DeployAction, DeploymentKind, DeploymentStatus, Interrupted, Reconciled, Verification,
    WebhookAction, DEPLOY_VARIABLES,
};
pub use detect::{
    choose_trunk, environment_candidates, looked_for, order_pipeline, BranchName, Candidate,
    ProposedEnvironment, RefFamily, Standing, TrunkChoice, TrunkSource, CONVENTIONAL_TRUNKS,
    WELL_KNOWN_ENVIRONMENTS,
};
pub use environment_gates::{EnvironmentGates, GateAsk};
pub use followup::{
    check_closing, check_due_days, check_external_link, due_date, opens_postmortem, read_due,
    Closing, DueReading, FollowUpError, FollowUpStatus, Priority, Reminder,
    DEFAULT_DUE_BUSINESS_DAYS, MAX_DUE_BUSINESS_DAYS,
};
pub use freeze::WeeklyFreeze;
pub use gate::{
    evaluate, ActiveFreeze, BadMark, Evaluation, GateError, GateInput, GateKind, GateVerdict,
    GatedChange, Hold, Outcome, Signoff, SignoffRule, SignoffState, SignoffVerdict,
};
pub use history::{queue_at, QueueSample};
pub use link::{Link, LINK_SCHEME};
pub use notes::{release_notes, DiffTotals};
pub use pipeline::{
    check_branch, check_environment_name, check_project_name, Environment, NameError, Pipeline,
    Stage, TrackingRef,
};
pub use project::{FetchRecord, Project};
pub use queue::{arrival_of, Arrival, Queue, QueuedChange, WaitingSource};
pub use request::{
    ApprovalRule, Entry, Opening, Request, RequestError, RequestEvent, RequestKind, RequestState,
    Severity,
};
pub use request_steps::RequestStep;
pub use settings::{
    parse_setting, SettingError, SettingKey, SettingValue, Theme, MAX_FETCH_INTERVAL_MINUTES,
};
pub use shipped::{cherry_picked_from, shipped_as, LandedCommit, ShippedAs, ShippedHow};
pub use sla::{
    aging_clock, request_clocks, AgingPolicy, Alerting, BusinessTime, ClockSpec, Crossing,
    EscalationStep, PolicyError, Reading, SlaPolicy, SlaStage, Threshold,
};
pub use template::{escape, Escape, MessageTemplate, Template, TemplateError};
pub use transport::{secret_may_go_to, PlainHttp};
pub use typed::{parse_duration, parse_holiday, parse_week, TypedError};
pub use watch_health::{
    assess as assess_watch_health, Health, HealthProblem, PassRecord, MIN_STUCK_GRACE_SECS,
};
