// tokenCounter.ts
// Rough token budgeting for prompts when I do not want to load a real tokenizer.
// Rule of thumb: about 4 characters per token for English text.

export interface PromptPart {
  role: "system" | "user" | "assistant" | "context";
  text: string;
}

const CHARS_PER_TOKEN = 4;

/** Estimate the number of tokens in a string (English heuristic, rounds up). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/**
 * Fit retrieved context chunks into a token budget.
 * Keeps chunks in rank order and stops before the budget would be exceeded,
 * always leaving room for the model's answer (reservedForOutput).
 */
export function fitToBudget(
  system: string,
  question: string,
  chunks: string[],
  contextWindow = 8192,
  reservedForOutput = 1024,
): string[] {
  let used = estimateTokens(system) + estimateTokens(question) + reservedForOutput;
  const kept: string[] = [];
  for (const chunk of chunks) {
    const cost = estimateTokens(chunk);
    if (used + cost > contextWindow) break;
    kept.push(chunk);
    used += cost;
  }
  return kept;
}

/** Estimate the dollar cost of a request given per-million-token prices. */
export function estimateCost(
  inputTokens: number,
  outputTokens: number,
  inputPricePerMillion: number,
  outputPricePerMillion: number,
): number {
  return (inputTokens / 1e6) * inputPricePerMillion + (outputTokens / 1e6) * outputPricePerMillion;
}

/** Drop the oldest chat turns (never the system prompt) until the history fits. */
export function trimHistory(parts: PromptPart[], maxTokens: number): PromptPart[] {
  const system = parts.filter((p) => p.role === "system");
  const rest = parts.filter((p) => p.role !== "system");
  const total = (ps: PromptPart[]) => ps.reduce((n, p) => n + estimateTokens(p.text), 0);
  while (rest.length > 1 && total(system) + total(rest) > maxTokens) {
    rest.shift();
  }
  return [...system, ...rest];
}
