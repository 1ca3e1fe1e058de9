/**
 * A strict RFC 4180 reader for tests (no csv-parse dependency): quoted fields may hold commas,
 * doubled quotes and line breaks; records end in CRLF. Throws on anything malformed, so a test
 * that parses the export also proves the quoting is right.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let index = 0;
  while (index < text.length) {
    let field = "";
    if (text[index] === '"') {
      index += 1;
      for (;;) {
        if (index >= text.length) throw new Error("unterminated quoted field");
        const char = text[index];
        if (char === '"') {
          if (text[index + 1] === '"') {
            field += '"';
            index += 2;
            continue;
          }
          index += 1;
          break;
        }
        field += char;
        index += 1;
      }
    } else {
      while (index < text.length && text[index] !== "," && text[index] !== "\r" && text[index] !== "\n") {
        if (text[index] === '"') throw new Error(`bare quote in unquoted field at ${index}`);
        field += text[index];
        index += 1;
      }
    }
    record.push(field);
    if (text[index] === ",") {
      index += 1;
    } else if (text.startsWith("\r\n", index)) {
      records.push(record);
      record = [];
      index += 2;
    } else if (index < text.length) {
      throw new Error(`expected , or CRLF at ${index}, found ${JSON.stringify(text[index])}`);
    }
  }
  if (record.length > 0) throw new Error("last record does not end in CRLF");
  return records;
}
