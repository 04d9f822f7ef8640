// Statement tables laid out to a width: natural widths when they fit, wrapped cells when squeezed, records
// when a word would have to be cut; every result line fits the width.
import { describe, expect, it } from "vitest";
import { lineText } from "./lines.js";
import { columnWidths, tableLines, wrapCell, type TableRow } from "./table-lines.js";

const headers = ["±", "Sid", "Effect", "Action"];
const rows: TableRow[] = [
  { cells: ["+", "CopyInto", "Allow", "backup:CopyIntoBackupVault"] },
  { cells: ["-", "Use", "Allow", "kms:Decrypt\nkms:DescribeKey"] },
];

describe("tableLines", () => {
  it("keeps natural widths when the table fits", () => {
    const lines = tableLines(headers, rows, 80).map(lineText);
    expect(lines).toEqual([
      "± │ Sid      │ Effect │ Action",
      "──┼──────────┼────────┼───────────────────────────",
      "+ │ CopyInto │ Allow  │ backup:CopyIntoBackupVault",
      "- │ Use      │ Allow  │ kms:Decrypt",
      "  │          │        │ kms:DescribeKey",
    ]);
  });

  it("squeezes the widest column first and wraps its cells at spaces", () => {
    const wide: TableRow[] = [{ cells: ["+", "Sid1", "Allow", "StringEquals aws:PrincipalOrgID: o-example"] }];
    const widths = columnWidths(headers, wide, 40);
    expect(widths.reduce((a, b) => a + b, 0) + 3 * 3).toBeLessThanOrEqual(40);
    const lines = tableLines(headers, wide, 40).map(lineText);
    expect(lines.every((l) => l.length <= 40)).toBe(true);
    expect(lines.slice(2).map((l) => l.split(" │ ")[3]!.trim()).join(" ")).toBe("StringEquals aws:PrincipalOrgID: o-example");
  });

  it("turns rows into records when a word would have to be cut", () => {
    const arn: TableRow[] = [{ cells: ["+", "Use", "Allow", "arn:aws:iam::333333333333:role/a-very-long-role-name-indeed"] }];
    const lines = tableLines(["±", "Sid", "Effect", "Principal"], arn, 40, 2).map(lineText);
    expect(lines).toEqual(["+ Use", "    Effect     Allow", "    Principal  arn:aws:iam::333333333333:role/a-very-long-role-name-indeed"]);
  });
});

describe("wrapCell", () => {
  it("breaks after commas and before spaces, and hangs marked values under their text", () => {
    expect(wrapCell("a, b, c", 3)).toEqual(["a,", "b,", "c"]);
    expect(wrapCell("a, b, c", 4)).toEqual(["a,", "b, c"]);
    expect(wrapCell("+ alpha beta gamma", 12)).toEqual(["+ alpha beta", "  gamma"]);
    expect(wrapCell("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
  });
});
