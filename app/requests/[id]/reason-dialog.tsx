"use client";
// A decision that needs a stated reason (approve with override, reject, request
// changes): Radix Dialog gives the focus trap, Escape, aria-modal and labelling.
import * as Dialog from "@radix-ui/react-dialog";
import { useState, type ReactNode } from "react";

export function ReasonDialog(props: {
  trigger: ReactNode;
  title: string;
  description: ReactNode;
  label: string;
  confirm: string;
  minLength: number;
  tone: "danger" | "warn" | "neutral";
  busy: boolean;
  error?: string | null;
  onConfirm: (reason: string) => Promise<unknown>;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const short = reason.trim().length < props.minLength;
  const color = props.tone === "danger" ? "bg-red-700" : props.tone === "warn" ? "bg-amber-700" : "bg-slate-800";
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>{props.trigger}</Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 w-[min(32rem,92vw)] -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-5 text-slate-900 shadow-xl">
          <Dialog.Title className="text-lg font-semibold">{props.title}</Dialog.Title>
          <Dialog.Description asChild>
            <div className="mt-1 text-sm text-slate-700">{props.description}</div>
          </Dialog.Description>
          <form
            className="mt-3 space-y-3"
            onSubmit={async (e) => {
              e.preventDefault();
              if (short) return;
              try {
                await props.onConfirm(reason.trim());
                setOpen(false);
                setReason("");
              } catch {
                // The error is shown below; the dialog stays open with the reason typed.
              }
            }}
          >
            <label className="block text-sm font-medium">
              {props.label}
              <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} required minLength={props.minLength} className="mt-1 block w-full rounded border border-slate-400 px-2 py-1 text-sm font-normal" />
            </label>
            <p className="text-xs text-slate-600">At least {props.minLength} characters; stored with your review and in the audit trail.</p>
            {props.error && <p role="alert" className="text-sm text-red-700">{props.error}</p>}
            <div className="flex justify-end gap-2">
              <Dialog.Close asChild>
                <button type="button" className="rounded bg-slate-100 px-3 py-1.5 text-sm">Cancel</button>
              </Dialog.Close>
              <button type="submit" disabled={short || props.busy} className={`rounded px-3 py-1.5 text-sm text-white disabled:opacity-60 ${color}`}>{props.confirm}</button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
