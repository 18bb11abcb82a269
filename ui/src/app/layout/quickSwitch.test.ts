import { describe, expect, it } from 'vitest';
import { focusPageSearch, idOf, isTyping, quickSwitchPaths } from './quickSwitch';

describe('idOf', () => {
  it('reads a number, with or without # or "run"', () => {
    expect(idOf('42')).toBe(42);
    expect(idOf(' #42 ')).toBe(42);
    expect(idOf('run 7')).toBe(7);
    expect(idOf('Run#7')).toBe(7);
  });

  it('is null for names, zero and numbers too large to be ids', () => {
    expect(idOf('deploy 42')).toBeNull();
    expect(idOf('0')).toBeNull();
    expect(idOf('')).toBeNull();
    expect(idOf('999999999999999999')).toBeNull();
  });
});

describe('quickSwitchPaths', () => {
  it('leads to the job, the run, and the targets list searched for the target', () => {
    expect(quickSwitchPaths.job(3)).toBe('/jobs/3');
    expect(quickSwitchPaths.run(9)).toBe('/runs/9');
    expect(quickSwitchPaths.target(5)).toBe('/targets/5');
  });
});

describe('isTyping', () => {
  it('is true for text fields and editable elements only', () => {
    expect(isTyping({ tagName: 'INPUT', isContentEditable: false } as unknown as EventTarget)).toBe(true);
    expect(isTyping({ tagName: 'TEXTAREA', isContentEditable: false } as unknown as EventTarget)).toBe(true);
    expect(isTyping({ tagName: 'DIV', isContentEditable: true } as unknown as EventTarget)).toBe(true);
    expect(isTyping({ tagName: 'BUTTON', isContentEditable: false } as unknown as EventTarget)).toBe(false);
    expect(isTyping(null)).toBe(false);
  });
});

describe('focusPageSearch', () => {
  it('focuses the first visible search box of the page, and says when there is none', () => {
    const focused: string[] = [];
    const box = (name: string, visible: boolean) => ({ offsetParent: visible ? {} : null, focus: () => focused.push(name), select: () => undefined });
    const root = (boxes: unknown[]) => ({ querySelectorAll: () => boxes }) as unknown as ParentNode;
    expect(focusPageSearch(root([box('hidden', false), box('shown', true)]))).toBe(true);
    expect(focused).toEqual(['shown']);
    expect(focusPageSearch(root([]))).toBe(false);
  });
});
