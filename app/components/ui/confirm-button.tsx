"use client";
// Actions that take something away at once (revoke a token, delete pods) ask
// first. Radix AlertDialog: focus moves to Cancel, Escape cancels, focus returns
// to the button.
import * as AlertDialog from "@radix-ui/react-alert-dialog";
import type { ReactNode } from "react";
import { useHydrated } from "./use-hydrated";

export function ConfirmButton({
  children,
  title,
  description,
  confirmLabel,
  onConfirm,
  disabled,
  className,
  "aria-label": ariaLabel,
  "data-testid": testId,
}: {
  children: ReactNode;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  className?: string;
  "aria-label"?: string;
  "data-testid"?: string;
}) {
  const hydrated = useHydrated();
  return (
    <AlertDialog.Root>
      <AlertDialog.Trigger type="button" disabled={disabled || !hydrated} className={className} aria-label={ariaLabel} data-testid={testId}>
        {children}
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-slate-950/50" />
        <AlertDialog.Content className="fixed left-1/2 top-1/2 z-50 w-[min(28rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-5 shadow-xl">
          <AlertDialog.Title className="text-lg font-semibold">{title}</AlertDialog.Title>
          <AlertDialog.Description className="mt-2 text-sm text-slate-700">{description}</AlertDialog.Description>
          <div className="mt-4 flex justify-end gap-2">
            <AlertDialog.Cancel className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">Cancel</AlertDialog.Cancel>
            <AlertDialog.Action onClick={onConfirm} className="rounded bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800">
              {confirmLabel}
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
