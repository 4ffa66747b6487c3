import { fail } from "./errors.js";

/**
 * CSV as RFC 4180 has it, for spreadsheets people open in Excel: UTF-8 with a byte-order mark
 * (without it Excel reads Chinese as GBK and shows mojibake), CRLF line ends, fields quoted
 * when they hold a quote, comma, line break or edge spaces. Text that a spreadsheet would run
 * as a formula (=, +, -, @ first) gets a leading apostrophe, which `parse` takes off again.
 */
export type Cell = string | number | boolean | null | undefined;

export const bom = "\uFEFF";

export function cell(value: Cell): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "string") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function format(rows: Cell[][]): string {
  return `${bom + rows.map((r) => r.map(cell).join(",")).join("\r\n")}\r\n`;
}

export interface Record {
  /** the line of the file the record starts on, 1-based, as a spreadsheet numbers its rows */
  line: number;
  cells: string[];
}

/** Records from CSV text, with or without a BOM, CRLF or LF; quoted fields may hold commas, quotes and line breaks. */
export function parse(text: string): Record[] {
  const s = text.startsWith(bom) ? text.slice(1) : text;
  const out: Record[] = [];
  let cells: string[] = [];
  let field = "";
  let quoted = false;
  let inQuotes = false;
  let line = 1;
  let start = 1;
  const endField = () => {
    cells.push(unguard(field));
    field = "";
    quoted = false;
  };
  const endRecord = () => {
    endField();
    if (!(cells.length === 1 && cells[0] === "")) out.push({ line: start, cells });
    cells = [];
  };
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (inQuotes) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === "" && !quoted) {
      inQuotes = true;
      quoted = true;
    } else if (ch === ",") endField();
    else if (ch === "\r" && s[i + 1] === "\n") continue;
    else if (ch === "\n" || ch === "\r") {
      endRecord();
      line++;
      start = line;
    } else field += ch;
  }
  if (inQuotes) fail("csv.invalid", `A quoted field opened on line ${start} is never closed.`, { field: "file", line: start });
  if (field !== "" || cells.length) endRecord();
  return out;
}

/** Takes off the apostrophe `cell` put before text a spreadsheet would read as a formula. */
function unguard(field: string) {
  return /^'[=+\-@\t\r]/.test(field) ? field.slice(1) : field;
}
