/**
 * The run filter from the history's run box: `42` or `#42` is run 42, empty is any run, anything else is 0
 * (no run has it, so the list says nothing matches rather than silently ignoring the box).
 */
export function runIdFilter(text: string): number | undefined {
  const t = text.trim().replace(/^#/, '');
  if (t === '') return undefined;
  return /^\d{1,15}$/.test(t) && Number(t) > 0 ? Number(t) : 0;
}
