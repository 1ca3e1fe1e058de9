/** The judge writes node ids into its sentences (evidence stays true after a rename); people read names. */
export function withNodeNames(names: Record<string, string>, text: string): string {
  return Object.entries(names).reduce((out, [id, name]) => out.replaceAll(id, name), text);
}
