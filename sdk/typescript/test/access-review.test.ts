// The access-review job a compliance developer writes with the TypeScript SDK, against the packaged service that
// the Java harness started (TypeScriptAccessReviewTest passes where it is, the key, the account and the facts).
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { Webhook } from "standardwebhooks";
import { createKeylineClient, KeylineProblem, paginate } from "../src/index.js";

function env(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run this suite through TypeScriptAccessReviewTest`);
  }
  return value;
}

const baseUrl = env("KEYLINE_URL");
const account = env("KEYLINE_ACCOUNT_ID");
const expected = {
  users: Number(env("KEYLINE_EXPECT_USERS")),
  disabled: Number(env("KEYLINE_EXPECT_DISABLED")),
  groups: Number(env("KEYLINE_EXPECT_GROUPS")),
  memberships: Number(env("KEYLINE_EXPECT_MEMBERSHIPS")),
  email: env("KEYLINE_SAMPLE_EMAIL"),
  remoteId: env("KEYLINE_SAMPLE_REMOTE_ID"),
};
const PAGE_SIZE = 40;
const client = createKeylineClient({ baseUrl, apiKey: env("KEYLINE_API_KEY") });
const header = { "x-account-id": account };

async function awaitSync(runId: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { data: run } = await client.GET("/v1/accounts/{id}/syncs/{run_id}", {
      params: { path: { id: account, run_id: runId } },
    });
    assert.ok(run);
    if (run.state === "succeeded") {
      return;
    }
    assert.notEqual(run.state, "failed", `sync ${runId} failed`);
    assert.ok(Date.now() < deadline, `sync ${runId} still ${run.state}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function startSync(): Promise<{ runId: string; location: string | null; status: number }> {
  const { data: run, response } = await client.POST("/v1/accounts/{id}/syncs", {
    params: { path: { id: account } },
  });
  assert.ok(run);
  return { runId: run.id, location: response.headers.get("location"), status: response.status };
}

let synced: Promise<void> | undefined;
function syncOnce(): Promise<void> {
  synced ??= startSync().then(({ runId }) => awaitSync(runId));
  return synced;
}

describe("access review with the TypeScript SDK", () => {
  it("lists every user across pages with the paging helper", async () => {
    const ids: string[] = [];
    for await (const user of paginate((cursor) =>
      client.GET("/v1/iam/users", { params: { header, query: { page_size: PAGE_SIZE, cursor } } }),
    )) {
      ids.push(user.remote_id);
    }
    assert.ok(expected.users > PAGE_SIZE * 2);
    assert.equal(ids.length, expected.users);
    assert.equal(new Set(ids).size, expected.users);
  });

  it("filters by status and by e-mail", async () => {
    const disabled = [];
    for await (const user of paginate((cursor) =>
      client.GET("/v1/iam/users", {
        params: { header, query: { status: "disabled", page_size: PAGE_SIZE, cursor } },
      }),
    )) {
      disabled.push(user);
    }
    assert.ok(disabled.length > 0);
    assert.equal(disabled.length, expected.disabled);
    for (const user of disabled) {
      assert.equal(user.status.value, "disabled");
    }

    const { data: page } = await client.GET("/v1/iam/users", {
      params: { header, query: { email: expected.email.toUpperCase() } },
    });
    assert.ok(page);
    assert.equal(page.data.length, 1);
    assert.equal(page.data[0]?.remote_id, expected.remoteId);
  });

  it("lists groups with their members", async () => {
    let groups = 0;
    let memberships = 0;
    for await (const group of paginate((cursor) =>
      client.GET("/v1/iam/groups", { params: { header, query: { include_members: true, cursor } } }),
    )) {
      groups++;
      const members = group.members;
      assert.ok(members, "include_members=true answers each group's members");
      assert.equal(members.length, group.member_count);
      memberships += members.length;
    }
    assert.equal(groups, expected.groups);
    assert.equal(memberships, expected.memberships);
    assert.ok(memberships > 0);
  });

  it("starts a sync and waits for it by id through its Location", async () => {
    const { runId, location, status } = await startSync();
    assert.ok(status === 202 || status === 200, `status ${status}`);
    assert.ok(location);
    assert.equal(new URL(location, baseUrl).pathname, `/v1/accounts/${account}/syncs/${runId}`);
    await awaitSync(runId);
  });

  it("reads the whole change feed by cursor", async () => {
    await syncOnce();
    const created = { user: 0, group: 0 };
    for await (const change of paginate((cursor) =>
      client.GET("/v1/accounts/{id}/changes", {
        params: { path: { id: account }, query: { page_size: PAGE_SIZE, cursor } },
      }),
    )) {
      if (change.change === "created" && (change.type === "user" || change.type === "group")) {
        created[change.type]++;
      }
    }
    assert.deepEqual(created, { user: expected.users, group: expected.groups });
  });

  it("downloads the CSV snapshot", async () => {
    await syncOnce();
    const { data: csv, response } = await client.GET("/v1/accounts/{id}/snapshot", {
      params: { path: { id: account }, query: { format: "csv" } },
      parseAs: "text",
    });
    assert.ok(csv);
    assert.match(response.headers.get("content-type") ?? "", /^text\/csv/);
    const lines = csv.split(/\r?\n/).filter((line) => line.length > 0);
    assert.ok(lines[0]?.startsWith("\"record_type\","));
    assert.equal(lines.filter((line) => line.startsWith("\"user\",")).length, expected.users);
    assert.equal(lines.filter((line) => line.startsWith("\"group\",")).length, expected.groups);
    assert.ok(csv.toLowerCase().includes(expected.email.toLowerCase()));
  });

  it("subscribes a webhook and verifies its signed delivery", async () => {
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
        response.writeHead(204).end();
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const port = (server.address() as AddressInfo).port;
      const { data: created } = await client.POST("/v1/webhooks", {
        body: { url: `http://127.0.0.1:${port}/hooks`, events: ["account.recovered"], description: "SDK access review" },
      });
      assert.ok(created);
      assert.ok(created.secret.startsWith("whsec_"));
      await client.POST("/v1/webhooks/{id}/test", { params: { path: { id: created.id } } });

      const deadline = Date.now() + 30_000;
      while (received.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const delivery = received[0];
      assert.ok(delivery, "no delivery within 30 s");
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(delivery.headers)) {
        if (typeof value === "string") {
          headers[name] = value;
        }
      }
      const payload = new Webhook(created.secret).verify(delivery.body, headers) as { type?: string };
      assert.equal(payload.type, "webhook.test");
      assert.throws(() => new Webhook(created.secret).verify(`${delivery.body} `, headers));
      assert.throws(() => new Webhook(Buffer.alloc(32).toString("base64")).verify(delivery.body, headers));
    } finally {
      server.close();
    }
  });

  it("turns a refusal into a typed KeylineProblem", async () => {
    await assert.rejects(
      client.GET("/v1/iam/users", { params: { header, query: { page_size: 0 } } }),
      (error: unknown) => {
        assert.ok(error instanceof KeylineProblem);
        assert.equal(error.status, 400);
        assert.equal(error.code, "invalid_parameter");
        assert.equal(error.field, "page_size");
        assert.ok(error.title);
        assert.ok(error.requestId);
        return true;
      },
    );
  });
});
