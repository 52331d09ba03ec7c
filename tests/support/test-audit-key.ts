// One audit key for every test process and the browser tests' app: they share the
// Postgres database of a run (DATABASE_URL), so rows one of them writes must
// verify in the others. Without it each would key the chain differently.
export const TEST_AUDIT_KEY = process.env.ROLEGATE_AUDIT_KEY ?? "test-audit-key-0123456789abcdef0123456789abcdef";
