//! `slipway://` links: what notifications, the tray and desktop notices point at, and where in
//! the app each one leads. Links arrive from outside the app (a mail, a chat message), so only
//! the known forms are read; anything else is no link at all.

/// Where a link leads in the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// The pipeline board (`board`, `board/<project>/<environment>`, `promotion/<id>`,
    /// `deployment/<id>`, or a queued change's clock `ack/age/…`).
    Board,
    /// The QA sign-off inbox (`inbox`).
    Inbox,
    /// The change requests (`requests`), or one of them (`request/<id>`, or a request
    /// clock's `ack/cr/<id>/<stage>`).
    Requests {
        /// The request, when the link names one.
        id: Option<i64>,
        /// The link asks to acknowledge its breach (`ack/cr/…`): the request opens with
        /// "I'm on it" ready — it is never pressed for the person.
        acknowledge: bool,
    },
    /// The notifications pages and their outbox (`outbox`, `notifications`, `notify`).
    Notifications,
    /// The follow-ups (`follow-ups`), or one of them (`follow-up/<id>`).
    FollowUps {
        /// The follow-up, when the link names one.
        id: Option<i64>,
    },
}

/// The scheme every link starts with.
pub const LINK_SCHEME: &str = "slipway://";

impl Link {
    /// Reads a link; `None` for anything that is not one of the known forms.
    pub fn parse(text: &str) -> Option<Link> {
        let rest = text.trim().strip_prefix(LINK_SCHEME)?;
        let mut parts = rest.split('/').filter(|p| !p.is_empty());
        // A number that is not one (`request/abc`, `request/1;rm`) makes no link at all: a
        // malformed link changes nothing.
        let number = |word: Option<&str>| -> Option<Option<i64>> {
            match word {
                None => Some(None),
                Some(w) => w.parse::<i64>().ok().filter(|id| *id > 0).map(Some),
            }
        };
        Some(match parts.next()? {
            "inbox" => Link::Inbox,
            "request" | "requests" => Link::Requests {
                id: number(parts.next())?,
                acknowledge: false,
            },
            "promotion" | "board" | "deployment" => Link::Board,
            "outbox" | "notify" | "notifications" => Link::Notifications,
            "follow-up" | "follow-ups" => Link::FollowUps {
                id: number(parts.next())?,
            },
            "ack" => match parts.next() {
                Some("cr") => Link::Requests {
                    id: Some(number(parts.next())??),
                    acknowledge: true,
                },
                _ => Link::Board,
            },
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_known_forms_are_links() {
        let cases: &[(&str, Option<Link>)] = &[
            ("slipway://inbox", Some(Link::Inbox)),
            ("  slipway://inbox  ", Some(Link::Inbox)),
            (
                "slipway://request/12",
                Some(Link::Requests {
                    id: Some(12),
                    acknowledge: false,
                }),
            ),
            (
                "slipway://requests",
                Some(Link::Requests {
                    id: None,
                    acknowledge: false,
                }),
            ),
            (
                "slipway://requests/12",
                Some(Link::Requests {
                    id: Some(12),
                    acknowledge: false,
                }),
            ),
            ("slipway://request/abc", None),
            ("slipway://request/1;rm", None),
            ("slipway://follow-up/x", None),
            ("slipway://ack/cr", None),
            ("slipway://request/-3", None),
            ("slipway://promotion/7", Some(Link::Board)),
            ("slipway://deployment/7", Some(Link::Board)),
            ("slipway://board/payments/staging", Some(Link::Board)),
            (
                "slipway://ack/cr/12/approve",
                Some(Link::Requests {
                    id: Some(12),
                    acknowledge: true,
                }),
            ),
            ("slipway://ack/cr/x/approve", None),
            ("slipway://ack/age/payments/qa/abc", Some(Link::Board)),
            ("slipway://outbox", Some(Link::Notifications)),
            ("slipway://notifications", Some(Link::Notifications)),
            (
                "slipway://follow-up/3",
                Some(Link::FollowUps { id: Some(3) }),
            ),
            ("slipway://follow-ups", Some(Link::FollowUps { id: None })),
            ("slipway://", None),
            ("slipway://delete-everything", None),
            ("https://example.com/inbox", None),
            ("inbox", None),
        ];
        for (text, want) in cases {
            assert_eq!(&Link::parse(text), want, "{text}");
        }
    }
}
