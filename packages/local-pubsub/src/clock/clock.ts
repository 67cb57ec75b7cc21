/** The time source of the server: wall time and one-shot timers. */
export interface Clock {
  now(): number;
  setTimer(callback: () => void, delayMs: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly id: number | NodeJS.Timeout;
}

/** Real time. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (callback, delayMs) => ({ id: setTimeout(callback, Math.max(0, delayMs)) }),
  clearTimer: (handle) => {
    clearTimeout(handle.id);
  },
};
