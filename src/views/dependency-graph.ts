// The dependency graph of the desired resources as Graphviz dot or a mermaid flowchart (`crossvault graph`):
// one node per resource, grouped by account, and an edge from each resource to what depends on it, so the
// arrows read in apply order (a key before its vault, a vault before its policy and the plans copying into it).

export interface GraphNode {
  address: string;
  type: string;
  accountId: string;
  region: string;
  dependsOn: readonly string[];
}

export type GraphFormat = "dot" | "mermaid";

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function byAccount(nodes: readonly GraphNode[]): Map<string, GraphNode[]> {
  const out = new Map<string, GraphNode[]>();
  for (const n of [...nodes].sort((a, b) => compare(a.accountId, b.accountId) || compare(a.address, b.address))) {
    const list = out.get(n.accountId);
    if (list) list.push(n);
    else out.set(n.accountId, [n]);
  }
  return out;
}

/** Edges dependency -> dependent, only between nodes of the graph, sorted, without repeats. */
function edgesOf(nodes: readonly GraphNode[]): Array<[string, string]> {
  const known = new Set(nodes.map((n) => n.address));
  const out = new Set<string>();
  for (const n of nodes) for (const dep of n.dependsOn) if (known.has(dep)) out.add(`${dep}\0${n.address}`);
  return [...out].sort(compare).map((e) => e.split("\0") as [string, string]);
}

const where = (n: GraphNode): string => (n.region === "global" ? "global" : n.region);

export function renderGraph(nodes: readonly GraphNode[], format: GraphFormat): string {
  return format === "dot" ? renderDot(nodes) : renderMermaid(nodes);
}

function dotString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

export function renderDot(nodes: readonly GraphNode[]): string {
  const lines = ["digraph crossvault {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];'];
  for (const [account, members] of byAccount(nodes)) {
    lines.push(`  subgraph ${dotString(`cluster_${account}`)} {`, `    label=${dotString(`account ${account}`)};`);
    for (const n of members) lines.push(`    ${dotString(n.address)} [label=${dotString(`${n.address}\n${where(n)}`)}];`);
    lines.push("  }");
  }
  for (const [from, to] of edgesOf(nodes)) lines.push(`  ${dotString(from)} -> ${dotString(to)};`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

const mermaidLabel = (s: string): string => s.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");

export function renderMermaid(nodes: readonly GraphNode[]): string {
  const ids = new Map([...nodes].sort((a, b) => compare(a.address, b.address)).map((n, i) => [n.address, `r${i}`]));
  const lines = ["flowchart LR"];
  for (const [i, [account, members]] of [...byAccount(nodes)].entries()) {
    lines.push(`  subgraph a${i}["account ${mermaidLabel(account)}"]`);
    for (const n of members) lines.push(`    ${ids.get(n.address)}["${mermaidLabel(n.address)}<br/>${mermaidLabel(where(n))}"]`);
    lines.push("  end");
  }
  for (const [from, to] of edgesOf(nodes)) lines.push(`  ${ids.get(from)} --> ${ids.get(to)}`);
  return `${lines.join("\n")}\n`;
}
