import { describe, expect, it } from "vitest";
import { renderDot, renderMermaid, type GraphNode } from "./dependency-graph.js";

const nodes: GraphNode[] = [
  { address: "vault.central", type: "vault", accountId: "333333333333", region: "eu-west-1", dependsOn: ["kms_key.central"] },
  { address: "kms_key.central", type: "kms_key", accountId: "333333333333", region: "eu-west-1", dependsOn: [] },
  { address: 'backup_plan.daily["prod"]', type: "backup_plan", accountId: "222222222222", region: "eu-west-1", dependsOn: ["vault.central", "org_trust", "vault.central"] },
];

describe("dependency graph", () => {
  it("draws dot: clusters per account, edges from a resource to what depends on it, quotes escaped", () => {
    expect(renderDot(nodes)).toBe([
      "digraph crossvault {",
      "  rankdir=LR;",
      '  node [shape=box, fontname="Helvetica"];',
      '  subgraph "cluster_222222222222" {',
      '    label="account 222222222222";',
      '    "backup_plan.daily[\\"prod\\"]" [label="backup_plan.daily[\\"prod\\"]\\neu-west-1"];',
      "  }",
      '  subgraph "cluster_333333333333" {',
      '    label="account 333333333333";',
      '    "kms_key.central" [label="kms_key.central\\neu-west-1"];',
      '    "vault.central" [label="vault.central\\neu-west-1"];',
      "  }",
      '  "kms_key.central" -> "vault.central";',
      '  "vault.central" -> "backup_plan.daily[\\"prod\\"]";',
      "}",
      "",
    ].join("\n"));
  });

  it("draws mermaid with the same nodes and edges (dependencies outside the graph are left out)", () => {
    const text = renderMermaid(nodes);
    expect(text).toContain('subgraph a0["account 222222222222"]\n    r0["backup_plan.daily[#quot;prod#quot;]<br/>eu-west-1"]\n  end');
    expect(text.split("\n").filter((l) => l.includes("-->"))).toEqual(["  r1 --> r2", "  r2 --> r0"]);
  });
});
