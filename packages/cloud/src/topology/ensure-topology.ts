import type { CreateSubscriptionOptions, PubSub } from '@google-cloud/pubsub';

import { Topology } from '@bq-sftp-export/contracts';
import type { TopologyEntry } from '@bq-sftp-export/contracts';
import { AppError } from '@bq-sftp-export/runtime';

export interface EnsureTopologyOptions {
  /** Ack deadline of every subscription. Default 60 s, as in Terraform. */
  readonly ackDeadlineSeconds?: number;
  /** Retry policy of the consumer subscriptions. Default 10 s … 600 s, as in Terraform. */
  readonly minimumBackoffSeconds?: number;
  readonly maximumBackoffSeconds?: number;
}

/** What `ensureTopology` did, by bare resource name. */
export interface TopologyReport {
  readonly created: readonly string[];
  readonly existing: readonly string[];
}

const ALREADY_EXISTS = 6;

/**
 * Creates every topic, dead-letter topic, consumer subscription (dead-letter and retry policy)
 * and dead-letter subscription of the topology that does not exist yet; existing resources are
 * left as they are. Safe to run again, and concurrently with another run.
 */
export async function ensureTopology(
  pubsub: PubSub,
  topology: readonly TopologyEntry[] = Topology,
  options: EnsureTopologyOptions = {},
): Promise<TopologyReport> {
  const ackDeadlineSeconds = options.ackDeadlineSeconds ?? 60;
  const created: string[] = [];
  const existing: string[] = [];
  const record = (name: string, wasCreated: boolean): void => {
    (wasCreated ? created : existing).push(name);
  };

  const topics = new Set(topology.flatMap((entry) => [entry.deadLetterTopic, entry.topic]));
  for (const topic of topics) {
    record(topic, await ifAbsent(topic, () => pubsub.createTopic(topic)));
  }
  for (const entry of topology) {
    const consumer: CreateSubscriptionOptions = {
      ackDeadlineSeconds,
      deadLetterPolicy: {
        deadLetterTopic: pubsub.topic(entry.deadLetterTopic).name,
        maxDeliveryAttempts: entry.maxDeliveryAttempts,
      },
      retryPolicy: {
        minimumBackoff: { seconds: options.minimumBackoffSeconds ?? 10 },
        maximumBackoff: { seconds: options.maximumBackoffSeconds ?? 600 },
      },
    };
    record(
      entry.subscription,
      await ifAbsent(entry.subscription, () =>
        pubsub.createSubscription(entry.topic, entry.subscription, consumer),
      ),
    );
    record(
      entry.deadLetterSubscription,
      await ifAbsent(entry.deadLetterSubscription, () =>
        pubsub.createSubscription(entry.deadLetterTopic, entry.deadLetterSubscription, {
          ackDeadlineSeconds,
        }),
      ),
    );
  }
  return { created, existing };
}

/** Runs `create`; true when it created the resource, false when it already existed. */
async function ifAbsent(name: string, create: () => Promise<unknown>): Promise<boolean> {
  try {
    await create();
    return true;
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === ALREADY_EXISTS) return false;
    throw new AppError(`creating Pub/Sub resource ${name} failed`, {
      code: 'TOPOLOGY_SETUP_FAILED',
      retryable: true,
      cause: error,
      details: { resource: name },
    });
  }
}
