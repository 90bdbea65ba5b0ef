import { act } from "@testing-library/react";
import type { Mock } from "vitest";
import type { ProgressDto } from "../ipc";

/** What a test's fake core answers per command: a value, or a function of the call's arguments. */
export type Answers = Record<string, unknown | ((args: Record<string, unknown>) => unknown)>;

/** Makes the mocked `invoke` answer by command; a command without an answer is refused as the core would. */
export function answer(invoke: Mock, answers: Answers) {
  invoke.mockImplementation((command: string, args: Record<string, unknown> = {}) => {
    if (!(command in answers)) return Promise.reject({ code: "internal", message: `no answer for ${command}` });
    const a = answers[command];
    return Promise.resolve(typeof a === "function" ? (a as (args: Record<string, unknown>) => unknown)(args) : a);
  });
}

/** The arguments of the last call of `command`. */
export function argsOf(invoke: Mock, command: string): Record<string, unknown> {
  const calls = invoke.mock.calls.filter((c) => c[0] === command);
  if (calls.length === 0) throw new Error(`${command} was not called`);
  return calls[calls.length - 1][1] as Record<string, unknown>;
}

/** Sends progress lines down the channel the last `command` call was given, as the core does while it runs. */
export function say(invoke: Mock, command: string, ...lines: ProgressDto[]) {
  const channel = argsOf(invoke, command).onProgress as { onmessage: (p: ProgressDto) => void };
  act(() => {
    for (const line of lines) channel.onmessage(line);
  });
}

/** A promise the test settles when it wants, to hold a run open. */
export function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
