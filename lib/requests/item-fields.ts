// An association item's fields: the same from the validated input to its stored
// row (absent -> NULL) and back to what the prechecks take (NULL -> absent).
import type { RequestItem } from "@/lib/db/generated/client";
import type { PrecheckContext } from "./prechecks/types";

const REQUIRED = ["cluster", "accountId", "region", "namespace", "serviceAccount", "disableSessionTags"] as const;
const OPTIONAL = ["roleArn", "targetRoleArn", "sessionPolicy", "mappingExpiresAt"] as const;

type Item = PrecheckContext["item"];

/** The row fields of a validated item (its association id is the caller's to set: ./subject.ts). */
export function storedFields(item: Item) {
  const fields = Object.fromEntries([...REQUIRED, ...OPTIONAL].map((k) => [k, item[k] ?? null])) as { [K in (typeof REQUIRED)[number]]: Item[K] } & { [K in (typeof OPTIONAL)[number]]: NonNullable<Item[K]> | null };
  return { kind: item.kind, ...fields, tags: item.tags };
}

/** A stored item as the prechecks take it. */
export function precheckItem(i: RequestItem): Item {
  const optional = Object.fromEntries([...OPTIONAL, "associationId" as const].flatMap((k) => (i[k] === null ? [] : [[k, i[k]]])));
  const required = Object.fromEntries(REQUIRED.map((k) => [k, i[k]])) as Pick<Item, (typeof REQUIRED)[number]>;
  return { kind: i.kind as Item["kind"], ...required, tags: (i.tags ?? {}) as Record<string, string>, ...optional };
}
