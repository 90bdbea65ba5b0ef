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
        ShippedHowDto::decl(),
        ShippedAsDto::decl(),
        QueuedChangeDto::decl(),
        StandingDto::decl(),
        TipDto::decl(),
        TrunkColumnDto::decl(),
        EnvironmentColumnDto::decl(),
        ProjectBoardDto::decl(),
        BoardDto::decl(),
        FileChangeDto::decl(),
        AlreadyShippedDto::decl(),
        GuardModeDto::decl(),
        FindingKindDto::decl(),
        FindingDto::decl(),
        SkippedDto::decl(),
        GuardReportDto::decl(),
        MarkerOriginDto::decl(),
        MarkerDto::decl(),
        DeniedDto::decl(),
        GuardEnvironmentDto::decl(),
        GuardSettingsDto::decl(),
        DriftDto::decl(),
        DriftFileDto::decl(),
        GuardChangeDto::decl(),
        PreviewDto::decl(),
        EnvironmentSpecDto::decl(),
        ProjectDto::decl(),
        RefFamilyDto::decl(),
        DetectedEnvironmentDto::decl(),
        PipelineProposalDto::decl(),
        InitDto::decl(),
        FetchProgressDto::decl(),
        FetchStateDto::decl(),
        DemoDto::decl(),
        AppInfoDto::decl(),
        IdentitySourceDto::decl(),
        WorkspaceSourceDto::decl(),
        ThemeDto::decl(),
        SettingsDto::decl(),
        ClockStageDto::decl(),
        ToneDto::decl(),
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
        DoraAskDto::decl(),
        DoraMetricDto::decl(),
        DoraBandDto::decl(),
        DoraFigureDto::decl(),
        FailureRuleDto::decl(),
        UnplannedDto::decl(),
        DeploymentSourceDto::decl(),
        DoraFailureDto::decl(),
        DoraDeploymentDto::decl(),
        DoraChangeDto::decl(),
        DoraStageDto::decl(),
        DoraWeekDto::decl(),
        DoraDto::decl(),
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
        FollowUpStatusDto::decl(),
        PriorityDto::decl(),
        FollowUpEditDto::decl(),
        FollowUpCloseDto::decl(),
        NewFollowUpDto::decl(),
        FollowUpSettingsDto::decl(),
        PostmortemDto::decl(),
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
        PageDto::decl(),
        LinkDto::decl(),
        WindowStartDto::decl(),
        DesktopNoticeDto::decl(),
        DispatchDto::decl(),
        WaitingForMeDto::decl(),
        WaitingKindDto::decl(),
        WaitingItemDto::decl(),
        ReachDto::decl(),
        ChainMemberDto::decl(),
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

/// The core's vocabulary the UI needs — age bands with their spans, event and channel kinds,
/// message parts per channel, severities, delivery words — so the UI never keeps a copy.
fn vocabulary() -> String {
    use slipway_core::notify::{ChannelKind, Delivery, EventKind, Part, Severity};
    use slipway_core::AgeBand;
    let words = |list: Vec<&str>| {
        list.iter()
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = String::from(
        "// Generated from slipway-core's vocabulary by `make bindings`. Do not edit.\n",
    );
    let bands: Vec<String> = AgeBand::ALL
        .iter()
        .map(|b| format!("  {}: \"{}\",", b.as_str(), b.label()))
        .collect();
    out.push_str(&format!(
        "\n/** Each age band's span, from the core's thresholds. */\nexport const AGE_BAND_SPAN = {{\n{}\n}} as const;\n",
        bands.join("\n")
    ));
    let list = |name: &str, doc: &str, ty: &str, values: Vec<&str>| {
        format!(
            "\n/** {doc} */\nexport const {name} = [{}] as const;\nexport type {ty} = (typeof {name})[number];\n",
            words(values)
        )
    };
    out.push_str(&list(
        "EVENT_KINDS",
        "Every event kind a subscription can ask for.",
        "EventKind",
        EventKind::ALL.iter().map(|k| k.as_str()).collect(),
    ));
    out.push_str(&list(
        "CHANNEL_KINDS",
        "Every kind of channel.",
        "ChannelKind",
        ChannelKind::ALL.iter().map(|k| k.as_str()).collect(),
    ));
    out.push_str(&list(
        "PARTS",
        "Every message part.",
        "Part",
        Part::ALL.iter().map(|k| k.as_str()).collect(),
    ));
    out.push_str(&list(
        "SEVERITIES",
        "Severities, least first (a subscription's minimum).",
        "Severity",
        Severity::ALL.iter().map(|k| k.as_str()).collect(),
    ));
    let parts: Vec<String> = ChannelKind::ALL
        .iter()
        .map(|c| {
            format!(
                "  {}: [{}],",
                c.as_str(),
                words(c.parts().iter().map(|p| p.as_str()).collect())
            )
        })
        .collect();
    out.push_str(&format!(
        "\n/** The parts each channel's messages have. */\nexport const CHANNEL_PARTS: Record<ChannelKind, readonly Part[]> = {{\n{}\n}};\n",
        parts.join("\n")
    ));
    out.push_str(&format!(
        "\n/** How a subscription is delivered: `{0}`, or `{1} HH:MM Area/City`. */\nexport const DELIVERY_IMMEDIATE = \"{0}\";\nexport const DELIVERY_DIGEST = \"{1}\";\n",
        Delivery::IMMEDIATE_WORD,
        Delivery::DIGEST_WORD
    ));
    out
}

fn check(file: &str, want: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../ui/src/ipc")
        .join(file);
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, want).expect("write bindings");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{} is stale: run `make bindings` and commit the result",
        path.display()
    );
}

#[test]
fn typescript_bindings_are_fresh() {
    check("types.gen.ts", &render());
    check("vocabulary.gen.ts", &vocabulary());
}
