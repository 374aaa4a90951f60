// The SDK's hand-written helpers, without a service.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeylineProblem, paginate } from "../src/index.js";

describe("paginate", () => {
  it("follows next until it is null, asking with each page's cursor", async () => {
    const pages: Record<string, { data: number[]; next: string | null }> = {
      first: { data: [1, 2], next: "b" },
      b: { data: [], next: "c" },
      c: { data: [3], next: null },
    };
    const asked: (string | undefined)[] = [];
    const items: number[] = [];
    for await (const item of paginate(async (cursor) => {
      asked.push(cursor);
      return { data: pages[cursor ?? "first"] };
    })) {
      items.push(item);
    }
    assert.deepEqual(items, [1, 2, 3]);
    assert.deepEqual(asked, [undefined, "b", "c"]);
  });

  it("refuses a page that names its own cursor again", async () => {
    const pages = paginate(async (cursor) => ({ data: { data: [1], next: cursor ?? "same" } }));
    await assert.rejects(async () => {
      for await (const _ of pages) {
        // draining
      }
    }, /same cursor/);
  });
});

describe("KeylineProblem", () => {
  it("reads the problem's fields, the request id and Retry-After", async () => {
    const response = new Response(
      JSON.stringify({ title: "Too many requests", status: 429, code: "rate_limited", request_id: "req-1" }),
      { status: 429, headers: { "content-type": "application/problem+json", "retry-after": "7" } },
    );
    const problem = await KeylineProblem.from(response);
    assert.equal(problem.status, 429);
    assert.equal(problem.code, "rate_limited");
    assert.equal(problem.title, "Too many requests");
    assert.equal(problem.requestId, "req-1");
    assert.equal(problem.retryAfterSeconds, 7);
  });

  it("keeps the status of an answer that is not a problem", async () => {
    const response = new Response("<html>bad gateway</html>", {
      status: 502,
      headers: { "content-type": "text/html", "x-request-id": "req-2" },
    });
    const problem = await KeylineProblem.from(response);
    assert.equal(problem.status, 502);
    assert.equal(problem.code, undefined);
    assert.equal(problem.requestId, "req-2");
  });
});
