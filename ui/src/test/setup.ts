// jsdom has no layout and no ResizeObserver; recharts' ResponsiveContainer needs one to exist.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}

if (!("ResizeObserver" in globalThis)) {
  (globalThis as { ResizeObserver?: unknown }).ResizeObserver = ResizeObserverStub;
}

// The window remembers its page in localStorage; each test starts with none remembered.
import { afterEach } from "vitest";
afterEach(() => localStorage.clear());
