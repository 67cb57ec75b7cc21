import { describe, expect, it } from '@jest/globals';
import { Inbox } from './inbox.js';

describe('Inbox', () => {
  it('resolves a waiter once enough items arrived', async () => {
    const inbox = new Inbox<string>();
    const waiting = inbox.waitFor(2, 5_000);
    inbox.add('a');
    inbox.add('b');
    await expect(waiting).resolves.toEqual(['a', 'b']);
  });

  it('resolves at once when the items are already there, and clears', async () => {
    const inbox = new Inbox<number>();
    inbox.add(1);
    await expect(inbox.waitFor(1, 10)).resolves.toEqual([1]);
    inbox.clear();
    expect(inbox.all()).toEqual([]);
  });

  it('rejects with the count seen when the time runs out', async () => {
    const inbox = new Inbox<number>();
    inbox.add(1);
    await expect(inbox.waitFor(3, 20)).rejects.toThrow('expected 3 item(s) within 20 ms, got 1');
  });
});
