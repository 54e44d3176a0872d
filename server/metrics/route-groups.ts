/**
 * Which part of the system a request belongs to, for figures people read: a badge tap, a
 * sync, a catalog pull, the dashboard, a kiosk's heartbeat, operations (health, metrics).
 * By the route's pattern, never the raw URL, so ids in paths make no new series.
 */
export const ROUTE_GROUPS = ['tap', 'sync', 'catalog', 'heartbeat', 'dashboard', 'ops', 'other'] as const;
export type RouteGroup = (typeof ROUTE_GROUPS)[number];

export function routeGroup(pattern: string | undefined): RouteGroup {
  if (!pattern) return 'other';
  if (pattern === '/v1/badge-tap') return 'tap';
  if (pattern === '/v1/sync') return 'sync';
  if (pattern === '/v1/catalog' || pattern === '/v1/roster') return 'catalog';
  if (pattern === '/v1/kiosk/heartbeat') return 'heartbeat';
  if (pattern.startsWith('/healthz') || pattern === '/metrics' || pattern.startsWith('/.well-known/'))
    return 'ops';
  if (
    pattern.startsWith('/dashboard') ||
    pattern.startsWith('/v1/admin/') ||
    pattern.startsWith('/v1/auth/') ||
    pattern.startsWith('/v1/me') ||
    pattern.startsWith('/v1/loans') ||
    pattern.startsWith('/v1/people') ||
    pattern.startsWith('/v1/items')
  )
    return 'dashboard';
  return 'other';
}
