"use client";

/** The body of every segment's error.tsx: says what failed and offers a retry. */
export function ErrorPanel({ title, error, reset }: { title: string; error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-rose-200 bg-rose-50 p-6">
      <h2 className="font-semibold text-rose-800">{title}</h2>
      <p className="mt-1 text-sm text-rose-700">
        {error.message || "Something went wrong."}
        {error.digest && <span className="ml-1 font-mono text-xs">(ref {error.digest})</span>}
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-md bg-rose-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-rose-600"
      >
        Try again
      </button>
    </div>
  );
}
