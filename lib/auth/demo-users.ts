import type { Role } from "./permissions";

/** The sandbox's seeded people. Their sign-in (and API tokens) exist only in sandbox mode. */
export const DEMO_USERS: { login: string; name: string; role: Role; title: string }[] = [
  { login: "alice", name: "Alice Nguyen", role: "requester", title: "Domino admin" },
  { login: "bob", name: "Bob Okafor", role: "requester", title: "Domino admin" },
  { login: "ivy", name: "Ivy Chen", role: "approver", title: "IAM team" },
  { login: "ian", name: "Ian Murphy", role: "approver", title: "IAM team" },
  { login: "audrey", name: "Audrey Klein", role: "auditor", title: "Security auditor" },
  { login: "root", name: "Root Admin", role: "admin", title: "RoleGate admin" },
];
