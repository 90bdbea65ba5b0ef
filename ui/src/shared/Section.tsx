import type { ReactNode } from "react";

/** A titled part of a drawer. */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="preview-section">
      <h3>{title}</h3>
      {children}
    </section>
  );
}

/** A number with what it counts, for a page's or a drawer's summary line; `tone` colours the number (`late`, `plus`, `minus`). */
export function Figure({ value, label, tone, testId }: { value: string | number; label: string; tone?: string; testId?: string }) {
  return (
    <div className="stat">
      <div className={tone ? `stat-value stat-${tone}` : "stat-value"} data-testid={testId}>
        {value}
      </div>
      <div className="stat-label">{label}</div>
    </div>
  );
}
