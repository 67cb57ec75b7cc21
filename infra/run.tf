# The three services on Cloud Run. In push mode Pub/Sub calls each service with an OIDC token of
# the push invoker (the only identity granted run.invoker), which Cloud Run and then the runtime
# itself verify (PUSH_AUDIENCE, PUSH_SERVICE_ACCOUNT); in pull mode each service is a
# streaming-pull worker with CPU always allocated (instance-based billing) and min instances,
# so long uploads keep their lease.

locals {
  images = {
    extractor        = var.images.extractor
    uploader         = var.images.uploader
    tracker_notifier = var.images.tracker_notifier
  }
  common_env = merge(var.environment, {
    GOOGLE_CLOUD_PROJECT = var.project_id
    STAGING_BUCKET       = google_storage_bucket.staging.name
    CONFIG_SOURCE        = "gs://${google_storage_bucket.staging.name}/configs"
    TRANSPORT            = var.transport
    LOG_LEVEL            = var.log_level
    # Cloud Run delivers to $PORT from outside the container: listen on every interface.
    BIND_HOST = "0.0.0.0"
  })
  # The audience of each service's push tokens. A fixed string, because a service's URL exists only
  # after the service does and its own environment cannot name it; Cloud Run accepts it as a custom
  # audience, and the runtime checks it (PUSH_AUDIENCE) on every push request.
  push_audiences = {
    for key, s in local.services : key => "https://${var.project_id}.bq-sftp-export/bqx-${replace(key, "_", "-")}"
  }
}

resource "google_cloud_run_v2_service" "service" {
  for_each            = local.services
  name                = "bqx-${replace(each.key, "_", "-")}"
  location            = var.region
  ingress             = var.transport == "push" ? "INGRESS_TRAFFIC_ALL" : "INGRESS_TRAFFIC_INTERNAL_ONLY"
  custom_audiences    = var.transport == "push" ? [local.push_audiences[each.key]] : []
  deletion_protection = false

  template {
    service_account = google_service_account.service[each.key].email
    # Cloud Run sends SIGTERM and waits 10 s; the runtime stops within that.
    # Request timeout: in push mode it must not be shorter than the push ack deadline
    # (local.push_ack_deadline_seconds, 600 s), or Cloud Run would answer 504 while Pub/Sub still
    # waits; Pub/Sub itself stops waiting at the ack deadline, so a longer timeout gives no single
    # push request more time. In pull mode no request carries work (only /healthz).
    timeout = each.key == "uploader" ? "3600s" : "900s"

    scaling {
      min_instance_count = var.transport == "pull" ? var.pull_min_instances : 0
      max_instance_count = 10
    }

    containers {
      image = local.images[each.key]

      ports {
        container_port = 8080
      }

      resources {
        limits = {
          cpu    = "1"
          memory = "512Mi"
        }
        cpu_idle = var.transport == "push"
      }

      dynamic "env" {
        for_each = local.common_env
        content {
          name  = env.key
          value = env.value
        }
      }

      env {
        name  = "SUBSCRIPTION"
        value = each.value.subscription
      }

      # Push: the runtime verifies each request's OIDC token against the subscription's oidc_token.
      dynamic "env" {
        for_each = {
          for name, value in {
            PUSH_AUDIENCE             = local.push_audiences[each.key]
            PUSH_SERVICE_ACCOUNT      = google_service_account.push_invoker.email
            PUSH_ACK_DEADLINE_SECONDS = tostring(local.push_ack_deadline_seconds)
          } : name => value if var.transport == "push"
        }
        content {
          name  = env.key
          value = env.value
        }
      }

      dynamic "env" {
        for_each = { for id, s in local.secrets : id => s if contains(s.readers, each.key) }
        content {
          name = env.value.env
          value_source {
            secret_key_ref {
              secret  = google_secret_manager_secret.secret[env.key].secret_id
              version = "latest"
            }
          }
        }
      }

      startup_probe {
        http_get {
          path = "/healthz"
        }
      }

      liveness_probe {
        http_get {
          path = "/healthz"
        }
      }
    }
  }

  depends_on = [google_secret_manager_secret_iam_member.accessor]
}

resource "google_cloud_run_v2_service_iam_member" "push_invoker" {
  for_each = var.transport == "push" ? local.services : {}
  name     = google_cloud_run_v2_service.service[each.key].name
  location = var.region
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.push_invoker.email}"
}
