import type { PubSub } from '@google-cloud/pubsub';

import type { TopologyEntry } from '@bq-sftp-export/contracts';
import { Topology } from '@bq-sftp-export/contracts';

/**
 * Interim: `ensureTopology` is being added to `@bq-sftp-export/cloud`; this one has the same
 * shape and goes once that lands on main.
 */
export interface EnsureTopologyOptions {
  /** Default 60, as in Terraform. */
  readonly ackDeadlineSeconds?: number;
  /** Retry policy; defaults 10 and 600 seconds, as in Terraform. */
  readonly minimumBackoffSeconds?: number;
  readonly maximumBackoffSeconds?: number;
}

export interface TopologyReport {
  /** Bare names of the topics and subscriptions this call created. */
  readonly created: readonly string[];
  /** Bare names of those that were there already (left as they are). */
  readonly existing: readonly string[];
}

const ALREADY_EXISTS = 6;

/**
 * Creates what is missing of the system's Pub/Sub topology: every topic and dead-letter topic,
 * each consumer subscription with its dead-letter and retry policies, and each
 * `ops.<topic>.dead-letter` subscription. Existing resources are left unchanged.
 */
export async function ensureTopology(
  pubsub: PubSub,
  topology: readonly TopologyEntry[] = Topology,
  options: EnsureTopologyOptions = {},
): Promise<TopologyReport> {
  const created: string[] = [];
  const existing: string[] = [];
  const attempt = async (name: string, create: () => Promise<unknown>): Promise<void> => {
    try {
      await create();
      created.push(name);
    } catch (error) {
      if ((error as { code?: unknown }).code !== ALREADY_EXISTS) throw error;
      existing.push(name);
    }
  };
  const ackDeadlineSeconds = options.ackDeadlineSeconds ?? 60;
  for (const entry of topology) {
    await attempt(entry.topic, () => pubsub.createTopic(entry.topic));
    await attempt(entry.deadLetterTopic, () => pubsub.createTopic(entry.deadLetterTopic));
    await attempt(entry.subscription, () =>
      pubsub.topic(entry.topic).createSubscription(entry.subscription, {
        ackDeadlineSeconds,
        deadLetterPolicy: {
          deadLetterTopic: pubsub.topic(entry.deadLetterTopic).name,
          maxDeliveryAttempts: entry.maxDeliveryAttempts,
        },
        retryPolicy: {
          minimumBackoff: { seconds: options.minimumBackoffSeconds ?? 10 },
          maximumBackoff: { seconds: options.maximumBackoffSeconds ?? 600 },
        },
      }),
    );
    await attempt(entry.deadLetterSubscription, () =>
      pubsub.topic(entry.deadLetterTopic).createSubscription(entry.deadLetterSubscription, {
        ackDeadlineSeconds,
      }),
    );
  }
  return { created, existing };
}
