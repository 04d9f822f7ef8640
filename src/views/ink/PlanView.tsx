// The plan in the terminal: every section of plan-sections.ts, a blank line between sections, lines broken to
// the terminal's width with their hanging indents (never cut: a plan must show everything). The command
// prints it once with renderPlanForTerminal, which paints the same lines without Ink's layout (see paint.ts).
import { Box } from "ink";
import type { Plan } from "../../core/plan-types.js";
import { fitLines, type Line } from "./lines.js";
import { paintLines } from "./paint.js";
import { planSections } from "./plan-sections.js";
import { StyledLine } from "./StyledLine.js";

export interface PlanViewProps {
  plan: Plan;
  /** Terminal width in columns (lines are broken and tables laid out to fit it). */
  width: number;
}

/** The plan's lines: sections with a blank line between them. */
export function planLines(plan: Plan, width: number): Line[] {
  return planSections(plan, width).flatMap((s, i) => (i === 0 ? s : [[], ...s]));
}

export function PlanView({ plan, width }: PlanViewProps) {
  return (
    <Box flexDirection="column">
      {fitLines(planLines(plan, width), width).map((l, i) => (
        <StyledLine key={i} line={l} wrap="truncate-end" />
      ))}
    </Box>
  );
}

/** The plan as terminal text for `columns`, coloured unless `color` is false: what <PlanView> shows. */
export function renderPlanForTerminal(plan: Plan, columns: number, color = true): string {
  return `${paintLines(planLines(plan, columns), columns, color)}\n`;
}
