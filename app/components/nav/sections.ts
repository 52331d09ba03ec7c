// The navigation's groups, in the order people work: see what exists, ask for a
// change, move clusters through their lifecycle, prove what happened, configure.
export interface NavItem {
  href: string;
  label: string;
}
export interface NavGroup {
  label: string;
  items: NavItem[];
}

export interface NavOptions {
  /** "Needs your review (N)": only for people who review requests. */
  inboxCount: number | null;
  /** Approval policies are for those who manage them. */
  managesPolicies: boolean;
}

export function navGroups({ inboxCount, managesPolicies }: NavOptions): NavGroup[] {
  return [
    {
      label: "Inventory",
      items: [
        { href: "/", label: "Overview" },
        { href: "/mappings", label: "Mappings" },
        { href: "/roles", label: "Roles" },
        { href: "/clusters", label: "Clusters" },
        { href: "/usage", label: "Usage" },
      ],
    },
    {
      label: "Requests",
      items: [
        { href: "/requests", label: "Requests" },
        { href: "/templates", label: "Standing approvals" },
        ...(inboxCount === null ? [] : [{ href: "/requests?tab=review", label: `Needs your review (${inboxCount})` }]),
      ],
    },
    {
      label: "Lifecycle",
      items: [
        { href: "/bluegreen", label: "Blue/Green" },
        { href: "/migration", label: "Migration" },
        { href: "/drift", label: "Drift" },
        { href: "/stale-pods", label: "Stale pods" },
        { href: "/expiry", label: "Expiry" },
        { href: "/reviews", label: "Access reviews" },
      ],
    },
    { label: "Audit", items: [{ href: "/audit", label: "Audit" }] },
    {
      label: "Settings",
      items: [
        { href: "/settings/tokens", label: "API tokens" },
        ...(managesPolicies ? [{ href: "/settings/approval-policies", label: "Approval policies" }] : []),
      ],
    },
  ];
}

/** Whether `item` is the section of `pathname` (the inbox link is a view of Requests, never the section itself). */
export function isActive(item: NavItem, pathname: string): boolean {
  if (item.href.includes("?")) return false;
  return item.href === "/" ? pathname === "/" : pathname === item.href || pathname.startsWith(`${item.href}/`);
}
