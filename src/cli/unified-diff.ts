// A unified diff of two versions of one file, for `fmt --diff`.
import { createTwoFilesPatch } from "diff";

export function unifiedDiff(name: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, "", "", { context: 3 });
}
