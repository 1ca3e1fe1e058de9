/** Drains an export into one string; tests only (the point of the exports is not to do this). */
export async function readText(chunks: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const chunk of chunks) text += chunk;
  return text;
}
