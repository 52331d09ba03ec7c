"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { isActive, navGroups, type NavOptions } from "./sections";

/** The grouped navigation: the desktop sidebar and the mobile menu's content. */
export function SidebarNav({ onNavigate, ...options }: NavOptions & { onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="space-y-4 text-sm">
      {navGroups(options).map((group) => (
        <div key={group.label}>
          <p className="px-3 pb-1 text-xs font-semibold uppercase tracking-wide text-slate-600">{group.label}</p>
          <ul className="space-y-0.5">
            {group.items.map((item) => {
              const active = isActive(item, pathname);
              const inbox = item.href.includes("tab=review");
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    // Every page reads live data: prefetching all of them on each render would load the server for nothing.
                    prefetch={false}
                    onClick={onNavigate}
                    aria-current={active ? "page" : undefined}
                    data-testid={inbox ? "nav-inbox" : undefined}
                    className={`block rounded px-3 py-1.5 font-medium ${active ? "bg-slate-900 text-white" : inbox && options.inboxCount ? "text-indigo-700 hover:bg-slate-200" : "text-slate-700 hover:bg-slate-200"}`}
                  >
                    {item.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
