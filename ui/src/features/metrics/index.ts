// Loaded only when the metrics page opens: it brings the charting library.
import "./metrics.css";

export { Metrics } from "./Metrics";
