import { runMessageService } from '@bq-sftp-export/runtime';

import { trackerService } from './tracker.service.js';

/** tracker-notifier: `export.events` → history table in BigQuery, email and Slack. */
await runMessageService(trackerService(process.env));
