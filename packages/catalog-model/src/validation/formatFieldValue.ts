const MAX_LENGTH = 60;

/**
 * A value as JSON for a message, cut short when long so that one problem
 * stays on one line.
 */
export function formatFieldValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}
