import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { call } from "./call";
import { read } from "./query";
import type { FollowUpCloseDto, FollowUpDto, FollowUpEditDto, PostmortemDto } from "./types.gen";

/** Follow-ups: what a rollback or an emergency request's close leaves to do, owned and due. */
export const followUps = {
  /** Open follow-ups soonest due first; with `all`, then the closed ones, newest closed first. */
  list: (all: boolean) => call<FollowUpDto[]>("follow_ups", { all }),
  /** Changes an open follow-up; a null field stays as it is (an empty link removes it). */
  edit: (id: number, edit: FollowUpEditDto) => call<FollowUpDto>("edit_follow_up", { id, edit }),
  /** Closes it as done or won't do (which needs a reason); answers it as it now stands. */
  close: (id: number, close: FollowUpCloseDto) => call<FollowUpDto>("close_follow_up", { id, close }),
  /** A postmortem draft in Markdown, from the rollback, the request and what happened around them. */
  draft: (id: number) => call<PostmortemDto>("postmortem_draft", { id }),
  /** Writes a draft to the file picked in the save dialog. */
  /** Saves the draft where the person picks (the shell opens the dialog); the file written, or null when cancelled. */
  savePostmortem: (id: number) => call<string | null>("save_postmortem", { id }),
};

/** How often the follow-up list reads again; the core works out each one's standing when read. */
export const FOLLOW_UPS_REFRESH_MS = 60_000;

export const followUpKeys = {
  all: ["follow-ups"] as const,
  lists: ["follow-ups", "list"] as const,
  list: (all: boolean) => ["follow-ups", "list", all] as const,
};

// The open list stays on screen until the full one is read, and back.
export const followUpsQuery = (all: boolean) =>
  queryOptions({ ...read(followUpKeys.list(all), () => followUps.list(all), FOLLOW_UPS_REFRESH_MS), placeholderData: keepPreviousData });
