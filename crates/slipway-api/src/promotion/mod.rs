//! One-click promotion and rollback: the plan with its gates' verdicts, then the steps —
//! lock, move and push the ref, run the deploy action, verify, record — each written down
//! before the next begins, so that a crash can be reconciled on the next start.

mod action;
mod history;
mod hotfix;
mod plan;
mod promote;
mod reconcile;
mod rollback;
mod run;
mod run_plan;

pub use history::*;
pub use hotfix::*;
pub use plan::*;
pub use promote::*;
pub use reconcile::*;
pub use rollback::*;
pub use run::*;
pub use run_plan::*;
