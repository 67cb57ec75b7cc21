/**
 * Issues generations the way Cloud Storage does: microsecond timestamps, strictly increasing
 * within one server, so a rewrite of the same name always gets a larger generation.
 */
export class GenerationClock {
  #last = 0;

  next(): number {
    this.#last = Math.max(Date.now() * 1000, this.#last + 1);
    return this.#last;
  }
}
