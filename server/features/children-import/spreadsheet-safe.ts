/**
 * Spreadsheet safety on the way out (CSV / formula injection, OWASP): a text
 * cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is
 * read by Excel, WPS and LibreOffice as a formula as soon as the user edits
 * the cell or saves the sheet as CSV and opens it again — `=HYPERLINK(…)` in a
 * child's name would become a link that sends whatever it is given. Every
 * value written into a workbook by the server passes through `safeCell`
 * (rows through `safeRow`): such a text gets a single quote in front, inside
 * the text itself, and stays a string cell, so no program ever evaluates it,
 * whatever is done with the file later. Full-width signs (＝＋－＠, typed by a
 * Chinese input method and accepted as formula signs by Excel in CJK locales)
 * and leading blanks before a sign count too. Numbers stay numbers: a number
 * cell is never a formula.
 *
 * server/features/children-import/spreadsheet-safe.test.ts reads the XML of
 * every workbook the server writes and checks that no cell begins with such a
 * character unescaped and that none holds a formula (`<f>`); it also fails
 * when a module writes rows with exceljs without `safeRow`.
 */
export type CellValue = string | number | boolean | Date | null | undefined;

/** What makes a spreadsheet program take a text for a formula (or a DDE command) when it is typed in again. */
const FORMULA_START = /^[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n]/;

/** Whether a text would be read as a formula if typed into a cell or opened from a CSV. */
export function looksLikeFormula(text: string): boolean {
  return FORMULA_START.test(text);
}

/** The one way a value goes into a cell: a text that could be read as a formula is escaped with a leading `'`. */
export function safeCell<T extends CellValue>(value: T): T {
  if (typeof value !== 'string' || !FORMULA_START.test(value)) return value;
  return `'${value}` as T;
}

/** A row of cells, each through `safeCell`. */
export function safeRow(values: readonly CellValue[]): CellValue[] {
  return values.map(safeCell);
}
