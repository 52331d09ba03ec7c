"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

const SECTIONS = [
  { href: "/", label: "Overview" },
  { href: "/mappings", label: "Mappings" },
  { href: "/requests", label: "Requests" },
  { href: "/roles", label: "Roles" },
  { href: "/clusters", label: "Clusters" },
  { href: "/bluegreen", label: "Blue/Green" },
  { href: "/usage", label: "Usage" },
  { href: "/drift", label: "Drift" },
  { href: "/stale-pods", label: "Stale pods" },
  { href: "/migration", label: "Migration" },
  { href: "/expiry", label: "Expiry" },
  { href: "/reviews", label: "Reviews" },
  { href: "/audit", label: "Audit" },
];

export function NavLinks() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex gap-1">
      {SECTIONS.map((s) => {
        const active = s.href === "/" ? pathname === "/" : pathname.startsWith(s.href);
        return (
          <Link
            key={s.href}
            href={s.href}
            aria-current={active ? "page" : undefined}
            className={`rounded px-3 py-1.5 text-sm font-medium ${active ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-200"}`}
          >
            {s.label}
          </Link>
        );
      })}
    </nav>
  );
}
