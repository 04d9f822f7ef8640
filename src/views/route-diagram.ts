// The copy routes as a mermaid flowchart: accounts as subgraphs, vaults as nodes, routes as edges labelled
// new / changed / removed / fails (labels and line styles carry the meaning; colours only repeat it). Large
// organizations are drawn in part, the routes that matter most first: mermaid (and a PR comment) has limits.
import { endId, type DrawnRoute } from "./copy-routes.js";

export interface Diagram {
  text: string;
  drawn: number;
  /** Routes left out to stay under maxEdges. */
  omitted: number;
}

const RANK = (r: DrawnRoute): number => (r.failing ? 0 : r.change === "new" ? 1 : r.change === "removed" ? 2 : r.change === "changed" ? 3 : 4);

const label = (text: string): string => text.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");

export function mermaidRoutes(routes: readonly DrawnRoute[], maxEdges = 200): Diagram {
  const chosen = [...routes].sort((a, b) => RANK(a) - RANK(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, Math.max(0, maxEdges));
  chosen.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const nodes = new Map<string, { id: string; account: string; region: string; vault: string }>();
  for (const r of chosen) {
    for (const e of [r.source, r.destination]) if (!nodes.has(endId(e))) nodes.set(endId(e), { id: "", account: e.accountId, region: e.region, vault: e.vault });
  }
  const sortedKeys = [...nodes.keys()].sort();
  sortedKeys.forEach((k, i) => (nodes.get(k)!.id = `v${i}`));
  const lines = ["```mermaid", "flowchart LR"];
  const accounts = [...new Set(sortedKeys.map((k) => nodes.get(k)!.account))].sort();
  for (const [i, account] of accounts.entries()) {
    lines.push(`  subgraph a${i}["account ${label(account)}"]`);
    for (const k of sortedKeys) {
      const n = nodes.get(k)!;
      if (n.account === account) lines.push(`    ${n.id}["${label(n.vault)}<br/>${label(n.region)}"]`);
    }
    lines.push("  end");
  }
  const styles: Record<string, number[]> = { fail: [], new: [], removed: [], changed: [] };
  for (const [i, r] of chosen.entries()) {
    const from = nodes.get(endId(r.source))!.id;
    const to = nodes.get(endId(r.destination))!.id;
    const words = [r.change === "unchanged" ? "" : r.change, r.failing ? "fails" : ""].filter(Boolean).join(", ");
    const arrow = r.failing ? "==>" : r.change === "removed" ? "-.->" : "-->";
    lines.push(`  ${from} ${arrow}${words ? `|"${words}"|` : ""} ${to}`);
    const style = r.failing ? "fail" : r.change === "unchanged" ? undefined : r.change;
    if (style) styles[style]!.push(i);
  }
  const colour: Record<string, string> = { fail: "stroke:#cf222e,stroke-width:3px", new: "stroke:#1a7f37", removed: "stroke:#8c959f", changed: "stroke:#9a6700" };
  for (const [style, indexes] of Object.entries(styles)) if (indexes.length > 0) lines.push(`  linkStyle ${indexes.join(",")} ${colour[style]}`);
  lines.push("```");
  return { text: lines.join("\n"), drawn: chosen.length, omitted: routes.length - chosen.length };
}
