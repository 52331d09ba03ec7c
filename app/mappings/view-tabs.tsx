import Link from "next/link";

/** Switches /mappings between the per service account view and the association table. */
export function MappingsViewTabs({ current }: { current: "access" | "associations" }) {
  const tab = (key: "access" | "associations", href: string, label: string) => (
    <Link href={href} aria-current={current === key ? "page" : undefined} className={`rounded px-2 py-1 ${current === key ? "bg-slate-200 font-medium" : "text-indigo-700 hover:underline"}`}>
      {label}
    </Link>
  );
  return (
    <nav aria-label="Mappings views" className="mt-1 flex gap-2 text-sm">
      {tab("access", "/mappings", "Per service account")}
      {tab("associations", "/mappings?view=associations", "Pod Identity associations")}
    </nav>
  );
}
