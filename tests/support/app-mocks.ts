// Import first in a test file that drives server actions or route handlers "as"
// someone: it swaps `next/headers`, the process-wide Prisma client and the config
// for the app harness's (./app-harness.ts). The mocks are registered when this
// module runs, so the modules under test must be imported after it (dynamically).
import { vi } from "vitest";

vi.mock("server-only", () => ({}));
vi.mock("next/headers", async () => (await import("./app-harness")).nextHeadersMock);
vi.mock("@/lib/db", async () => (await import("./app-harness")).dbMock);
vi.mock("@/lib/config", async (orig) => (await import("./app-harness")).configMock(await orig()));
