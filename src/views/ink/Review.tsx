// The interactive review before apply: the changes as a list to move through (up/down or j/k, page up/down,
// home/end), each one's details opened and closed with enter or space, and below it Terraform's question,
// answered by typing `yes` and enter. Anything else cancels; so does ctrl-c. The list is windowed to the
// terminal's height so the live region never outgrows the screen (which would garble the scrollback).
// Input is only read when the terminal supports raw mode; the host never shows this view otherwise.
import { Box, Text, useInput, useStdin } from "ink";
import { useEffect, useMemo, useRef, useState } from "react";
import type { Question } from "../../core/events.js";
import type { Plan } from "../../core/plan-types.js";
import { seg } from "./lines.js";
import { APPROVAL, INITIAL_REVIEW, pressKey, type ReviewState } from "./review-keys.js";
import { reviewEntries, reviewRows, windowTop } from "./review-rows.js";
import { StyledLine } from "./StyledLine.js";
import { useTerminalSize } from "./terminal-size.js";

export interface ReviewProps {
  /** The plan to review; without one only the question is shown. */
  plan?: Plan;
  question: Question;
  /** Called once, after the final frame (the question and the answer) is shown. */
  onAnswer: (approved: boolean) => void;
  /** Override the terminal's size (tests). */
  columns?: number;
  rows?: number;
}

const HELP = "↑/↓ j/k: move   enter/space: details   yes + enter: approve";

export function Review({ plan, question, onAnswer, columns, rows }: ReviewProps) {
  const { isRawModeSupported } = useStdin();
  const size = useTerminalSize();
  const width = columns ?? size.columns;
  const height = rows ?? size.rows;
  const entries = useMemo(() => (plan ? reviewEntries(plan) : []), [plan]);
  const [state, setState] = useState<ReviewState>(INITIAL_REVIEW);
  // The window's first row: kept between renders so the list scrolls only as far as the cursor needs.
  const top = useRef(0);
  const { cursor, open, typed, answer } = state;

  useInput((input, key) => setState((s) => pressKey(s, input, key, entries.length)), { isActive: isRawModeSupported === true && answer === undefined });

  useEffect(() => {
    if (answer) onAnswer(answer.approved);
  }, [answer, onAnswer]);

  const questionLines = question.text.split("\n");
  const prompt = (
    <Box flexDirection="column">
      {questionLines.map((l, i) => (
        <Text key={i} bold={i === 0} wrap="truncate-end">
          {l}
        </Text>
      ))}
      <Text wrap="truncate-end">{`  Only '${APPROVAL}' will be accepted to approve.`}</Text>
      <Text> </Text>
      <Text wrap="truncate-end">
        {"  Enter a value: "}
        {answer ? answer.text : typed}
        {answer ? "" : "█"}
      </Text>
    </Box>
  );
  if (answer) {
    return (
      <Box flexDirection="column">
        <Text> </Text>
        {prompt}
      </Box>
    );
  }

  const all = reviewRows(entries, cursor, open, width);
  // Rows left for the list: the terminal less the prompt, the help and two blank lines, two scroll marks, and
  // one spare row (a live region as tall as the terminal makes Ink clear the screen on every frame).
  const listHeight = Math.max(3, height - (questionLines.length + 3) - 3 - 2 - 1);
  top.current = windowTop(all, cursor, top.current, listHeight);
  const visible = all.slice(top.current, top.current + listHeight);
  const above = top.current;
  const below = all.length - top.current - visible.length;
  const windowed = all.length > listHeight;
  return (
    <Box flexDirection="column">
      <Text> </Text>
      {windowed && <StyledLine wrap="truncate-end" line={[seg(above > 0 ? `  ↑ ${above} more line${above === 1 ? "" : "s"} above` : " ", "muted")]} />}
      {visible.map((r, i) => (
        <StyledLine key={top.current + i} wrap="truncate-end" line={r.line} />
      ))}
      {windowed && <StyledLine wrap="truncate-end" line={[seg(below > 0 ? `  ↓ ${below} more line${below === 1 ? "" : "s"} below` : " ", "muted")]} />}
      <Text dimColor wrap="truncate-end">
        {typed === "" ? HELP : "enter: answer   esc: clear the answer"}
      </Text>
      <Text> </Text>
      {prompt}
    </Box>
  );
}
