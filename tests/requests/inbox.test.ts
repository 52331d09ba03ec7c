// "Needs your review": the inbox lists exactly the requests the approve service
// would accept from that person, on the real database and sandbox.
import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/core/errors";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import { reviewInbox, type Reviewer } from "@/lib/requests/inbox";
import { defaultTab, listRequests, listQuerySchema } from "@/lib/requests/list-requests";
import { loadForReview } from "@/lib/requests/review-rules";
import { PI_ROLE } from "../support/constants";
import { createInput } from "../support/requests";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "bob", "ivy", "ian", "root", "audrey"], sandbox: true });
const { alice, bob, ivy, ian, root, audrey } = w.users;

const inbox = (actor: Reviewer, at?: Date) => reviewInbox(w.prisma, w.deps.kinds, actor, at);
const gateAccepts = (actor: typeof alice, id: string) =>
  loadForReview(w.prisma, w.deps.kinds, id, actor, new Date()).then(
    () => true,
    (e) => {
      if (e instanceof DomainError) return false;
      throw e;
    },
  );

describe("the review inbox", () => {
  it("holds what each person may review: not their own, not reviewed yet, their role, IAM changes only for the IAM team", async () => {
    const plain = await createRequest(w.deps, alice, createInput("svc-inbox-plain"));
    const byIvy = await createRequest(w.deps, ivy, createInput("svc-inbox-ivy"));
    const iam = await createRequest(w.deps, bob, { ...createInput("svc-inbox-iam", PI_ROLE), includeIamFixes: true });
    expect(await inbox(ivy)).toEqual([iam.id, plain.id]);
    expect(await inbox(ian)).toEqual([iam.id, byIvy.id, plain.id]);
    expect(await inbox(root)).toEqual([byIvy.id, plain.id]); // an admin stands in, but not for the IAM team
    expect(await inbox(alice)).toEqual([]);
    expect(await inbox(audrey)).toEqual([]);
    expect(await inbox({ ...ian, kind: "service" })).toEqual([]);

    // The inbox and the server's gate agree for every person and request.
    for (const person of [alice, bob, ivy, ian, root, audrey]) {
      const mine = await inbox(person);
      for (const id of [plain.id, byIvy.id, iam.id]) expect([person.login, id, await gateAccepts(person, id)]).toEqual([person.login, id, mine.includes(id)]);
    }

    // Reviewed by ivy: gone from hers, still in ian's until the request is decided.
    await w.prisma.approvalPolicy.create({ data: { name: "two-eyes", version: 1, requiredApprovals: 2, priority: 10 } });
    const two = await createRequest(w.deps, alice, createInput("svc-inbox-two"));
    expect((await approveRequest(w.deps, ivy, { id: two.id })).status).toBe("pending");
    expect(await inbox(ivy)).not.toContain(two.id);
    expect(await inbox(ian)).toContain(two.id);
    expect((await approveRequest(w.deps, ian, { id: two.id })).status).toBe("approved");
    expect(await inbox(ian)).not.toContain(two.id);
    expect(await inbox(root)).not.toContain(two.id);
  }, 60_000);

  it("drops a request once it has expired", async () => {
    const r = await createRequest(w.deps, alice, createInput("svc-inbox-exp"));
    const row = await w.prisma.request.findUniqueOrThrow({ where: { id: r.id } });
    expect(await inbox(ivy, new Date(row.expiresAt.getTime() - 1000))).toEqual([r.id]);
    expect(await inbox(ivy, row.expiresAt)).toEqual([]);
  });

  it("is the /requests 'review' tab, which reviewers open by default", async () => {
    const a = await createRequest(w.deps, alice, createInput("svc-inbox-tab"));
    await createRequest(w.deps, ivy, createInput("svc-inbox-tab-own"));
    const page = await listRequests(w.deps, ivy, listQuerySchema.parse({ tab: "review" }));
    expect(page.rows.map((r) => r.id)).toEqual([a.id]);
    expect(page.total).toBe(1);
    expect(defaultTab("approver")).toBe("review");
    expect(defaultTab("admin")).toBe("review");
    expect(defaultTab("requester")).toBe("mine");
    expect(defaultTab("auditor")).toBe("mine");
    expect(listQuerySchema.parse({ tab: "nonsense" }).tab).toBe("all");
  });
});
