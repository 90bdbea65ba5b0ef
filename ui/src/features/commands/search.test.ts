import { describe, expect, it } from "vitest";
import { board, request } from "../../test/fixtures";
import { search } from "./search";

describe("the palette's search", () => {
  const b = board();
  const project = b.projects[0];
  const qa = project.environments[0];
  const first = qa.queue[0];
  const requests = [request(4, { title: "Card payments fail in the EU" }), request(12, { title: "Rotate the API keys" })];

  const cases: { query: string; kind: string; title: string | RegExp; focus?: { environment: string | null; sha: string | null } | null; path?: string }[] = [
    { query: project.name, kind: "project", title: project.name, focus: { environment: null, sha: null } },
    { query: qa.name, kind: "environment", title: `${project.name} / ${qa.name}`, focus: { environment: qa.name, sha: null } },
    { query: `${project.name}/${qa.name}`, kind: "environment", title: `${project.name} / ${qa.name}` },
    { query: first.sha.slice(0, 7), kind: "change", title: first.title, focus: { environment: qa.name, sha: first.sha } },
    { query: "#12", kind: "request", title: "#12 Rotate the API keys", focus: null, path: "/requests/12" },
    { query: "cr 4", kind: "request", title: "#4 Card payments fail in the EU", path: "/requests/4" },
    { query: "payments fail", kind: "request", title: "#4 Card payments fail in the EU" },
  ];
  for (const c of cases) {
    it(`finds ${c.kind} for ${JSON.stringify(c.query)}`, () => {
      const hits = search(c.query, b, requests);
      const top = hits[0];
      expect(top?.kind).toBe(c.kind);
      expect(top?.title).toEqual(c.title);
      if (c.focus !== undefined) expect(top.target.focus === null ? null : { environment: top.target.focus.environment, sha: top.target.focus.sha }).toEqual(c.focus);
      if (c.path) expect(top.target.path).toBe(c.path);
    });
  }

  it("finds a change by its PR and its ticket, and nothing for what matches nothing", () => {
    const b2 = board();
    const staging = b2.projects[0].environments[1];
    staging.queue[1] = { ...staging.queue[1], pr: 77, tickets: ["PAY-42"] };
    const wanted = staging.queue[1].sha;
    for (const query of ["#77", "77", "PAY-42", "pay-42", "pay-4"]) {
      const top = search(query, b2, [])[0];
      expect(top?.target.focus, query).toEqual({ project: "payments", environment: "staging", sha: wanted });
    }
    expect(search("#77", b2, [])[0].detail).toBe("PR #77 · waiting for staging in payments, 2 h");
    expect(search("zzzz-nothing", b2, requests)).toEqual([]);
    expect(search("   ", b2, requests)).toEqual([]);
  });

  it("reads a number as a PR or a request, never as a sha prefix", () => {
    const hits = search("12", b, requests);
    expect(hits[0].kind).toBe("request");
    expect(hits.filter((h) => h.kind === "change").every((h) => h.detail.startsWith("PR #12"))).toBe(true);
  });
});
