import { readFileSync } from 'node:fs';
import path from 'node:path';

import { beforeAll, describe, expect, it } from '@jest/globals';

import { MAX_DELIVERY_ATTEMPTS, Topology, decodeMessage } from '@bq-sftp-export/contracts';

import {
  first,
  infraDir,
  loadTerraform,
  resourcesOf,
  schedulerBodies,
  stringsIn,
  type Block,
  type TerraformModule,
} from './terraform.js';

interface ServiceLocal {
  topic: string;
  subscription: string;
}

let tf: TerraformModule;
let services: Record<string, ServiceLocal>;

beforeAll(async () => {
  tf = await loadTerraform();
  services = tf.locals['services'] as Record<string, ServiceLocal>;
});

describe('Pub/Sub topology', () => {
  it('declares one consumer per service, each with a dead-letter policy and a retry policy', () => {
    const consumer = resourcesOf(tf, 'google_pubsub_subscription').get('consumer');
    expect(consumer).toBeDefined();
    expect(consumer!['for_each']).toContain('local.services');
    const policy = first(consumer!['dead_letter_policy']);
    expect(policy?.['dead_letter_topic']).toContain('google_pubsub_topic.dead_letter');
    expect(policy?.['max_delivery_attempts']).toBe('${var.max_delivery_attempts}');
    expect(first(consumer!['retry_policy'])).toBeDefined();
    expect(Object.keys(services).sort()).toEqual(['extractor', 'tracker_notifier', 'uploader']);
  });

  it('gives every subscription a dead-letter policy, except the dead-letter subscriptions themselves', () => {
    for (const [name, sub] of resourcesOf(tf, 'google_pubsub_subscription')) {
      const readsDeadLetters = String(sub['topic']).includes('google_pubsub_topic.dead_letter');
      if (readsDeadLetters) continue; // the end of the line: operators replay from here
      expect({ name, policy: first(sub['dead_letter_policy']) !== undefined }).toEqual({
        name,
        policy: true,
      });
    }
  });

  it('gives every dead-letter topic a subscription, so dead letters are kept', () => {
    const topics = [...resourcesOf(tf, 'google_pubsub_topic')].filter(([n]) => n.includes('dead_letter'));
    expect(topics.length).toBeGreaterThan(0);
    const subscriptions = [...resourcesOf(tf, 'google_pubsub_subscription').values()];
    for (const [name, topic] of topics) {
      const reader = subscriptions.find((s) => String(s['topic']).includes(`google_pubsub_topic.${name}[`));
      expect({ topic: name, subscribed: reader !== undefined }).toEqual({ topic: name, subscribed: true });
      expect(topic['for_each']).toBe(reader!['for_each']);
    }
  });

  it('lets the Pub/Sub service agent forward dead letters', () => {
    const publisher = resourcesOf(tf, 'google_pubsub_topic_iam_member').get('dead_letter_forwarder');
    expect(publisher?.['role']).toBe('roles/pubsub.publisher');
    expect(publisher?.['member']).toBe('${local.pubsub_service_agent}');
    const subscriber = resourcesOf(tf, 'google_pubsub_subscription_iam_member').get('dead_letter_source');
    expect(subscriber?.['role']).toBe('roles/pubsub.subscriber');
    expect(String(tf.locals['pubsub_service_agent'])).toMatch(/gcp-sa-pubsub\.iam\.gserviceaccount\.com$/);
  });
});

describe('names agree with packages/contracts', () => {
  it('declares exactly the topology the services and the CLI use', () => {
    const fromTerraform = Object.entries(services).map(([key, s]) => ({
      consumer: key.replace('_', '-'),
      topic: s.topic,
      subscription: s.subscription,
    }));
    expect(fromTerraform).toEqual(
      expect.arrayContaining(
        Topology.map((t) => ({ consumer: t.consumer, topic: t.topic, subscription: t.subscription })),
      ),
    );
    expect(fromTerraform).toHaveLength(Topology.length);
    const deadLetterTopic = resourcesOf(tf, 'google_pubsub_topic').get('dead_letter')!;
    const deadLetterSub = resourcesOf(tf, 'google_pubsub_subscription').get('dead_letter')!;
    for (const t of Topology) {
      expect(String(deadLetterTopic['name']).replace('${each.value.topic}', t.topic)).toBe(t.deadLetterTopic);
      expect(String(deadLetterSub['name']).replace('${each.value.topic}', t.topic)).toBe(
        t.deadLetterSubscription,
      );
    }
    const maxAttempts = first(tf.variables.get('max_delivery_attempts'))?.['default'];
    expect(maxAttempts).toBe(MAX_DELIVERY_ATTEMPTS);
  });
});

describe('identities and access', () => {
  it('runs every Cloud Run service as its own service account, never the default compute one', () => {
    const runServices = [...resourcesOf(tf, 'google_cloud_run_v2_service').values()];
    expect(runServices.length).toBeGreaterThan(0);
    for (const service of runServices) {
      const template = first(service['template']);
      expect(template?.['service_account']).toBe('${google_service_account.service[each.key].email}');
    }
    expect(tf.text).not.toMatch(/-compute@developer\.gserviceaccount\.com/);
  });

  it('grants nothing to allUsers or allAuthenticatedUsers', () => {
    const members = [...tf.resources.values()].flatMap((byName) => [...byName.values()]).flatMap(stringsIn);
    expect(members.filter((m) => /allUsers|allAuthenticatedUsers/.test(m))).toEqual([]);
  });

  it('grants run.invoker to the push identity only', () => {
    const invokers = [...tf.resources.values()]
      .flatMap((byName) => [...byName.values()])
      .filter((r) => r['role'] === 'roles/run.invoker');
    expect(invokers).toHaveLength(1);
    expect(invokers[0]!['member']).toBe('serviceAccount:${google_service_account.push_invoker.email}');
  });

  it('does not grant project-wide storage or editor roles', () => {
    const projectRoles = [...resourcesOf(tf, 'google_project_iam_member').values()].map((r) => r['role']);
    expect(new Set(projectRoles)).toEqual(new Set(['roles/bigquery.jobUser', 'roles/cloudtrace.agent']));
  });

  it('lets every service account write spans to Cloud Trace, and nothing more', () => {
    const agent = resourcesOf(tf, 'google_project_iam_member').get('trace_agent');
    expect(agent).toMatchObject({
      for_each: '${local.services}',
      role: 'roles/cloudtrace.agent',
      member: '${local.sa[each.key]}',
    });
    expect(Object.keys(tf.locals['services'] as Record<string, unknown>).sort()).toEqual([
      'extractor',
      'tracker_notifier',
      'uploader',
    ]);
  });

  it('limits every bucket grant to a prefix with an IAM condition', () => {
    for (const [name, grant] of resourcesOf(tf, 'google_storage_bucket_iam_member')) {
      const condition = first(grant['condition']);
      expect({ name, expression: String(condition?.['expression']) }).toEqual({
        name,
        expression: expect.stringMatching(/^resource\.name\.startsWith/),
      });
    }
  });
});

describe('secrets', () => {
  const secretLike = /PASSWORD|PASSPHRASE|PRIVATE_KEY|SECRET|TOKEN|WEBHOOK|FINGERPRINT/;

  it('hands every secret to the services as a Secret Manager reference', () => {
    const secrets = tf.locals['secrets'] as Record<string, { env: string; readers: string[] }>;
    const envs = Object.values(secrets).map((s) => s.env);
    expect(envs).toEqual(expect.arrayContaining(['SFTP_PASSWORD', 'EMAIL_PASSWORD', 'SLACK_WEBHOOK_URL']));
    const run = resourcesOf(tf, 'google_cloud_run_v2_service').get('service')!;
    const container = first(first(run['template'])?.['containers']);
    const dynamicEnvs = (container?.['dynamic'] as { env?: Block[] } | undefined)?.env ?? [];
    const secretEnv = dynamicEnvs.find((d) => String(d['for_each']).includes('local.secrets'));
    // The plain env block takes only the common, non-secret values.
    const plainEnv = dynamicEnvs.find((d) => !String(d['for_each']).includes('local.secrets'));
    expect(plainEnv?.['for_each']).toBe('${local.common_env}');
    const valueSource = first(first(secretEnv?.['content'])?.['value_source']);
    expect(first(valueSource?.['secret_key_ref'])?.['version']).toBe('latest');
  });

  it('never sets a secret-looking variable as a plain value', () => {
    const plainNames = [...tf.text.matchAll(/^\s*([A-Z][A-Z0-9_]+)\s*=/gm)].map((m) => m[1]!);
    expect(plainNames.length).toBeGreaterThan(0);
    expect(plainNames.filter((n) => secretLike.test(n))).toEqual([]);
    const example = readFileSync(path.join(infraDir, 'terraform.tfvars.example'), 'utf8');
    const exampleNames = [...example.matchAll(/^\s*([A-Z][A-Z0-9_]+)\s*=/gm)].map((m) => m[1]!);
    expect(exampleNames.filter((n) => secretLike.test(n))).toEqual([]);
  });
});

describe('staging bucket', () => {
  it('uses uniform access, blocks public access and expires staged files', () => {
    const bucket = resourcesOf(tf, 'google_storage_bucket').get('staging')!;
    expect(bucket['uniform_bucket_level_access']).toBe(true);
    expect(bucket['public_access_prevention']).toBe('enforced');
    const rule = first(bucket['lifecycle_rule']);
    expect(first(rule?.['condition'])?.['matches_prefix']).toEqual(['exports/']);
    expect(first(rule?.['action'])?.['type']).toBe('Delete');
  });
});

describe('push authentication', () => {
  const run = () => resourcesOf(tf, 'google_cloud_run_v2_service').get('service')!;
  const dynamicEnvs = () =>
    (first(first(run()['template'])?.['containers'])?.['dynamic'] as { env?: Block[] } | undefined)?.env ??
    [];

  it("gives every push subscription an OIDC token of the push invoker for the service's audience", () => {
    const consumer = resourcesOf(tf, 'google_pubsub_subscription').get('consumer')!;
    const push = first((consumer['dynamic'] as { push_config?: Block[] }).push_config);
    const oidc = first(first(push?.['content'])?.['oidc_token']);
    expect(oidc).toEqual({
      service_account_email: '${google_service_account.push_invoker.email}',
      audience: '${local.push_audiences[push_config.value]}',
    });
  });

  it('tells each service the audience and account to require, and lets Cloud Run accept that audience', () => {
    const pushEnv = dynamicEnvs().find((d) => String(d['for_each']).includes('PUSH_AUDIENCE'));
    expect(String(pushEnv?.['for_each'])).toMatch(/PUSH_AUDIENCE\s*=\s*local\.push_audiences\[each\.key\]/);
    expect(String(pushEnv?.['for_each'])).toMatch(
      /PUSH_SERVICE_ACCOUNT\s*=\s*google_service_account\.push_invoker\.email/,
    );
    expect(String(pushEnv?.['for_each'])).toContain('if var.transport == "push"');
    expect(run()['custom_audiences']).toBe(
      '${var.transport == "push" ? [local.push_audiences[each.key]] : []}',
    );
    const audiences = String(tf.locals['push_audiences']);
    expect(audiences).toContain('for key, s in local.services');
    expect(tf.text).not.toMatch(/PUSH_AUTH\s*=/);
  });

  it('gives push subscriptions the largest ack deadline, tells the services it, and no shorter Cloud Run timeout', () => {
    const deadline = Number(tf.locals['push_ack_deadline_seconds']);
    expect(deadline).toBe(600);
    const consumer = resourcesOf(tf, 'google_pubsub_subscription').get('consumer')!;
    expect(consumer['ack_deadline_seconds']).toBe(
      '${var.transport == "push" ? local.push_ack_deadline_seconds : each.value.ack_deadline}',
    );
    const pushEnv = dynamicEnvs().find((d) => String(d['for_each']).includes('PUSH_AUDIENCE'));
    expect(String(pushEnv?.['for_each'])).toMatch(
      /PUSH_ACK_DEADLINE_SECONDS\s*=\s*tostring\(local\.push_ack_deadline_seconds\)/,
    );
    expect(first(run()['template'])?.['timeout']).toBe('${local.sizing[each.key].timeout}');
    const sizing = tf.locals['sizing'] as Record<string, { timeout: string }>;
    const timeouts = Object.values(sizing).map(({ timeout }) => Number(/^(\d+)s$/.exec(timeout)?.[1]));
    expect(timeouts.length).toBeGreaterThan(0);
    for (const timeout of timeouts) expect(timeout).toBeGreaterThanOrEqual(deadline);
  });

  it("sends the services' spans to Cloud Trace by default", () => {
    expect(tf.locals['common_env']).toEqual(
      expect.stringContaining('TRACE_EXPORTER     = var.trace_exporter'),
    );
    expect(first(tf.variables.get('trace_exporter'))?.['default']).toBe('cloud-trace');
  });

  it('binds all interfaces on Cloud Run', () => {
    expect(tf.locals['common_env']).toEqual(expect.stringContaining('BIND_HOST = "0.0.0.0"'));
  });

  it("lets the Pub/Sub service agent mint the push invoker's tokens", () => {
    const grant = resourcesOf(tf, 'google_service_account_iam_member').get('pubsub_mints_push_tokens');
    expect(grant).toMatchObject({
      service_account_id: '${google_service_account.push_invoker.name}',
      role: 'roles/iam.serviceAccountTokenCreator',
      member: '${local.pubsub_service_agent}',
    });
  });
});

describe('pull workers', () => {
  it('keep CPU allocated and a minimum instance in pull mode', () => {
    expect(tf.text).toMatch(/cpu_idle\s*=\s*var\.transport == "push"/);
    expect(tf.text).toMatch(
      /min_instance_count\s*=\s*var\.transport == "pull" \? var\.pull_min_instances : 0/,
    );
  });
});

describe('Cloud Scheduler', () => {
  it('publishes JSON bodies naming a config, the seed\'s {"config": "default"} among them', async () => {
    const bodies = await schedulerBodies();
    expect(bodies.length).toBeGreaterThanOrEqual(2);
    for (const body of bodies)
      expect(decodeMessage('export.requested', Buffer.from(body)).config).toBeTruthy();
    expect(bodies.map((b) => JSON.parse(b) as unknown)).toContainEqual({ config: 'default' });
  });

  it('publishes freshness ticks to export-events, as a valid freshness.tick with its attributes', () => {
    const job = /resource "google_cloud_scheduler_job" "freshness" \{[\s\S]*?\n\}/.exec(tf.text)?.[0] ?? '';
    expect(job).toContain('for_each  = var.freshness_schedules');
    expect(job).toContain('google_pubsub_topic.main["export-events"].id');
    expect(job).toMatch(/eventType\s*=\s*"freshness.tick"/);
    const body = /jsonencode\(\{ type = "(.+?)", config = each\.value\.config \}\)/.exec(job);
    expect(body?.[1]).toBe('freshness.tick');
    const tick = decodeMessage('freshness.tick', JSON.stringify({ type: body?.[1], config: 'default' }), {
      eventType: 'freshness.tick',
      schemaVersion: '1',
    });
    expect(tick.config).toBe('default');
  });
});
