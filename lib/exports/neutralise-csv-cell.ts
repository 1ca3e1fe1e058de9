/**
 * First characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP
 * "CSV Injection"): = + - @, tab, carriage return, and the full-width = + - @ that some
 * spreadsheet locales fold into their ASCII twins. NUL is in the OWASP ASVS list too.
 */
const FORMULA_TRIGGERS = new Set(["=", "+", "-", "@", "\t", "\r", "\0", "\uFF1D", "\uFF0B", "\uFF0D", "\uFF20"]);

/**
 * Makes a cell inert by prefixing a single quote, which spreadsheets take as "this is text" and
 * do not display. Applied to every cell, numbers included: a negative number becomes "'-12.5",
 * the price OWASP accepts for a rule with no exceptions an attacker could aim at. Quoting of
 * commas, quotes and newlines is left to the CSV writer; this runs before it.
 *
 * Leading spaces are looked through as well: some importers trim cells before deciding what they
 * are, so " =1+1" is treated like "=1+1". Quoting an innocent cell costs nothing.
 */
export function neutraliseCsvCell(value: string): string {
  const first = value[0];
  if (first === undefined) return value;
  const firstVisible = first === " " ? value.replace(/^ +/, "")[0] : first;
  return firstVisible !== undefined && FORMULA_TRIGGERS.has(firstVisible) ? `'${value}` : value;
}
