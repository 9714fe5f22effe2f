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
{{- if .Values.postgres.enabled -}}{{ printf "%s-postgres" (include "panel.fullname" .) }}{{- else -}}{{ required "externalDatabase.secretName is required when postgres.enabled is false" .Values.externalDatabase.secretName }}{{- end -}}
{{- end -}}
{{- define "panel.dbSecretKey" -}}{{ if .Values.postgres.enabled }}DATABASE_URL{{ else }}{{ .Values.externalDatabase.key }}{{ end }}{{- end -}}
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
