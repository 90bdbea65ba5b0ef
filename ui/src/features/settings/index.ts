import "./settings.css";

export { Settings } from "./Settings";
