import "./guard.css";

export { GuardDrawer } from "./GuardPanel";
export { DriftDrawer } from "./DriftView";
