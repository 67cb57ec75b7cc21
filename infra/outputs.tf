output "service_urls" {
  description = "Cloud Run URL of each service."
  value       = { for k, v in google_cloud_run_v2_service.service : k => v.uri }
}

output "service_accounts" {
  description = "Service account email of each service."
  value       = { for k, v in google_service_account.service : k => v.email }
}

output "topics" {
  value = { for k, v in google_pubsub_topic.main : k => v.id }
}

output "dead_letter_subscriptions" {
  description = "Where dead letters wait for `bq-sftp replay --subscription …`."
  value       = { for k, v in google_pubsub_subscription.dead_letter : k => v.name }
}

output "staging_bucket" {
  value = google_storage_bucket.staging.name
}

output "history_dataset" {
  value = google_bigquery_dataset.history.dataset_id
}
