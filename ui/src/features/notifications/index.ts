import "./notifications.css";

export { Notify } from "./Notify";
