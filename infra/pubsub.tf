# Topics and subscriptions. The names are the ones packages/contracts exports (Topology); a test
# keeps the two in step. Every consumer subscription has a dead-letter topic, and every
# dead-letter topic has a subscription of its own, or dead letters would be lost.

locals {
  services = {
    extractor = {
      topic        = "export-requests"
      subscription = "extractor.export-requests"
      publishes    = ["file-ready", "export-events"]
      ack_deadline = 60
    }
    uploader = {
      topic        = "file-ready"
      subscription = "uploader.file-ready"
      publishes    = ["export-events"]
      ack_deadline = 60
    }
    tracker_notifier = {
      topic        = "export-events"
      subscription = "tracker-notifier.export-events"
      publishes    = []
      ack_deadline = 60
    }
  }
  topics = toset([for s in values(local.services) : s.topic])
  # Push: the ack deadline is Pub/Sub's timeout for each push request and push cannot extend it,
  # so push subscriptions take the largest one Pub/Sub allows (600 s); the services are told it
  # (PUSH_ACK_DEADLINE_SECONDS) to log a run outlasting it and join its redelivery to the run.
  # Pull: ack_deadline above is only the first lease, which the client library extends.
  push_ack_deadline_seconds = 600
}

resource "google_pubsub_topic" "main" {
  for_each   = local.topics
  name       = each.value
  depends_on = [google_project_service.apis]
}

resource "google_pubsub_topic" "dead_letter" {
  for_each   = local.services
  name       = "${each.value.topic}.dead-letter"
  depends_on = [google_project_service.apis]
}

resource "google_pubsub_subscription" "consumer" {
  for_each             = local.services
  name                 = each.value.subscription
  topic                = google_pubsub_topic.main[each.value.topic].id
  ack_deadline_seconds = var.transport == "push" ? local.push_ack_deadline_seconds : each.value.ack_deadline

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter[each.key].id
    max_delivery_attempts = var.max_delivery_attempts
  }

  retry_policy {
    minimum_backoff = var.retry_minimum_backoff
    maximum_backoff = var.retry_maximum_backoff
  }

  expiration_policy {
    ttl = ""
  }

  dynamic "push_config" {
    for_each = var.transport == "push" ? [each.key] : []
    content {
      push_endpoint = "${google_cloud_run_v2_service.service[push_config.value].uri}/pubsub/push"
      oidc_token {
        service_account_email = google_service_account.push_invoker.email
        audience              = local.push_audiences[push_config.value]
      }
    }
  }
}

resource "google_pubsub_subscription" "dead_letter" {
  for_each                   = local.services
  name                       = "ops.${each.value.topic}.dead-letter"
  topic                      = google_pubsub_topic.dead_letter[each.key].id
  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"
  retain_acked_messages      = false

  expiration_policy {
    ttl = ""
  }
}

# The Pub/Sub service agent forwards dead letters: it must publish to each dead-letter topic
# and subscribe to each source subscription.
locals {
  pubsub_service_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_pubsub_topic_iam_member" "dead_letter_forwarder" {
  for_each = local.services
  topic    = google_pubsub_topic.dead_letter[each.key].id
  role     = "roles/pubsub.publisher"
  member   = local.pubsub_service_agent
}

resource "google_pubsub_subscription_iam_member" "dead_letter_source" {
  for_each     = local.services
  subscription = google_pubsub_subscription.consumer[each.key].id
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent
}
