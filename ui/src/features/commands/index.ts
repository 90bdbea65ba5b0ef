import "./commands.css";

export { Commands, type Overlay } from "./Commands";
