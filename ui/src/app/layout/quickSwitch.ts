/** Results per kind in the quick switcher. */
export const SWITCHER_LIMIT = 6;

/** Where each kind of result leads: the job, run or target page. */
export const quickSwitchPaths = {
  job: (id: number) => `/jobs/${id}`,
  run: (id: number) => `/runs/${id}`,
  target: (id: number) => `/targets/${id}`,
} as const;

/** The number a query names ("42", "#42", "run 42"), or null. */
export function idOf(q: string): number | null {
  const m = /^(?:run\s*)?#?\s*(\d{1,15})$/i.exec(q.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** Whether a key press is typing into something (a text field, a select, an editable element): `/` is then just a character. */
export function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const el = target as HTMLElement;
  return el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName);
}

/** The `/` shortcut: focuses the current page's search box (marked `data-page-search`); false when the page has none. */
export function focusPageSearch(root: ParentNode = document): boolean {
  const boxes = [...root.querySelectorAll<HTMLInputElement>('main [data-page-search]')];
  const box = boxes.find((b) => b.offsetParent !== null) ?? boxes[0];
  if (!box) return false;
  box.focus();
  box.select();
  return true;
}
