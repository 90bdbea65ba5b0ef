//! The TypeScript types the UI uses, generated from the DTOs. `make bindings` rewrites the
//! committed file; this test fails when it is stale.

use ts_rs::TS;

use crate::*;

fn render() -> String {
    let decls = [
        ErrorCode::decl(),
        ApiError::decl(),
        ChangeDto::decl(),
        AgeBandDto::decl(),
        WaitingSourceDto::decl(),
        BlockerKindDto::decl(),
        BlockerDto::decl(),
        QueuedChangeDto::decl(),
        StandingDto::decl(),
        TipDto::decl(),
        TrunkColumnDto::decl(),
        EnvironmentColumnDto::decl(),
        ProjectBoardDto::decl(),
        BoardDto::decl(),
        FileChangeDto::decl(),
        PreviewDto::decl(),
        EnvironmentSpecDto::decl(),
        ProjectDto::decl(),
        FetchProgressDto::decl(),
        FetchStateDto::decl(),
        DemoDto::decl(),
        AppInfoDto::decl(),
        ClockDto::decl(),
        NewRequestDto::decl(),
        RequestActionDto::decl(),
        RequestStepDto::decl(),
        RequestSummaryDto::decl(),
        TimelineEntryDto::decl(),
        RequestDetailDto::decl(),
        RequestListDto::decl(),
        AgingChangeDto::decl(),
        AgingPointDto::decl(),
        AgingSeriesDto::decl(),
        AgingDto::decl(),
        GateKindDto::decl(),
        OutcomeDto::decl(),
        VerdictDto::decl(),
        PlanDto::decl(),
        PromoteInputDto::decl(),
        RollbackInputDto::decl(),
        HotfixInputDto::decl(),
        ProgressDto::decl(),
        DeploymentKindDto::decl(),
        DeploymentStatusDto::decl(),
        DeploymentDto::decl(),
        RollbackTargetDto::decl(),
        RollbackOptionsDto::decl(),
        HeaderDto::decl(),
        DeployActionDto::decl(),
        SignoffInputDto::decl(),
        WeeklyFreezeInputDto::decl(),
        FollowUpDto::decl(),
        HoldDto::decl(),
        AuditVerifyDto::decl(),
        AuditEntryDto::decl(),
        InboxItemDto::decl(),
        StakeholderDto::decl(),
        ChannelInputDto::decl(),
        ChannelDto::decl(),
        SubscriptionInputDto::decl(),
        SubscriptionDto::decl(),
        TemplateDto::decl(),
        TemplateInputDto::decl(),
        DeliveryDto::decl(),
        OutboxDto::decl(),
        DesktopNoticeDto::decl(),
        DispatchDto::decl(),
        WaitingForMeDto::decl(),
        WaitingKindDto::decl(),
        WaitingItemDto::decl(),
    ];
    let mut out =
        String::from("// Generated from slipway-api's DTOs by `make bindings`. Do not edit.\n");
    for d in decls {
        out.push_str("\nexport ");
        out.push_str(&d);
        out.push('\n');
    }
    out
}

#[test]
fn typescript_bindings_are_fresh() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/ipc/types.gen.ts");
    let want = render();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &want).expect("write bindings");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{} is stale: run `make bindings` and commit the result",
        path.display()
    );
}
