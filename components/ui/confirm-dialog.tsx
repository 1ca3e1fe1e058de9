"use client";

import { useEffect, useRef, type ReactNode } from "react";

/**
 * A modal confirmation built on <dialog>: focus is trapped and Escape cancels, for free. The body
 * says exactly what will happen; the confirm button repeats the verb.
 */
export function ConfirmDialog({
  open,
  title,
  confirmLabel,
  tone = "default",
  confirmDisabled = false,
  onConfirm,
  onCancel,
  children,
}: {
  open: boolean;
  title: string;
  confirmLabel: string;
  tone?: "default" | "danger";
  /** Keeps the confirm button disabled until the dialog's own inputs are complete. */
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onCancel={onCancel}
      aria-labelledby="confirm-title"
      className="m-auto w-full max-w-lg rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="space-y-4 p-6">
        <h2 id="confirm-title" className="text-lg font-semibold">
          {title}
        </h2>
        <div className="space-y-2 text-sm text-slate-700">{children}</div>
        <div className="flex justify-end gap-2">
          <button
            type="button"
            onClick={onCancel}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
          >
            Cancel
          </button>
          <button
            type="button"
            onClick={onConfirm}
            disabled={confirmDisabled}
            autoFocus
            className={`rounded-md px-3 py-1.5 text-sm font-semibold text-white ${tone === "danger" ? "bg-rose-700 hover:bg-rose-600" : "bg-slate-900 hover:bg-slate-700"} disabled:cursor-not-allowed disabled:opacity-50`}
          >
            {confirmLabel}
          </button>
        </div>
      </div>
    </dialog>
  );
}
