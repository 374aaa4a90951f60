import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, paths };

/** The RFC 9457 body of every refusal, as the OpenAPI document declares it. */
export type Problem = components["schemas"]["Problem"];

export type KeylineClient = Client<paths>;

export interface KeylineClientOptions {
  /** Where Keyline answers, without `/v1` (the paths carry the version), e.g. `https://keyline.example.com`. */
  baseUrl: string;
  /** The tenant's API key, sent as a bearer token. */
  apiKey: string;
  /** A fetch implementation other than the global one (tests, proxies). */
  fetch?: typeof globalThis.fetch;
}

const PROBLEM_MEDIA_TYPE = "application/problem+json";

/**
 * A refusal from Keyline: the status, the stable machine `code` to branch on, the `field` to fix, the request id to
 * quote to support, and `Retry-After` in seconds when the answer says when to try again.
 */
export class KeylineProblem extends Error {
  readonly status: number;
  readonly problem: Partial<Problem>;
  readonly code: string | undefined;
  readonly title: string | undefined;
  readonly detail: string | undefined;
  readonly field: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, problem: Partial<Problem>, headers: Headers) {
    const body = problem as Record<string, unknown>;
    const text = (name: string): string | undefined =>
      typeof body[name] === "string" ? (body[name] as string) : undefined;
    const code = text("code");
    const title = text("title");
    super(`${status}${code ? ` ${code}` : ""}${title ? `: ${title}` : ""}`);
    this.name = "KeylineProblem";
    this.status = status;
    this.problem = problem;
    this.code = code;
    this.title = title;
    this.detail = text("detail");
    this.field = text("field");
    this.requestId = text("request_id") ?? headers.get("x-request-id") ?? undefined;
    this.retryAfterSeconds = retryAfter(headers.get("retry-after"));
  }

  /** The problem of an error answer; a body that is not a problem (a proxy's page) keeps only the status. */
  static async from(response: Response): Promise<KeylineProblem> {
    let problem: Partial<Problem> = {};
    const type = response.headers.get("content-type") ?? "";
    if (type.toLowerCase().startsWith(PROBLEM_MEDIA_TYPE)) {
      try {
        const parsed: unknown = await response.clone().json();
        if (parsed !== null && typeof parsed === "object") {
          problem = parsed as Partial<Problem>;
        }
      } catch {
        // Not JSON after all: the status alone says what happened.
      }
    }
    return new KeylineProblem(response.status, problem, response.headers);
  }
}

function retryAfter(value: string | null): number | undefined {
  if (value === null) {
    return undefined;
  }
  const seconds = Number(value.trim());
  if (Number.isInteger(seconds)) {
    return Math.max(0, seconds);
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/**
 * A typed client for Keyline's API (`client.GET("/v1/iam/users", …)`) that sends the API key and throws a
 * {@link KeylineProblem} for every answer that is not a success, so `data` is always there when a call returns.
 */
export function createKeylineClient(options: KeylineClientOptions): KeylineClient {
  if (!options.apiKey) {
    throw new Error("apiKey is empty");
  }
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    headers: { Authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const problems: Middleware = {
    async onResponse({ response }) {
      if (!response.ok) {
        throw await KeylineProblem.from(response);
      }
      return undefined;
    },
  };
  client.use(problems);
  return client;
}

/** One page of a list operation: its items and the cursor of the next page (`null` on the last). */
export interface Page<T> {
  data: T[];
  next?: string | null;
}

/**
 * Every item of a list operation, fetching page after page as the loop consumes them: each page's `next` is the
 * following request's `cursor`, until `next` is `null`.
 *
 * ```ts
 * for await (const user of paginate((cursor) =>
 *   client.GET("/v1/iam/users", { params: { header: { "x-account-id": id }, query: { cursor } } }))) { … }
 * ```
 */
export async function* paginate<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ data?: Page<T> | undefined }>,
): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined = undefined;
  for (;;) {
    const { data: page } = await fetchPage(cursor);
    if (page === undefined) {
      throw new Error("the list operation answered without a page");
    }
    yield* page.data;
    const next: string | null | undefined = page.next;
    if (next === null || next === undefined) {
      return;
    }
    if (next === cursor) {
      // The same cursor again would loop forever.
      throw new Error(`the page after cursor ${cursor} names the same cursor`);
    }
    cursor = next;
  }
}
