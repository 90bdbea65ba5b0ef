// Loaded only when the aging page opens: it brings the charting library.
import "./aging.css";

export { Aging } from "./Aging";
