"use client";
// Below 1024 px the sidebar folds into this button and a sheet (Radix Dialog:
// focus trap, Escape to close, focus back on the button).
import * as Dialog from "@radix-ui/react-dialog";
import { useState } from "react";
import { SidebarNav } from "./sidebar-nav";
import type { NavOptions } from "./sections";

export function MobileMenu(options: NavOptions) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger className="rounded border border-slate-300 px-2.5 py-1 text-sm font-medium hover:bg-slate-100 lg:hidden" data-testid="menu-button">
        Menu
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-950/50" />
        <Dialog.Content className="fixed inset-y-0 left-0 z-50 w-72 max-w-[85vw] overflow-y-auto bg-white p-4 shadow-xl" aria-describedby={undefined}>
          <div className="mb-4 flex items-center justify-between">
            <Dialog.Title className="text-lg font-semibold">Menu</Dialog.Title>
            <Dialog.Close className="rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100">Close menu</Dialog.Close>
          </div>
          <SidebarNav {...options} onNavigate={() => setOpen(false)} />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
