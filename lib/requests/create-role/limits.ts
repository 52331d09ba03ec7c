// IAM's limits for a role created through RoleGate, without zod, so the
// new-request form (a client component) checks them with the server's numbers
// and pattern without shipping a schema library to the browser.

export const MAX_MANAGED_POLICIES = 10;
/** One tag of 50 is RoleGate's (rolegate.io/request-item: which item created the role). */
export const MAX_ROLE_TAGS = 49;
/** A managed policy ARN: arn:aws:iam::aws:policy/<name> or arn:aws:iam::<account>:policy/<path><name>. */
export const POLICY_ARN = /^arn:aws[\w-]*:iam::(aws|\d{12}):policy\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/;
export const POLICY_ARN_MESSAGE = "must be a managed policy ARN (arn:aws:iam::aws:policy/<name> or arn:aws:iam::<account>:policy/<path><name>)";
