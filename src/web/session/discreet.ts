/**
 * Discreet mode (DESIGN.md, "During"; issue 4 item 2): when a client can see the screen,
 * everything on it uses neutral words. One setting for this browser, shared by the
 * session and incident screens and kept across reloads; every screen that uses it
 * changes together, in this tab and in others.
 */
import { useCallback, useSyncExternalStore } from 'react';

export const DISCREET_KEY = 'holdspace.discreet';

const listeners = new Set<() => void>();
/** Used only when the browser refuses storage. */
let fallback: boolean | null = null;

function read(): boolean {
  try {
    return window.localStorage.getItem(DISCREET_KEY) === 'on';
  } catch {
    return false; // storage blocked: default off
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => {
    if (e.key === DISCREET_KEY || e.key === null) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function setDiscreetMode(on: boolean): void {
  try {
    if (on) window.localStorage.setItem(DISCREET_KEY, 'on');
    else window.localStorage.removeItem(DISCREET_KEY);
  } catch {
    // Storage blocked: the setting still applies until the page reloads.
    fallback = on;
  }
  for (const l of listeners) l();
}

function snapshot(): boolean {
  return fallback ?? read();
}

/** `const [discreet, setDiscreet] = useDiscreetMode()`; off unless turned on. */
export function useDiscreetMode(): [boolean, (on: boolean) => void] {
  const discreet = useSyncExternalStore(subscribe, snapshot, () => false);
  const set = useCallback((on: boolean) => setDiscreetMode(on), []);
  return [discreet, set];
}
