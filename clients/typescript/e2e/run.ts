// The TypeScript client end to end, against the kycrail at KYCRAIL_URL (its sandbox key KYCRAIL_KEY):
// the seed's PATCH in v2; create {} then PUT a sandbox share token in v1; a webhook received on a real
// HTTP server here and verified both ways. Prints one JSON object of what it saw (tests/clients reads it).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createKycrail, InvalidSignature, verifySphere, verifyStandard } from "../src/index.js";

const baseUrl = process.env.KYCRAIL_URL ?? "";
const apiKey = process.env.KYCRAIL_KEY ?? "";
const api = createKycrail({ baseUrl, apiKey, retry: { attempts: 4, retryOn: [429, 503], backoffMs: 50, maxWaitMs: 2000 } });
const results: Record<string, unknown> = {};

const address = { line1: "233 South Wacker Drive", city: "Chicago", state: "IL", postalCode: "60606", country: "USA" } as const;
const jane = {
  email: "jane.smith@example.com",
  phone: "+14155550123",
  address,
  personalInformation: { firstName: "Jane", lastName: "Smith", dateOfBirth: "1990-05-17" },
};

// 1. The seed: create, then PATCH the address and meta.
const created = await api.POST("/v2/customer", { body: jane });
if (!created.data) throw new Error(`create: ${created.response.status} ${JSON.stringify(created.error)}`);
const patched = await api.PATCH("/v2/customer/{customer_id}", {
  params: { path: { customer_id: created.data.id } },
  body: {
    address: { line1: "456 Market Street", city: "San Francisco", state: "CA", postalCode: "94105", country: "USA" },
    meta: { internalUserId: "usr_9912" },
  },
});
results.patch = {
  status: patched.response.status,
  city: patched.data?.address?.city,
  meta: patched.data?.meta,
  profile: patched.data?.verificationProfiles[0]?.status,
};
const missing = await api.GET("/v2/customer/{customer_id}", { params: { path: { customer_id: `customer_${"0".repeat(32)}` } } });
results.missing = { status: missing.response.status, code: missing.error?.code };

// 2. Swipelux: {} then a share token (minted by the sandbox's own route, in no production document).
const minted = await fetch(`${baseUrl}/sandbox/share-tokens`, {
  method: "POST",
  headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
  body: JSON.stringify({ applicant: "approved" }),
});
const { shareToken } = (await minted.json()) as { shareToken: string };
const v1 = await api.POST("/v1/customers", { body: {} });
if (!v1.data) throw new Error(`v1 create: ${v1.response.status}`);
const imported = await api.PUT("/v1/customers/{customer_id}", {
  params: { path: { customer_id: v1.data.id } },
  body: { shareToken },
});
results.v1 = { created: v1.data.status, status: imported.data?.status, lastName: imported.data?.lastName };

// 3. A webhook, received here and verified before it is believed. Customers written just before the
// endpoint was made may reach it too (events are fanned out when the worker sends them): the one this
// run waits for is the customer it writes next.
const deliveries: { headers: Record<string, string>; body: string }[] = [];
const receiver = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    response.end("ok");
    deliveries.push({ headers: request.headers as Record<string, string>, body: Buffer.concat(chunks).toString("utf8") });
  });
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const port = (receiver.address() as AddressInfo).port;
const hook = await api.POST("/v2/webhook", {
  body: { name: "ts client", url: `http://127.0.0.1:${port}/hooks`, events: ["customer.create"] },
});
if (!hook.data) throw new Error(`webhook: ${hook.response.status}`);
const second = await api.POST("/v2/customer", {
  body: { ...jane, email: "jane.2@example.com", phone: "+14155550177" },
});
const about = (delivery: { body: string }): string => (JSON.parse(delivery.body) as { data: { id: string } }).data.id;
const deadline = Date.now() + 20_000;
let got = deliveries.find((delivery) => about(delivery) === second.data?.id);
while (!got && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 50));
  got = deliveries.find((delivery) => about(delivery) === second.data?.id);
}
receiver.close();
if (!got) throw new Error(`no webhook about the new customer in 20 s (${deliveries.length} others)`);
const secret = hook.data.secret;
const whsec = secret.startsWith("whsec_") ? secret : `whsec_${Buffer.from(secret).toString("base64")}`;
verifySphere(got.body, got.headers["signature"] ?? "", secret);
verifyStandard(got.body, got.headers, whsec);
let tamperedRefused = false;
try {
  verifySphere(`${got.body} `, got.headers["signature"] ?? "", secret);
} catch (failure) {
  tamperedRefused = failure instanceof InvalidSignature;
}
results.webhook = {
  verified: true,
  tamperedRefused,
  customerId: about(got) === second.data?.id,
};

process.stdout.write(JSON.stringify(results));
