import Link from "next/link";
import { requireUser } from "@/lib/auth/require-user";
import { getPrisma } from "@/lib/db";

export default async function OverviewPage() {
  await requireUser("mappings:read");
  const prisma = await getPrisma();
  const [clusters, associations, lastRefresh] = await Promise.all([
    prisma.cluster.findMany({ orderBy: { name: "asc" }, include: { _count: { select: { associations: true } } } }),
    prisma.podIdentityAssociation.count(),
    prisma.mappingRefresh.findFirst({ orderBy: { startedAt: "desc" } }),
  ]);
  return (
    <section>
      <h1 className="mb-4 text-2xl font-semibold">Overview</h1>
      <div className="mb-6 grid grid-cols-1 gap-4 sm:grid-cols-3">
        <Stat label="Clusters watched" value={clusters.length} />
        <Stat label="Pod Identity associations" value={associations} />
        <Stat label="Last refresh" value={lastRefresh ? `${lastRefresh.status}, ${lastRefresh.startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC` : "never"} />
      </div>
      <h2 className="mb-2 text-lg font-semibold">Clusters</h2>
      <ul className="divide-y divide-slate-200 rounded border border-slate-200 bg-white">
        {clusters.map((c) => (
          <li key={c.id} className="flex justify-between p-3 text-sm">
            <Link className="font-medium text-indigo-700 hover:underline" href={`/mappings?cluster=${encodeURIComponent(c.name)}`}>{c.name}</Link>
            <span className="text-slate-600">
              {c._count.associations} associations · {c.lastRefreshError ? <span className="text-red-700">last refresh failed</span> : c.lastRefreshedAt ? `refreshed ${c.lastRefreshedAt.toISOString().slice(0, 16).replace("T", " ")} UTC` : "not refreshed"}
            </span>
          </li>
        ))}
        {clusters.length === 0 && <li className="p-3 text-sm text-slate-600">No cluster yet: open Mappings and press Refresh.</li>}
      </ul>
    </section>
  );
}

function Stat({ label, value }: { label: string; value: string | number }) {
  return (
    <div className="rounded border border-slate-200 bg-white p-4">
      <div className="text-xs uppercase tracking-wide text-slate-500">{label}</div>
      <div className="mt-1 text-xl font-semibold">{value}</div>
    </div>
  );
}
