import "./welcome.css";

export { Welcome } from "./Welcome";
