import type { SubscriberOptions } from '@google-cloud/pubsub';
import { DEFAULT_SHUTDOWN_BUDGET_MS } from '../../lifecycle/shutdown-controller.js';
import type { Stoppable } from '../../lifecycle/shutdown-controller.js';
import type { Logger } from '../../logging/logger.js';
import { serializeError } from '../../logging/safe-log-value.js';
import { InFlightWork } from '../in-flight-work.js';
import type { MessageProcessor } from '../message-processor.js';
import { pullSubscriberOptions } from './pull-subscriber-options.js';
import type { PullSettings } from './pull-subscriber-options.js';

/** The parts of a `@google-cloud/pubsub` `Message` the transport uses. */
export interface PulledMessage {
  readonly id: string;
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
  readonly deliveryAttempt: number;
  readonly publishTime: Date;
  ack(): void;
  nack(): void;
}

/** The parts of a `@google-cloud/pubsub` `Subscription` the transport uses (a real one fits). */
export interface PullSubscription {
  readonly name: string;
  setOptions(options: SubscriberOptions): void;
  on(event: 'message', listener: (message: PulledMessage) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'message', listener: (message: PulledMessage) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
  close(): Promise<void>;
}

export interface PullTransportOptions extends PullSettings {
  readonly logger: Logger;
  /** Called on stream errors (after logging), e.g. to shut the worker down on NOT_FOUND. */
  readonly onError?: (error: Error) => void;
}

/**
 * Runs a message processor on a Pub/Sub streaming-pull subscription: flow control and lease
 * extension from `pullSubscriberOptions`, ack/nack from the processor's result, and a stop that
 * takes no new messages, lets in-flight work finish within the budget and nacks the rest.
 */
export class PullTransport<T> implements Stoppable {
  readonly #subscription: PullSubscription;
  readonly #processor: MessageProcessor<T>;
  readonly #options: PullTransportOptions;
  readonly #inFlight = new InFlightWork();
  #started = false;

  constructor(subscription: PullSubscription, processor: MessageProcessor<T>, options: PullTransportOptions) {
    this.#subscription = subscription;
    this.#processor = processor;
    this.#options = options;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#subscription.setOptions(pullSubscriberOptions(this.#options));
    this.#subscription.on('error', this.#onError);
    this.#subscription.on('message', this.#onMessage);
    this.#options.logger.info('pulling messages', {
      subscription: this.#subscription.name,
      maxMessages: this.#options.maxMessages ?? 1,
    });
  }

  async stop(budgetMs: number = DEFAULT_SHUTDOWN_BUDGET_MS): Promise<void> {
    if (!this.#started) return;
    // Closing first stops the stream at once; with the WAIT close behaviour the client keeps
    // leasing in-flight messages and flushes our acks/nacks before it finishes closing.
    const closed = this.#subscription.close().catch((error: unknown) => {
      this.#options.logger.warn('closing the subscription failed', { err: serializeError(error) });
    });
    const report = await this.#inFlight.drain(budgetMs);
    this.#options.logger.info('pull transport drained', { subscription: this.#subscription.name, ...report });
    await closed;
    this.#subscription.removeListener('message', this.#onMessage);
    this.#subscription.removeListener('error', this.#onError);
  }

  readonly #onMessage = (message: PulledMessage): void => {
    void this.#inFlight
      .run((signal, abandoned) =>
        this.#processor.process(
          {
            id: message.id,
            data: message.data,
            attributes: message.attributes,
            deliveryAttempt: message.deliveryAttempt,
            publishTime: message.publishTime,
          },
          signal,
          {},
          abandoned,
        ),
      )
      .then((result) => {
        if (result.settlement === 'ack') message.ack();
        else message.nack();
      });
  };

  readonly #onError = (error: Error): void => {
    this.#options.logger.error('subscription stream failed', {
      subscription: this.#subscription.name,
      err: serializeError(error),
    });
    this.#options.onError?.(error);
  };
}
