// Which parts a scan starts with (lib/inventory/scan/parts.ts): listings and named
// clusters first; an account's IAM part at the start only when it has named
// clusters, else its first listing adds it after the clusters it found.
import { describe, expect, it } from "vitest";
import type { Target } from "@/lib/config/schema";
import { initialParts } from "@/lib/inventory/scan/parts";

const target = (accountId: string, region: string, clusters: string[]): Target => ({ accountId, region, clusters }) as Target;

describe("initialParts", () => {
  it("starts listings and named clusters; IAM only for accounts with named clusters", () => {
    const parts = initialParts([
      target("111111111111", "us-east-1", ["*"]),
      target("111111111111", "eu-west-1", ["*"]),
      target("222222222222", "us-east-1", ["blue", "green"]),
      target("333333333333", "us-east-1", ["*"]),
      target("333333333333", "us-west-2", ["solo"]),
    ]);
    expect(parts.map((p) => p.key)).toEqual([
      "target:111111111111/us-east-1",
      "target:111111111111/eu-west-1",
      "cluster:222222222222/us-east-1/blue",
      "cluster:222222222222/us-east-1/green",
      "target:333333333333/us-east-1",
      "cluster:333333333333/us-west-2/solo",
      "account:222222222222",
      "account:333333333333",
    ]);
  });
});
