import "./promotion.css";

export { PromotionDrawer } from "./Preview";
export { RollbackDrawer } from "./Rollback";
export { HotfixDrawer } from "./Hotfix";
export { HistoryDrawer } from "./History";
export { DeploySettingsDrawer } from "./DeploySettings";
export { HoldModal } from "./Hold";
export { FollowUps } from "./FollowUps";
export { SignoffControls } from "./Signoff";
export { Inbox } from "./Inbox";
export { kindNoun, statusTone } from "./Run";
