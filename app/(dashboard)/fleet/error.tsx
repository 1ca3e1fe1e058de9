"use client";

import { ErrorPanel } from "@/components/ui/error-panel";

export default function FleetError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorPanel title="The fleet could not be loaded" error={error} reset={reset} />;
}
