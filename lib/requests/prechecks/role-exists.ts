import type { Precheck } from "./types";

/** The role to map exists (IAM GetRole). */
export const roleExistsPrecheck: Precheck = {
  id: "role-exists",
  run({ item, facts }) {
    if (item.kind === "delete" || !item.roleArn) return null;
    if (facts.role === null) return { status: "fail", message: `Role ${item.roleArn} does not exist. Create it (or fix the ARN) before filing.` };
    if (facts.role === undefined) return { status: "warn", message: `Could not read role ${item.roleArn}.` };
    if (facts.role.arn !== item.roleArn) {
      return { status: "fail", message: `A role named ${facts.role.name} exists, but its ARN is ${facts.role.arn}, not ${item.roleArn} (check the path).`, fix: { kind: "input", json: { roleArn: facts.role.arn } } };
    }
    return { status: "pass", message: `Role ${facts.role.name} exists.` };
  },
};
