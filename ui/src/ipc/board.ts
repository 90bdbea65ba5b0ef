import { call } from "./call";
import { read } from "./query";
import type { BoardDto } from "./types.gen";

/** The pipeline board: every project's environments and their queues. */
export const board = {
  load: () => call<BoardDto>("load_board"),
};

export const boardKeys = { all: ["board"] as const };

/** Read on start, on Refresh, when the window shows and when the core says refs moved; not on a timer. */
export const boardQuery = read(boardKeys.all, board.load);
