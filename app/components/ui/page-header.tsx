import type { ReactNode } from "react";

/** A page's heading: its title and what it shows (children) on the left, its actions on the right, wrapping on a phone. */
export function PageHeader({ title, actions, children }: { title: ReactNode; actions?: ReactNode; children?: ReactNode }) {
  return (
    <div className="mb-4 flex flex-wrap items-start justify-between gap-4">
      <div>
        <h1 className="text-2xl font-semibold">{title}</h1>
        {children}
      </div>
      {actions}
    </div>
  );
}
