export type { ReceivedMail } from './smtp/received-mail.js';
export { startSmtpSink } from './smtp/start-smtp-sink.js';
export type { SmtpSink, SmtpSinkOptions } from './smtp/start-smtp-sink.js';
export type { SlackPayloadError } from './slack/slack-payload.js';
export { checkSlackPayload } from './slack/slack-payload.js';
export { startSlackSink } from './slack/start-slack-sink.js';
export type { ReceivedSlackPost, SlackSink, SlackSinkOptions } from './slack/start-slack-sink.js';
