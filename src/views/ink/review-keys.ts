// What each key does in the review, as a pure function of the review's state. While nothing is typed,
// j/k/space/enter review (move, open or close); once typing started every character is part of the answer,
// enter submits it, escape clears it. A burst of keys or a paste arrives as one string: it is taken one
// character at a time, so "jjj" moves three times and "yes\r" answers.

export interface ReviewAnswer {
  text: string;
  approved: boolean;
}

export interface ReviewState {
  cursor: number;
  open: ReadonlySet<number>;
  typed: string;
  answer?: ReviewAnswer;
}

/** The keys Ink reports that the review uses (a subset of Ink's Key). */
export interface ReviewKey {
  upArrow?: boolean;
  downArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  tab?: boolean;
}

export const APPROVAL = "yes";
const PAGE = 10;

export const INITIAL_REVIEW: ReviewState = { cursor: 0, open: new Set(), typed: "" };

function move(s: ReviewState, by: number, count: number): ReviewState {
  return { ...s, cursor: Math.max(0, Math.min(count - 1, s.cursor + by)) };
}

function toggle(s: ReviewState, count: number): ReviewState {
  if (count === 0) return s;
  const open = new Set(s.open);
  if (open.has(s.cursor)) open.delete(s.cursor);
  else open.add(s.cursor);
  return { ...s, open };
}

function submit(s: ReviewState): ReviewState {
  return { ...s, answer: { text: s.typed, approved: s.typed.trim() === APPROVAL } };
}

function pressChar(s: ReviewState, ch: string, count: number): ReviewState {
  if (s.answer) return s;
  if (ch === "\r" || ch === "\n") return s.typed === "" ? toggle(s, count) : submit(s);
  if (s.typed === "") {
    if (ch === "j") return move(s, 1, count);
    if (ch === "k") return move(s, -1, count);
    if (ch === " ") return toggle(s, count);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(ch)) return s;
  return { ...s, typed: s.typed + ch };
}

/** The state after one key (or one burst of characters) in a list of `count` changes. */
export function pressKey(s: ReviewState, input: string, key: ReviewKey, count: number): ReviewState {
  if (s.answer) return s;
  if (key.ctrl && input === "c") return { ...s, answer: { text: "^C", approved: false } };
  if (key.upArrow) return move(s, -1, count);
  if (key.downArrow) return move(s, 1, count);
  if (key.pageUp) return move(s, -PAGE, count);
  if (key.pageDown) return move(s, PAGE, count);
  if (key.home) return move(s, -count, count);
  if (key.end) return move(s, count, count);
  if (key.escape) return { ...s, typed: "" };
  if (key.backspace || key.delete) return { ...s, typed: s.typed.slice(0, -1) };
  if (key.return) return pressChar(s, "\r", count);
  if (key.ctrl || key.meta || key.tab) return s;
  let next = s;
  for (const ch of input) next = pressChar(next, ch, count);
  return next;
}
