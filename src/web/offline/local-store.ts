/**
 * JSON in the browser's localStorage, tolerant of what storage does in real life: full
 * (quota), disabled (private mode, policies) or holding something unreadable. The
 * storage is passed in so the logic above it can be tested with a plain object.
 */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A Map-backed storage for tests and for browsers where localStorage is unavailable. */
export function memoryStorage(): KeyValueStorage {
  const data = new Map<string, string>();
  return {
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

let fallback: KeyValueStorage | null = null;

/** window.localStorage when it works, else an in-memory stand-in (lost on reload). */
export function browserStorage(): KeyValueStorage {
  try {
    const probe = '__holdspace_probe__';
    window.localStorage.setItem(probe, '1');
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch {
    return (fallback ??= memoryStorage());
  }
}

export function readJson<T>(storage: KeyValueStorage, key: string, fallbackValue: T): T {
  try {
    const raw = storage.getItem(key);
    return raw === null ? fallbackValue : (JSON.parse(raw) as T);
  } catch {
    return fallbackValue;
  }
}

/** Returns false when the value could not be stored (quota, disabled storage). */
export function writeJson(storage: KeyValueStorage, key: string, value: unknown): boolean {
  try {
    storage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}
