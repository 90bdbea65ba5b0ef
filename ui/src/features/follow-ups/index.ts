// Loaded only when the follow-ups page opens.
import "./follow-ups.css";

export { FollowUpsPage } from "./FollowUpsPage";
