{{/* Names and labels shared by the templates. */}}
{{- define "panel.name" -}}panel{{- end -}}
{{- define "panel.fullname" -}}{{ printf "%s-panel" .Release.Name | trunc 52 | trimSuffix "-" }}{{- end -}}
{{- define "panel.labels" -}}
app.kubernetes.io/name: panel
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}
{{- define "panel.selector" -}}
app.kubernetes.io/name: panel
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: server
{{- end -}}
{{- define "panel.pgSelector" -}}
app.kubernetes.io/name: panel
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: postgres
{{- end -}}
{{- define "panel.image" -}}{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}{{- end -}}
{{- define "panel.secretName" -}}{{ .Values.existingSecret | default (printf "%s-secret" (include "panel.fullname" .)) }}{{- end -}}
{{- define "panel.dbSecretName" -}}
{{- if include "panel.cnpg" . -}}{{ include "panel.pgCluster" . }}-app
{{- else if .Values.postgres.enabled -}}{{ printf "%s-postgres" (include "panel.fullname" .) }}{{- else -}}{{ required "externalDatabase.secretName is required when postgres.enabled is false" .Values.externalDatabase.secretName }}{{- end -}}
{{- end -}}
{{- define "panel.dbSecretKey" -}}{{ if include "panel.cnpg" . }}uri{{ else if .Values.postgres.enabled }}DATABASE_URL{{ else }}{{ .Values.externalDatabase.key }}{{ end }}{{- end -}}

{{/*
CloudNativePG mode ("true" or empty): postgres.cloudnativepg.enabled, which needs postgres.enabled.
*/}}
{{- define "panel.cnpg" -}}
{{- if .Values.postgres.cloudnativepg.enabled -}}
{{- if not .Values.postgres.enabled }}{{ fail "postgres.cloudnativepg.enabled runs the panel's database in the release's namespace: it needs postgres.enabled (false means an external database)" }}{{ end -}}
true
{{- end -}}
{{- end -}}
{{/* The CloudNativePG Cluster's name (a DNS label of at most 50 characters, as the operator wants). */}}
{{- define "panel.pgCluster" -}}
{{- $name := printf "%s-postgres" (include "panel.fullname" .) | trunc 50 | trimSuffix "-" -}}
{{- if not (regexMatch "^[a-z]([-a-z0-9]*[a-z0-9])?$" $name) }}{{ fail (printf "the CloudNativePG Cluster would be named %q, which is not a DNS label starting with a letter: choose a release name that starts with one" $name) }}{{ end -}}
{{- $name -}}
{{- end -}}
{{- define "panel.routerSelector" -}}
app.kubernetes.io/name: panel
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: router
{{- end -}}

{{/*
The game servers' declared ports by their container port names: the game port (`minecraft`) when
`game` is true, and the four extra ports a template may declare (`extra-1`... in TCP and UDP).
*/}}
{{- define "panel.gamePorts" -}}
{{- if .game }}
- {protocol: TCP, port: minecraft}
{{- end }}
{{- range $i := until 4 }}
- {protocol: TCP, port: extra-{{ add1 $i }}}
- {protocol: UDP, port: extra-{{ add1 $i }}}
{{- end }}
{{- end }}

{{/*
The Secret the backup jobs take the repository's password and the store's credentials from.
*/}}
{{/*
The backup repositories' root: the one given, else /backups on the chart's claim.
*/}}
{{- define "panel.backupRepository" -}}
{{- .Values.worldBackups.repository | default (ternary "/backups" "" .Values.worldBackups.claim.enabled) -}}
{{- end }}

{{- define "panel.backupClaim" -}}
{{- .Values.worldBackups.claim.existingClaim | default (printf "%s-backup-store" (include "panel.fullname" .)) -}}
{{- end }}

{{- define "panel.curseforgeSecret" -}}
{{- .Values.curseforge.existingSecret | default (printf "%s-curseforge" (include "panel.fullname" .)) -}}
{{- end }}

{{- define "panel.ssoSecret" -}}
{{- .Values.sso.existingSecret | default (printf "%s-sso" (include "panel.fullname" .)) -}}
{{- end }}

{{- define "panel.backupSecret" -}}
{{- .Values.worldBackups.existingSecret | default (printf "%s-backups" (include "panel.fullname" .)) -}}
{{- end }}

{{/*
The CloudNativePG cluster's object store, as JSON: destinationPath, endpointURL, the Secret of its
credentials (secret; made by the chart when madeSecret), and the port the instances reach it on.
Each of the path and the endpoint is the one given, else what an S3 worldBackups.repository
(s3:https://host/bucket/prefix) says: `s3://bucket/prefix/postgres` (beside the servers'
repositories, which are named mc-<id>) and `https://host`.
*/}}
{{- define "panel.pgStore" -}}
{{- $b := .Values.postgres.cloudnativepg.backups -}}
{{- $w := .Values.worldBackups -}}
{{- $path := $b.destinationPath -}}
{{- $endpoint := $b.endpointURL -}}
{{- $s3 := "^s3:(https?://)?([^/]+)/+([^/].*?)/*$" -}}
{{- if regexMatch $s3 $w.repository -}}
{{- $path = $path | default (printf "s3://%s/postgres" (regexReplaceAll $s3 $w.repository "${3}")) -}}
{{- $endpoint = $endpoint | default (printf "%s%s" (regexReplaceAll $s3 $w.repository "${1}" | default "https://") (regexReplaceAll $s3 $w.repository "${2}")) -}}
{{- end -}}
{{- if not $path -}}
{{- fail "postgres.cloudnativepg.backups needs an object store: worldBackups.repository of the form s3:https://host/bucket/prefix (the database goes to <prefix>/postgres), or postgres.cloudnativepg.backups.destinationPath (s3://bucket/path) and endpointURL; postgres.cloudnativepg.backups.enabled=false runs the cluster without backups" -}}
{{- end -}}
{{- $secret := $b.existingSecret -}}
{{- if not $secret -}}
{{- if not (and $w.accessKeyId $w.secretAccessKey) -}}
{{- fail "postgres.cloudnativepg.backups needs the store's credentials in the release's namespace: postgres.cloudnativepg.backups.existingSecret (a Secret there with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or worldBackups.accessKeyId and worldBackups.secretAccessKey (worldBackups.existingSecret is in the games namespace, where the Postgres instances cannot read it)" -}}
{{- end -}}
{{- $secret = printf "%s-s3" (include "panel.pgCluster" .) -}}
{{- end -}}
{{- $host := regexReplaceAll "^https?://([^/]+).*$" $endpoint "${1}" -}}
{{- $port := ternary 80 443 (hasPrefix "http://" $endpoint) -}}
{{- if regexMatch ":[0-9]+$" $host -}}{{- $port = regexReplaceAll "^.*:([0-9]+)$" $host "${1}" | int -}}{{- end -}}
{{- dict "destinationPath" $path "endpointURL" $endpoint "secret" $secret "madeSecret" (not $b.existingSecret) "port" $port | toJson -}}
{{- end -}}
