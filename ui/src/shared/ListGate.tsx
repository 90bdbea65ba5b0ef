import type { ReactNode } from "react";
import type { Read } from "../ipc";

/** What a section shows while its list is read, when reading it failed, and over a stale list. */
export function ListGate<T>({
  list,
  what,
  testId,
  children,
}: {
  list: Read<T>;
  what: string;
  testId: string;
  children: (value: NonNullable<T>) => ReactNode;
}) {
  if (!list.loaded) return <div className="card card-empty">Reading {what}…</div>;
  if (list.value === null || list.value === undefined) {
    const error = list.error ?? { code: "internal", message: "nothing came back." };
    return (
      <div className="inline-error" role="alert" data-testid={testId} data-code={error.code}>
        Slipway can’t read {what}: {error.message}
      </div>
    );
  }
  return (
    <>
      {list.error && (
        <div className="stale" role="status">
          <strong>Not refreshed.</strong> {list.error.message}
        </div>
      )}
      {children(list.value as NonNullable<T>)}
    </>
  );
}
