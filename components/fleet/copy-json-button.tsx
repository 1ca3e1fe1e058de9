"use client";

import { useState } from "react";

export function CopyJsonButton({ json }: { json: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-50"
      onClick={() =>
        void navigator.clipboard.writeText(json).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 2000);
        })
      }
    >
      {copied ? "Copied" : "Copy JSON"}
    </button>
  );
}
