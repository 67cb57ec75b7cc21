# One service account per service, each with only what its work needs. No service runs as the
# default compute service account.

resource "google_service_account" "service" {
  for_each     = local.services
  account_id   = "bqx-${replace(each.key, "_", "-")}"
  display_name = "bq-sftp-export ${replace(each.key, "_", "-")}"
}

# Identity that Pub/Sub push uses to call Cloud Run (OIDC). It alone gets run.invoker.
resource "google_service_account" "push_invoker" {
  account_id   = "bqx-push-invoker"
  display_name = "bq-sftp-export Pub/Sub push invoker"
}

# The Pub/Sub service agent signs the push tokens of that account (Google's documented grant).
resource "google_service_account_iam_member" "pubsub_mints_push_tokens" {
  service_account_id = google_service_account.push_invoker.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_service_agent
}

locals {
  sa = { for k, v in google_service_account.service : k => "serviceAccount:${v.email}" }
  # Each service publishes to the topics it feeds and to its own dead-letter topic (the runtime
  # dead-letters malformed or permanently failing messages itself, with the reason).
  publish_grants = merge(
    { for pair in flatten([for svc, s in local.services : [for t in s.publishes : { svc = svc, topic = t }]]) :
    "${pair.svc}:${pair.topic}" => { svc = pair.svc, topic = google_pubsub_topic.main[pair.topic].id } },
    { for svc, s in local.services : "${svc}:dead-letter" => { svc = svc, topic = google_pubsub_topic.dead_letter[svc].id } },
  )
  staging_objects = "projects/_/buckets/${google_storage_bucket.staging.name}/objects"
}

resource "google_pubsub_topic_iam_member" "publisher" {
  for_each = local.publish_grants
  topic    = each.value.topic
  role     = "roles/pubsub.publisher"
  member   = local.sa[each.value.svc]
}

# Pull workers read their own subscription (push needs no subscriber role on the service).
resource "google_pubsub_subscription_iam_member" "subscriber" {
  for_each     = var.transport == "pull" ? local.services : {}
  subscription = google_pubsub_subscription.consumer[each.key].id
  role         = "roles/pubsub.subscriber"
  member       = local.sa[each.key]
}

# Every service may write its spans to Cloud Trace (used with TRACE_EXPORTER=cloud-trace); the
# agent role only appends spans, it reads nothing.
resource "google_project_iam_member" "trace_agent" {
  for_each = local.services
  project  = var.project_id
  role     = "roles/cloudtrace.agent"
  member   = local.sa[each.key]
}

# Extractor: runs query jobs, reads the source datasets, writes staged files and checkpoints
# (checkpoint compare-and-swap needs read and overwrite), reads configs.
resource "google_project_iam_member" "extractor_job_user" {
  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = local.sa.extractor
}

resource "google_bigquery_dataset_iam_member" "extractor_reads_sources" {
  for_each   = toset(var.source_datasets)
  project    = length(split(".", each.value)) == 2 ? split(".", each.value)[0] : var.project_id
  dataset_id = element(split(".", each.value), length(split(".", each.value)) - 1)
  role       = "roles/bigquery.dataViewer"
  member     = local.sa.extractor
}

resource "google_storage_bucket_iam_member" "extractor_objects" {
  for_each = toset(["exports/", "checkpoints/"])
  bucket   = google_storage_bucket.staging.name
  role     = "roles/storage.objectUser"
  member   = local.sa.extractor
  condition {
    title      = "extractor-${trimsuffix(each.value, "/")}"
    expression = "resource.name.startsWith(\"${local.staging_objects}/${each.value}\")"
  }
}

resource "google_storage_bucket_iam_member" "config_readers" {
  for_each = toset(["extractor", "uploader", "tracker_notifier"])
  bucket   = google_storage_bucket.staging.name
  role     = "roles/storage.objectViewer"
  member   = local.sa[each.value]
  condition {
    title      = "configs-read"
    expression = "resource.name.startsWith(\"${local.staging_objects}/configs/\")"
  }
}

# Uploader: reads staged files; writes delivery-ledger entries (create-only) and renews its
# upload claims by compare-and-swap, which overwrites an object and so needs objectUser.
resource "google_storage_bucket_iam_member" "uploader_reads_staging" {
  bucket = google_storage_bucket.staging.name
  role   = "roles/storage.objectViewer"
  member = local.sa.uploader
  condition {
    title      = "uploader-staging-read"
    expression = "resource.name.startsWith(\"${local.staging_objects}/exports/\")"
  }
}

resource "google_storage_bucket_iam_member" "uploader_ledger" {
  bucket = google_storage_bucket.staging.name
  role   = "roles/storage.objectUser"
  member = local.sa.uploader
  condition {
    title      = "uploader-ledger"
    expression = "resource.name.startsWith(\"${local.staging_objects}/ledger/\")"
  }
}

# Tracker-notifier: writes the history table (and creates it and its views), runs jobs, records
# which notifications were sent (create-only) and keeps each export's last outcome by
# compare-and-swap (an overwrite: objectUser).
resource "google_project_iam_member" "tracker_job_user" {
  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = local.sa.tracker_notifier
}

resource "google_bigquery_dataset_iam_member" "tracker_edits_history" {
  dataset_id = google_bigquery_dataset.history.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = local.sa.tracker_notifier
}

resource "google_storage_bucket_iam_member" "tracker_notification_records" {
  bucket = google_storage_bucket.staging.name
  role   = "roles/storage.objectUser"
  member = local.sa.tracker_notifier
  condition {
    title      = "tracker-notifications"
    expression = "resource.name.startsWith(\"${local.staging_objects}/notifications/\")"
  }
}
