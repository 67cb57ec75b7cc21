# One Cloud Scheduler job per entry of var.schedules, publishing the seed's message body
# ({"config": "default"}) to export-requests in the seed's time zone.
resource "google_cloud_scheduler_job" "export" {
  for_each  = var.schedules
  name      = "bqx-export-${each.key}"
  region    = var.region
  schedule  = each.value.schedule
  time_zone = each.value.time_zone

  pubsub_target {
    topic_name = google_pubsub_topic.main["export-requests"].id
    data       = base64encode(each.value.body)
    attributes = {
      eventType     = "export.requested"
      schemaVersion = "1"
    }
  }

  depends_on = [google_project_service.apis]
}

# One Cloud Scheduler job per entry of var.freshness_schedules, publishing a freshness.tick for
# its config to export-events: tracker-notifier then checks each export of that config against
# notifications.alerts.freshness_seconds. None by default.
resource "google_cloud_scheduler_job" "freshness" {
  for_each  = var.freshness_schedules
  name      = "bqx-freshness-${each.key}"
  region    = var.region
  schedule  = each.value.schedule
  time_zone = each.value.time_zone

  pubsub_target {
    topic_name = google_pubsub_topic.main["export-events"].id
    data       = base64encode(jsonencode({ type = "freshness.tick", config = each.value.config }))
    attributes = {
      eventType     = "freshness.tick"
      schemaVersion = "1"
    }
  }

  depends_on = [google_project_service.apis]
}
