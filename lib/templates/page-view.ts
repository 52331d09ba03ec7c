import "server-only";
// What the /templates page reads: every template with its versions, mappings and
// pending matches, and for the current version (pending or active) the dry run:
// the service accounts it would match now, read live from the clusters.
import { getPrisma } from "@/lib/db";
import { runtime } from "@/lib/runtime";
import { templateCandidates } from "./candidates";
import { listTemplates } from "./queries";

export async function templatesPageView() {
  const prisma = await getPrisma();
  const deps = runtime().templateDeps(prisma);
  const { templates, total, truncated } = await listTemplates(prisma);
  const dryRun = async (v: Parameters<typeof templateCandidates>[1]) => {
    const dry = await templateCandidates(deps, v);
    return { candidates: dry.candidates.map((c) => ({ cluster: c.cluster.name, namespace: c.namespace, serviceAccount: c.serviceAccount, state: c.state, requestId: c.requestId ?? null })), errors: dry.errors };
  };
  const shown = await Promise.all(
    templates.map(async (t) => {
      const live = t.current.status === "pending" || t.current.status === "active";
      // An edit awaiting approval: what it would match once approved.
      const awaiting = t.versions.find((v) => v.status === "pending" && v.request?.status === "pending" && v.version > t.current.version) ?? null;
      return { ...t, dryRun: live ? await dryRun(t.current) : { candidates: [], errors: [] }, awaiting: awaiting ? { version: awaiting, dryRun: await dryRun(awaiting) } : null };
    }),
  );
  return { templates: shown, total, truncated };
}
export type TemplatesPageView = Awaited<ReturnType<typeof templatesPageView>>;
