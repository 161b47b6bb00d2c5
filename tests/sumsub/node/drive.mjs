// Drives a SumSub API (here: kycrail's emulator) with the sumsub-node-sdk npm package, the way an
// integrator's Node backend would, and prints one JSON object: each step's HTTP status and answer.
//
// Environment: SUMSUB_BASE_URL, SUMSUB_APP_TOKEN, SUMSUB_SECRET_KEY, and SUMSUB_SDK_DIR (the folder
// the package was installed into with `npm install --prefix`). The SDK's documented `baseURL`
// option points it at the emulator. Calls the SDK has no method for (the JSON access-token form,
// the sandbox's testCompleted) go through the SDK's own signed axios instance, `sumsub.client`.
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.join(process.env.SUMSUB_SDK_DIR, "package.json"));
const { sdk } = require("sumsub-node-sdk");

const sumsub = sdk({
  baseURL: process.env.SUMSUB_BASE_URL,
  appToken: process.env.SUMSUB_APP_TOKEN,
  secretKey: process.env.SUMSUB_SECRET_KEY,
});

const results = {};

async function step(name, call) {
  try {
    const response = await call();
    results[name] = { status: response.status, data: response.data };
  } catch (error) {
    if (!error.response) throw error; // no answer at all: the test fails with the stack
    results[name] = { status: error.response.status, data: error.response.data };
  }
  return results[name].data;
}

const userId = `node-sdk-${Date.now()}`;
const level = "basic-kyc-level";
// A 1x1 PNG: what the SDK uploads is opaque bytes to the API.
const image = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

await step("status", () => sumsub.getStatus());
await step("levels", () => sumsub.getApplicantLevels());
const created = await step("create", () =>
  sumsub.createApplicant(userId, level, {
    email: "node@example.com",
    fixedInfo: { firstName: "Ada", lastName: "Lovelace" },
  }),
);
const id = created.id;
await step("createDuplicate", () => sumsub.createApplicant(userId, level, {}));
await step("accessTokenLegacy", () => sumsub.generateAccessToken(userId, level, 600));
await step("accessTokenSdk", () =>
  sumsub.client.post("/resources/accessTokens/sdk", JSON.stringify({ userId, levelName: level, ttlInSecs: 600 })),
);
await step("websdkLink", () =>
  sumsub.generateWebSDKLink({ levelName: level, userId, ttlInSecs: 900, applicantIdentifiers: { email: "node@example.com" } }),
);
await step("idDoc", () => sumsub.addIdDocument(id, { idDocType: "PASSPORT", country: "GBR", number: "N123" }, image));
await step("fixedInfo", () => sumsub.patchApplicantFixedInfo(id, { dob: "1815-12-10", country: "GBR" }));
await step("pending", () => sumsub.requestApplicantCheck(id));
await step("statusPending", () => sumsub.getReviewStatus(id));
await step("testCompleted", () =>
  sumsub.client.post(
    `/resources/applicants/${id}/status/testCompleted`,
    JSON.stringify({ reviewAnswer: "GREEN", moderationComment: "Welcome", clientComment: "Checked by the node test" }),
  ),
);
await step("one", () => sumsub.getApplicant(id));
await step("byExternalUserId", () => sumsub.getApplicantByExternalUserId(userId));
await step("requiredIdDocsStatus", () => sumsub.getRequiredIdDocsStatus(id));
await step("resetStep", () => sumsub.resetApplicantStep(id, "IDENTITY"));
await step("stepsResetStep", () => sumsub.getRequiredIdDocsStatus(id));
await step("statusResetStep", () => sumsub.getReviewStatus(id));
await step("reset", () => sumsub.resetApplicant(id));
await step("statusReset", () => sumsub.getReviewStatus(id));
// A level that also asks for a proof of address, then a rejection and why (moderation states).
await step("moveToLevel", () => sumsub.changeApplicantLevel(id, "address-kyc-level"));
await step("moveToUnknownLevel", () => sumsub.changeApplicantLevel(id, "no-such-level"));
const second = await step("idDocAgain", () =>
  sumsub.addIdDocument(id, { idDocType: "UTILITY_BILL", country: "GBR" }, image),
);
await step("pendingAgain", () => sumsub.requestApplicantCheck(id));
await step("moveWhilePending", () => sumsub.changeApplicantLevel(id, "basic-kyc-level"));
await step("moderationWhilePending", () => sumsub.getModerationStates(id));
await step("testRejected", () =>
  sumsub.client.post(
    `/resources/applicants/${id}/status/testCompleted`,
    JSON.stringify({ reviewAnswer: "RED", reviewRejectType: "RETRY", rejectLabels: ["UNSATISFACTORY_PHOTOS"] }),
  ),
);
await step("moderationStates", () => sumsub.getModerationStates(id));
const images = await step("imageResources", () => sumsub.client.get(`/resources/applicants/${id}/metadata/resources`));
const inspectionId = (await step("oneAgain", () => sumsub.getApplicant(id))).inspectionId;
const bill = images.items.find((item) => !item.deactivated);
const picture = await sumsub.getDocumentImage(inspectionId, bill.id);
results.documentImage = {
  status: picture.status,
  data: { base64: Buffer.from(picture.data).toString("base64"), contentType: picture.headers["content-type"], imageId: second.imageId },
};
await step("unknownApplicant", () => sumsub.getApplicant("f".repeat(24)));

process.stdout.write(JSON.stringify({ userId, applicantId: id, results }));
