import "./requests.css";

export { RequestTable, Requests } from "./Requests";
export { RequestPage } from "./RequestPage";
