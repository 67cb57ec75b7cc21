import { z } from 'zod';

import { bucketSchema, envVarNameSchema, hostSchema, portSchema } from './identifiers.schema.js';

const emailAddressSchema = z.email('expected an email address');

export const emailSettingsSchema = z
  .strictObject({
    to: z.array(emailAddressSchema).min(1, 'expected at least one recipient').describe('Recipients.'),
    from: emailAddressSchema.describe('Sender address.'),
    smtp_host: hostSchema.describe('SMTP server.'),
    smtp_port: portSchema.optional().describe('Default 587.'),
    secure: z
      .boolean()
      .optional()
      .describe('true: TLS from the first byte (port 465); false: STARTTLS when offered. Default false.'),
    username: z.string().min(1).optional().describe('SMTP user; absent: no authentication.'),
    password_env: envVarNameSchema
      .optional()
      .describe('Variable holding the SMTP password. Default "EMAIL_PASSWORD".'),
  })
  .describe('Email notifications; absent: no email.');

export const slackSettingsSchema = z
  .strictObject({
    enabled: z.boolean().optional().describe('Default true.'),
    webhook_url_env: envVarNameSchema
      .optional()
      .describe('Variable holding the incoming-webhook URL. Default "SLACK_WEBHOOK_URL".'),
  })
  .describe('Slack notifications; absent: no Slack.');

const ratioSchema = z.number().positive('expected a ratio > 0');

export const volumeAlertSchema = z
  .strictObject({
    runs: z
      .number()
      .int()
      .min(1)
      .max(50)
      .optional()
      .describe("How many of the export's last successful runs the median is taken over. Default 10."),
    min_runs: z
      .number()
      .int()
      .min(1)
      .max(50)
      .optional()
      .describe('Runs needed before the first volume alert. Default 5.'),
    drop_below: ratioSchema
      .optional()
      .describe(
        'Alert when rows (bytes when the run has no row count) are below this share of the median. Default 0.5.',
      ),
    spike_above: ratioSchema
      .optional()
      .describe('Alert when rows (or bytes) are above this multiple of the median. Default 2.'),
  })
  .refine((volume) => (volume.min_runs ?? 5) <= (volume.runs ?? 10), {
    message: 'expected min_runs <= runs',
    path: ['min_runs'],
  })
  .refine((volume) => (volume.drop_below ?? 0.5) < (volume.spike_above ?? 2), {
    message: 'expected drop_below < spike_above',
    path: ['spike_above'],
  })
  .describe("A run's volume against the median of the export's last runs; absent: no volume alert.");

export const alertsSchema = z
  .strictObject({
    zero_rows: z
      .boolean()
      .optional()
      .describe(
        'Alert when a successful run delivered 0 rows (an empty window or an empty file). Default false.',
      ),
    volume: volumeAlertSchema.optional(),
    watermark_stalled_runs: z
      .number()
      .int()
      .min(1)
      .max(50)
      .optional()
      .describe(
        "Alert when an incremental export's last_exported_value has not advanced for this many consecutive successful runs; absent: no alert.",
      ),
    freshness_seconds: z
      .number()
      .int()
      .min(60)
      .max(31_622_400)
      .optional()
      .describe(
        'Alert when an export has had no successful run for this many seconds, judged on each freshness.tick message; absent: no alert.',
      ),
  })
  .describe('Alerts beyond run failures, sent to the email and Slack targets above; absent: none.');

export const notificationsSchema = z
  .strictObject({
    email: emailSettingsSchema.optional(),
    slack: slackSettingsSchema.optional(),
    on_success: z
      .boolean()
      .optional()
      .describe('Notify when every file of a run is delivered. Default true.'),
    on_failure: z.boolean().optional().describe('Notify when a step fails for good. Default true.'),
    alerts: alertsSchema.optional(),
  })
  .describe('Where run outcomes are announced.');

export type NotificationsInput = z.infer<typeof notificationsSchema>;

export const stagingSchema = z
  .strictObject({
    bucket: bucketSchema.optional().describe('Default: the STAGING_BUCKET environment variable.'),
    prefix: z
      .string()
      .max(512)
      .refine(
        (value) => !value.startsWith('/') && !value.split('/').includes('..') && !value.includes('\\'),
        'expected a relative object prefix without ".." segments',
      )
      .optional()
      .describe('Object name prefix for staged files. Default "exports/".'),
  })
  .describe('Where extracted files are staged in Cloud Storage before delivery.');
