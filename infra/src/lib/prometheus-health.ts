/**
 * Argo CD's health check of the Prometheus custom resource, overridden in argocd-cm
 * (`resource.customizations.health.monitoring.coreos.com_Prometheus`, which replaces the built-in
 * script: argo-cd util/lua/lua.go GetHealthScript).
 *
 * The built-in one (argo-cd v3.4.4 resource_customizations/monitoring.coreos.com/Prometheus/health.lua,
 * vendored in infra/reference/argocd-prometheus-health) calls Available=False with reason
 * NoPodReady Degraded. The operator sets exactly that whenever no pod is ready yet, on every first
 * start (prometheus-operator pkg/operator/statefulset_reporter.go), and a Degraded resource outside
 * the last sync wave fails the whole sync at once (gitops-engine pkg/sync/sync_context.go). This
 * script is the built-in one but for that case: no pod ready is Progressing, "starting", for
 * STARTING_SECONDS after the condition changed, and Degraded after, so a pod that never starts
 * still fails the sync (and its retries) instead of holding it forever.
 *
 * It needs Lua's string library to read the timestamp, so argocd-cm turns the standard libraries
 * on for it (`resource.customizations.useOpenLibs.monitoring.coreos.com_Prometheus`); without
 * them it would stay Progressing. Times: gopher-lua's os.time reads a table as local time
 * (oslib.go osTime), so both sides of the difference are built that way, from os.date("!*t").
 */
export const PROMETHEUS_STARTING_SECONDS = 900;

export const PROMETHEUS_HEALTH_LUA = `local STARTING_SECONDS = ${PROMETHEUS_STARTING_SECONDS}
local hs = { status = "Progressing", message = "Waiting for initialization" }

local function secondsSince(timestamp)
  if timestamp == nil or string == nil then return nil end
  local y, mo, d, h, mi, s = string.match(timestamp, "^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)")
  if y == nil then return nil end
  local now = os.date("!*t")
  local since = { year = tonumber(y), month = tonumber(mo), day = tonumber(d),
                  hour = tonumber(h), min = tonumber(mi), sec = tonumber(s) }
  return os.time(now) - os.time(since)
end

if obj.status ~= nil then
  if obj.status.conditions ~= nil then
    for i, condition in ipairs(obj.status.conditions) do
      if condition.type == "Available" and condition.status ~= "True" then
        if condition.reason == "SomePodsNotReady" then
          hs.status = "Progressing"
        elseif condition.reason == "NoPodReady" then
          local age = secondsSince(condition.lastTransitionTime)
          if age ~= nil and age > STARTING_SECONDS then
            hs.status = "Degraded"
          else
            hs.status = "Progressing"
          end
        else
          hs.status = "Degraded"
        end
        hs.message = condition.message or condition.reason
      end
      if condition.type == "Available" and condition.status == "True" then
        hs.status = "Healthy"
        hs.message = "All instances are available"
      end
    end
  end
end

return hs
`;
