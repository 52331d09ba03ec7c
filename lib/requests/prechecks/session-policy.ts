import type { Precheck } from "./types";

export const MAX_SESSION_POLICY_CHARS = 2048;

/** A session policy needs disabled session tags, valid JSON, and at most 2048 characters. */
export const sessionPolicyPrecheck: Precheck = {
  id: "session-policy",
  run({ item }) {
    if (item.kind === "delete" || !item.sessionPolicy) return null;
    if (!item.disableSessionTags) {
      return {
        status: "fail",
        message: "A session policy only works with session tags disabled.",
        fix: { kind: "input", json: { disableSessionTags: true } },
      };
    }
    if (item.sessionPolicy.length > MAX_SESSION_POLICY_CHARS) {
      return { status: "fail", message: `The session policy has ${item.sessionPolicy.length} characters; AWS allows ${MAX_SESSION_POLICY_CHARS}.` };
    }
    try {
      JSON.parse(item.sessionPolicy);
    } catch {
      return { status: "fail", message: "The session policy is not valid JSON." };
    }
    return { status: "pass", message: `Session policy fits (${item.sessionPolicy.length}/${MAX_SESSION_POLICY_CHARS} characters) with session tags disabled.` };
  },
};
