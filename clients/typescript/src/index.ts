// kycrail's TypeScript client: openapi-fetch, typed by the paths openapi-typescript generated from
// kycrail's OpenAPI document (schema.d.ts, never edited by hand), on a fetch that does what a payment
// platform's SDK should:
// - every write carries an Idempotency-Key made for it, the same across its retries;
// - 429 and 503 (and a network failure before an answer) are retried with backoff, honouring
//   Retry-After; no other 4xx ever is;
// - webhooks are verified before they are trusted (Standard Webhooks, and SpherePay's `signature`).
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import createClient, { type Client } from "openapi-fetch";
import { Webhook } from "standardwebhooks";
import type { components, paths } from "./schema.js";

export type { components, paths };
export type Schemas = components["schemas"];

export interface RetryPolicy {
  attempts: number; // in all, the first one included
  retryOn: readonly number[];
  backoffMs: number; // doubling from this, unless Retry-After names a wait
  maxWaitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, retryOn: [429, 503], backoffMs: 500, maxWaitMs: 30_000 };

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Retry-After in milliseconds: seconds, or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const when = Date.parse(value);
  return Number.isNaN(when) ? undefined : Math.max(when - now, 0);
}

function waitMs(policy: RetryPolicy, attempt: number, response?: Response): number {
  const named = response ? retryAfterMs(response.headers.get("Retry-After")) : undefined;
  return Math.min(named ?? policy.backoffMs * 2 ** (attempt - 1), policy.maxWaitMs);
}

/** A fetch that gives each write its idempotency key once and retries as the policy says. */
export function resilientFetch(
  policy: RetryPolicy = DEFAULT_RETRY,
  inner: typeof fetch = fetch,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    if (WRITES.has(request.method) && !request.headers.has("Idempotency-Key")) {
      request.headers.set("Idempotency-Key", randomUUID());
    }
    const body = request.body ? await request.arrayBuffer() : undefined; // sent again on a retry
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= policy.attempts;
      let response: Response;
      try {
        response = await inner(new Request(request, { body: body ?? null }));
      } catch (failure) {
        if (last) throw failure;
        await sleep(waitMs(policy, attempt));
        continue;
      }
      if (last || !policy.retryOn.includes(response.status)) return response;
      await response.body?.cancel();
      await sleep(waitMs(policy, attempt, response));
    }
  };
}

export interface Options {
  baseUrl: string;
  apiKey: string;
  retry?: RetryPolicy;
  fetch?: typeof fetch;
}

/** A typed client of kycrail at `baseUrl`, sending `apiKey` as `Authorization: Bearer`. */
export function createKycrail(options: Options): Client<paths> {
  return createClient<paths>({
    baseUrl: options.baseUrl,
    headers: { Authorization: `Bearer ${options.apiKey}` },
    fetch: resilientFetch(options.retry ?? DEFAULT_RETRY, options.fetch ?? fetch),
  });
}

export class InvalidSignature extends Error {}

/** Throws InvalidSignature unless the Standard Webhooks headers sign the raw `body` under `secret`
 * (a `whsec_` secret; kycrail also refuses a timestamp more than five minutes off). */
export function verifyStandard(body: string, headers: Record<string, string>, secret: string): void {
  try {
    new Webhook(secret).verify(body, {
      "webhook-id": headers["webhook-id"] ?? "",
      "webhook-timestamp": headers["webhook-timestamp"] ?? "",
      "webhook-signature": headers["webhook-signature"] ?? "",
    });
  } catch (failure) {
    throw new InvalidSignature(String(failure));
  }
}

/** Throws InvalidSignature unless SpherePay's `signature` header is the HMAC-SHA256 of the raw body. */
export function verifySphere(body: string, signature: string, secret: string): void {
  const expected = Buffer.from(createHmac("sha256", secret).update(body).digest("hex"));
  const given = Buffer.from(signature.trim().toLowerCase());
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new InvalidSignature("the signature header does not match the body");
  }
}
