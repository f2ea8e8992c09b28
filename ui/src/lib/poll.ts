/**
 * Runs `task` now and then every `ms` milliseconds until the returned function is called. The next
 * run is scheduled only after the previous one settles, so a slow command never piles up calls.
 */
export function every(ms: number, task: () => unknown): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const tick = async () => {
    if (stopped) return;
    try {
      await task();
    } catch {
      // The task reports its own errors on screen; polling goes on so the view recovers.
    } finally {
      if (!stopped) timer = setTimeout(tick, ms);
    }
  };

  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
