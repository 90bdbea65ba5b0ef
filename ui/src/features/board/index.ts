import "./board.css";

export { Board } from "./Board";
