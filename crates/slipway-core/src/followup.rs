//! Follow-ups: what a rollback or a closed emergency request leaves to do (a postmortem, a
//! fix), owned by someone, due on the project's calendar, reminded and told overdue through
//! the outbox, and closed as done or as won't do with a reason.

use chrono::{DateTime, Utc};

use crate::age::format_age;
use crate::calendar::Calendar;
use crate::deploy::{check_http_url, ActionError};
use crate::request::{RequestEvent, RequestKind};

/// Business days from the rollback (or the request's close) to a follow-up's due date,
/// unless the project says otherwise.
pub const DEFAULT_DUE_BUSINESS_DAYS: u32 = 10;

/// The most business days a project may give (about a year).
pub const MAX_DUE_BUSINESS_DAYS: u32 = 260;

/// Where a follow-up stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FollowUpStatus {
    /// Still to do.
    Open,
    /// Done.
    Done,
    /// Not going to be done, with a reason.
    WontDo,
}

/// How urgent a follow-up is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Priority {
    /// Before anything else.
    High,
    /// The default.
    Normal,
    /// When there is time.
    Low,
}

macro_rules! words {
    ($ty:ident, $what:literal { $($variant:ident => $word:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];
            /// The stable name (stored, printed, typed).
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $word),+ }
            }
            /// Reads a name back; an unknown one says which exist.
            pub fn parse(word: &str) -> Result<$ty, FollowUpError> {
                match word.trim().to_ascii_lowercase().as_str() {
                    $($word => Ok($ty::$variant),)+
                    _ => Err(FollowUpError::UnknownWord {
                        what: $what,
                        given: word.trim().to_string(),
                        known: [$($word),+].join(", "),
                    }),
                }
            }
        }
    };
}

words!(FollowUpStatus, "status" { Open => "open", Done => "done", WontDo => "wont-do" });
words!(Priority, "priority" { High => "high", Normal => "normal", Low => "low" });

/// Why a follow-up cannot be changed as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FollowUpError {
    /// A word that is not a status or priority.
    #[error("{given:?} is not a {what}; use one of: {known}")]
    UnknownWord {
        /// Status or priority.
        what: &'static str,
        /// What was given.
        given: String,
        /// The words that exist.
        known: String,
    },
    /// "Won't do" without a reason.
    #[error("a follow-up closed as won't do needs a reason: say why it will not be done")]
    NoReason,
    /// Closing a follow-up that is not open, or reopening one that is.
    #[error("follow-up #{id} is {status} already")]
    AlreadyThere {
        /// Its number.
        id: i64,
        /// Where it stands.
        status: &'static str,
    },
    /// An external link that is not an http(s) URL.
    #[error("the link {given:?} is not usable: {why}; give the http(s) address of the ticket or document")]
    BadLink {
        /// What was given (control characters escaped by `{:?}`).
        given: String,
        /// What is wrong with it.
        why: String,
    },
    /// A due-days setting out of range.
    #[error(
        "a follow-up is due 1 to {MAX_DUE_BUSINESS_DAYS} business days after it opens, not {0}"
    )]
    BadDays(i64),
    /// An empty title.
    #[error("a follow-up needs a title saying what is to be done")]
    NoTitle,
}

/// Checks an external link (the ticket or document where the postmortem lives) with the
/// rule every stored URL follows ([`check_http_url`]): http(s) with a host, no credentials,
/// no control characters, at most 2,048 characters.
pub fn check_external_link(link: &str) -> Result<String, FollowUpError> {
    let trimmed = link.trim();
    let why = match check_http_url(trimmed) {
        Ok(()) if !trimmed.is_empty() => return Ok(trimmed.to_string()),
        Ok(()) => "it is empty",
        Err(ActionError::CredentialsInUrl) => "it carries a user name or password",
        Err(ActionError::UrlShape) => {
            "it holds control characters or is longer than 2,048 characters"
        }
        Err(_) if trimmed.is_empty() => "it is empty",
        Err(_) => "only http and https addresses with a host are kept",
    };
    Err(FollowUpError::BadLink {
        given: link.to_string(),
        why: why.to_string(),
    })
}

/// Checks the business days a project gives its follow-ups.
pub fn check_due_days(days: i64) -> Result<u32, FollowUpError> {
    u32::try_from(days)
        .ok()
        .filter(|d| (1..=MAX_DUE_BUSINESS_DAYS).contains(d))
        .ok_or(FollowUpError::BadDays(days))
}

/// The due date of a follow-up opened at `opened` (the rollback, the request's close).
pub fn due_date(calendar: &Calendar, opened: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    calendar.add_business_days(opened, days)
}

/// Whether a request's step opens a postmortem follow-up: the close of an emergency request
/// (an incident). A rollback opens one too, with its run.
pub fn opens_postmortem(kind: RequestKind, event: &RequestEvent) -> bool {
    kind == RequestKind::Emergency && *event == RequestEvent::Closed
}

/// How a follow-up is closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closing {
    /// Done or won't do.
    pub status: FollowUpStatus,
    /// Why (needed for won't do; a note for done).
    pub reason: Option<String>,
}

/// Checks closing follow-up `id`, which stands at `current`, as `status` with `reason`.
pub fn check_closing(
    id: i64,
    current: FollowUpStatus,
    status: FollowUpStatus,
    reason: &str,
) -> Result<Closing, FollowUpError> {
    if current != FollowUpStatus::Open {
        return Err(FollowUpError::AlreadyThere {
            id,
            status: current.as_str(),
        });
    }
    let reason = Some(reason.trim().to_string()).filter(|r| !r.is_empty());
    match status {
        FollowUpStatus::Open => Err(FollowUpError::AlreadyThere {
            id,
            status: current.as_str(),
        }),
        FollowUpStatus::WontDo if reason.is_none() => Err(FollowUpError::NoReason),
        status => Ok(Closing { status, reason }),
    }
}

/// A notice a follow-up's clock sends its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reminder {
    /// The morning of the business day it is due.
    Due,
    /// Its due date passed and it is still open.
    Overdue,
}

/// A follow-up's clock at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReading {
    /// When it is due.
    pub due: DateTime<Utc>,
    /// When its owner is reminded.
    pub remind_at: DateTime<Utc>,
    /// Whether it is past due (and open).
    pub overdue: bool,
    /// Seconds until due (negative: how long overdue).
    pub left_seconds: i64,
    /// The notice due now, if any: only the newest (a follow-up first seen overdue is not
    /// also reminded that it is due).
    pub notice: Option<Reminder>,
    /// The next instant the clock has something to say, for a watcher's timer.
    pub next: Option<DateTime<Utc>>,
}

impl DueReading {
    /// "due in 3 d 4 h", "overdue by 2 d", "closed".
    pub fn sentence(&self, status: FollowUpStatus) -> String {
        match (status, self.overdue) {
            (FollowUpStatus::Done, _) => "done".into(),
            (FollowUpStatus::WontDo, _) => "won't do".into(),
            (FollowUpStatus::Open, true) => {
                format!("overdue by {}", format_age(-self.left_seconds))
            }
            (FollowUpStatus::Open, false) => format!("due in {}", format_age(self.left_seconds)),
        }
    }
}

/// Reads a follow-up's clock at `now`: due at `due` on `calendar`, standing at `status`.
/// A closed follow-up sends nothing, so closing it stops the reminders.
pub fn read_due(
    calendar: &Calendar,
    due: DateTime<Utc>,
    status: FollowUpStatus,
    now: DateTime<Utc>,
) -> DueReading {
    let remind_at = calendar.opening_of_day(due).min(due);
    let open = status == FollowUpStatus::Open;
    let overdue = open && now >= due;
    let notice = match (open, now >= due, now >= remind_at) {
        (false, _, _) => None,
        (true, true, _) => Some(Reminder::Overdue),
        (true, false, true) => Some(Reminder::Due),
        (true, false, false) => None,
    };
    let next = match (open, now < remind_at, now < due) {
        (false, _, _) => None,
        (true, true, _) => Some(remind_at),
        (true, false, true) => Some(due),
        (true, false, false) => None,
    };
    DueReading {
        due,
        remind_at,
        overdue,
        left_seconds: (due - now).num_seconds(),
        notice,
        next,
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::calendar::Holiday;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    fn berlin() -> Calendar {
        let holiday = Holiday {
            name: "Unity day".into(),
            from: chrono::NaiveDate::from_ymd_opt(2026, 10, 3).unwrap(),
            to: chrono::NaiveDate::from_ymd_opt(2026, 10, 3).unwrap(),
        };
        Calendar::weekdays("Europe/Berlin", 9 * 60, 17 * 60, vec![holiday]).unwrap()
    }

    #[test]
    fn due_dates_count_business_days() {
        // (calendar, opened, days, due)
        let cases = [
            // Friday 18:00 Berlin (16:00 UTC): Monday is day 1, so day 1 closes Monday 17:00.
            (
                berlin(),
                utc(2026, 12, 4, 16, 0),
                1,
                utc(2026, 12, 7, 16, 0),
            ),
            // Friday afternoon + 10 business days: two weekends crossed, Friday the 18th.
            (
                berlin(),
                utc(2026, 12, 4, 13, 0),
                10,
                utc(2026, 12, 18, 16, 0),
            ),
            // Opened on Saturday: Monday is day 1 again.
            (
                berlin(),
                utc(2026, 12, 5, 10, 0),
                1,
                utc(2026, 12, 7, 16, 0),
            ),
            // A holiday (Saturday 3 October 2026 is one anyway; Friday 2nd + 1 → Monday 5th).
            (
                berlin(),
                utc(2026, 10, 2, 10, 0),
                1,
                utc(2026, 10, 5, 15, 0),
            ),
            // Summer time: 17:00 in Berlin is 15:00 UTC.
            (berlin(), utc(2026, 7, 1, 10, 0), 2, utc(2026, 7, 3, 15, 0)),
            // 24×7: whole days.
            (
                Calendar::Always,
                utc(2026, 12, 4, 16, 0),
                10,
                utc(2026, 12, 14, 16, 0),
            ),
        ];
        for (cal, opened, days, want) in cases {
            assert_eq!(due_date(&cal, opened, days), want, "{opened} + {days}");
        }
    }

    #[test]
    fn the_clock_reminds_then_tells_overdue_and_stops_when_closed() {
        let cal = berlin();
        let due = utc(2026, 12, 18, 16, 0); // Friday 17:00 Berlin
        let morning = utc(2026, 12, 18, 8, 0); // Friday 09:00 Berlin
                                               // (now, status, notice, overdue, next)
        let cases = [
            (
                utc(2026, 12, 17, 12, 0),
                FollowUpStatus::Open,
                None,
                false,
                Some(morning),
            ),
            (
                morning,
                FollowUpStatus::Open,
                Some(Reminder::Due),
                false,
                Some(due),
            ),
            (
                due,
                FollowUpStatus::Open,
                Some(Reminder::Overdue),
                true,
                None,
            ),
            (
                utc(2026, 12, 21, 9, 0),
                FollowUpStatus::Open,
                Some(Reminder::Overdue),
                true,
                None,
            ),
            (
                utc(2026, 12, 18, 9, 0),
                FollowUpStatus::Done,
                None,
                false,
                None,
            ),
            (
                utc(2026, 12, 21, 9, 0),
                FollowUpStatus::WontDo,
                None,
                false,
                None,
            ),
        ];
        for (now, status, notice, overdue, next) in cases {
            let r = read_due(&cal, due, status, now);
            assert_eq!(r.remind_at, morning);
            assert_eq!(
                (r.notice, r.overdue, r.next),
                (notice, overdue, next),
                "{now} {status:?}"
            );
        }
        let r = read_due(&cal, due, FollowUpStatus::Open, utc(2026, 12, 20, 16, 0));
        assert_eq!(r.sentence(FollowUpStatus::Open), "overdue by 2 d");
        let r = read_due(
            &Calendar::Always,
            due,
            FollowUpStatus::Open,
            utc(2026, 12, 16, 16, 0),
        );
        assert_eq!(r.remind_at, utc(2026, 12, 17, 16, 0));
        assert_eq!(r.sentence(FollowUpStatus::Open), "due in 2 d");
    }

    #[test]
    fn closing_rules() {
        use FollowUpStatus::*;
        let cases: [(
            FollowUpStatus,
            FollowUpStatus,
            &str,
            Result<Closing, FollowUpError>,
        ); 5] = [
            (
                Open,
                Done,
                "",
                Ok(Closing {
                    status: Done,
                    reason: None,
                }),
            ),
            (
                Open,
                WontDo,
                " duplicate of #4 ",
                Ok(Closing {
                    status: WontDo,
                    reason: Some("duplicate of #4".into()),
                }),
            ),
            (Open, WontDo, "  ", Err(FollowUpError::NoReason)),
            (
                Done,
                Done,
                "",
                Err(FollowUpError::AlreadyThere {
                    id: 3,
                    status: "done",
                }),
            ),
            (
                Open,
                Open,
                "",
                Err(FollowUpError::AlreadyThere {
                    id: 3,
                    status: "open",
                }),
            ),
        ];
        for (current, status, reason, want) in cases {
            assert_eq!(
                check_closing(3, current, status, reason),
                want,
                "{current:?} {status:?}"
            );
        }
    }

    #[test]
    fn an_emergency_close_opens_a_postmortem() {
        use RequestKind::*;
        let cases = [
            (Emergency, RequestEvent::Closed, true),
            (Normal, RequestEvent::Closed, false),
            (Standard, RequestEvent::Closed, false),
            (Emergency, RequestEvent::Verified, false),
            (
                Emergency,
                RequestEvent::Cancelled {
                    reason: "dup".into(),
                },
                false,
            ),
        ];
        for (kind, event, want) in cases {
            assert_eq!(opens_postmortem(kind, &event), want, "{kind:?} {event:?}");
        }
    }

    #[test]
    fn bad_input_is_refused() {
        assert!(check_external_link("https://wiki.example.com/pm/42").is_ok());
        for bad in [
            "ftp://x/y",
            "javascript:alert(1)",
            "wiki/pm",
            "https://a\nb",
            "",
        ] {
            assert!(check_external_link(bad).is_err(), "{bad:?}");
        }
        assert_eq!(check_due_days(10), Ok(10));
        for bad in [0, -1, 261, i64::MAX] {
            assert_eq!(check_due_days(bad), Err(FollowUpError::BadDays(bad)));
        }
        assert_eq!(Priority::parse(" HIGH "), Ok(Priority::High));
        assert!(matches!(
            FollowUpStatus::parse("closed"),
            Err(FollowUpError::UnknownWord { .. })
        ));
    }
}
