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

export const notificationsSchema = z
  .strictObject({
    email: emailSettingsSchema.optional(),
    slack: slackSettingsSchema.optional(),
    on_success: z
      .boolean()
      .optional()
      .describe('Notify when every file of a run is delivered. Default true.'),
    on_failure: z.boolean().optional().describe('Notify when a step fails for good. Default true.'),
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
