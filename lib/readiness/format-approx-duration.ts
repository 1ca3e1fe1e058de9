const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration rounded the way people say it: "45 s", "7 min", "40 min", "2 h", "3 d". Precision
 * shrinks as the duration grows because every age and projection shown with it is itself an
 * estimate; the exact milliseconds stay in the structured result beside the message.
 * Negative durations are formatted by magnitude; callers word the direction.
 */
export function formatApproxDuration(ms: number): string {
  const abs = Math.abs(ms);
  const seconds = Math.round(abs / SECOND);
  if (seconds < 60) return `${seconds} s`;
  const minutes = abs / MINUTE;
  if (minutes < 9.5) return `${Math.round(minutes)} min`;
  // Past ten minutes nobody acts differently on 37 vs 40, and the rounder number reads as an estimate.
  const fiveMinutes = Math.round(minutes / 5) * 5;
  if (fiveMinutes < 60) return `${fiveMinutes} min`;
  const hours = Math.round(abs / HOUR);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(abs / DAY)} d`;
}
