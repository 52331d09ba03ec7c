"use client";
import { useState } from "react";

/** Copies a policy document, an ARN, a token (any text) to the clipboard. */
export function CopyButton({ text, label = "Copy", ariaLabel }: { text: string; label?: string; ariaLabel?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      aria-label={ariaLabel}
      className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs hover:bg-slate-100"
      onClick={() =>
        void navigator.clipboard?.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        )
      }
    >
      <span aria-live="polite">{copied ? "Copied" : label}</span>
    </button>
  );
}
