{{- define "rolegate.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "rolegate.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "rolegate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rolegate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "rolegate.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "rolegate.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "rolegate.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "rolegate.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "rolegate.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* A secret key reference into existingSecret; optional keys may be absent from the Secret. */}}
{{- define "rolegate.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
      optional: {{ .optional }}
{{- end -}}

{{/*
The audit checkpoint file (ROLEGATE_AUDIT_CHECKPOINT_FILE), or "" for the image's default
(/data/audit-checkpoints.jsonl). It must sit on a writable mount (the root file system is read-only):
the checkpoint volume with persistence, else /data.
*/}}
{{- define "rolegate.auditCheckpointFile" -}}
{{- $c := .Values.auditCheckpoints -}}
{{- $dir := ternary $c.persistence.mountPath "/data" $c.persistence.enabled -}}
{{- if $c.file -}}
{{- if not (hasPrefix (printf "%s/" $dir) $c.file) -}}
{{- fail (printf "auditCheckpoints.file %q must be under %s: %s" $c.file $dir (ternary "auditCheckpoints.persistence.mountPath, the checkpoint volume" "the only writable volume without auditCheckpoints.persistence (enable it to keep the file beyond the pod)" $c.persistence.enabled)) -}}
{{- end -}}
{{- $c.file -}}
{{- else if $c.persistence.enabled -}}
{{- printf "%s/audit-checkpoints.jsonl" $dir -}}
{{- end -}}
{{- end -}}

{{- define "rolegate.auditCheckpointClaim" -}}
{{- default (printf "%s-audit-checkpoints" (include "rolegate.fullname" .)) .Values.auditCheckpoints.persistence.existingClaim -}}
{{- end -}}

{{/* Whether ROLEGATE_WEBHOOK_URL is set (env or extraEnv): checkpoints also go there. */}}
{{- define "rolegate.webhookSet" -}}
{{- $set := hasKey .Values.env "ROLEGATE_WEBHOOK_URL" -}}
{{- range .Values.extraEnv -}}
{{- if eq .name "ROLEGATE_WEBHOOK_URL" -}}{{- $set = true -}}{{- end -}}
{{- end -}}
{{- if $set -}}true{{- end -}}
{{- end -}}
