import { describe, expect, it } from 'vitest';
import { actionResult, routeOf } from './metrics';

describe('metric labels', () => {
  it('reduce request paths to few route templates', () => {
    expect(routeOf('/api/pools')).toBe('/api/pools');
    expect(routeOf('/api/pools/worker?x=1')).toBe('/api/pools/:name');
    expect(routeOf('/api/pools/worker/pause')).toBe('/api/pools/:name/pause');
    expect(routeOf('/api/nodes/worker-1/drift')).toBe('/api/nodes/:name/drift');
    expect(routeOf('/api/nodes/worker-1/force-reconcile')).toBe('/api/nodes/:name/force-reconcile');
    expect(routeOf('/api/machineconfigs/rendered-worker-1')).toBe('/api/machineconfigs/:name');
    expect(routeOf('/api/pools/worker/drift')).toBe('/api/pools/:name/drift');
    expect(routeOf('/api/pools/worker/drift/scan')).toBe('/api/pools/:name/drift/scan');
    expect(routeOf('/api/pools/worker/drift/scan/cancel')).toBe('/api/pools/:name/drift/scan/cancel');
    expect(routeOf('/api/pools/worker/drift/restore')).toBe('/api/pools/:name/drift/restore');
    expect(routeOf('/api/pools/worker/drift/report?format=csv')).toBe('/api/pools/:name/drift/report');
    expect(routeOf('/api/plan')).toBe('/api/plan');
    expect(routeOf('/api/plan/apply')).toBe('/api/plan/apply');
    expect(routeOf('/api/plan/adopt?node=worker-1&path=%2Fetc%2Fx')).toBe('/api/plan/adopt');
    expect(routeOf('/api/stream/view')).toBe('/api/stream/view');
    expect(routeOf('/api/nodes/worker-1/policy?path=%2Fetc%2Fx')).toBe('/api/nodes/:name/policy');
    expect(routeOf('/api/nodes/worker-1/drift/scan')).toBe('/api/other');
    expect(routeOf('/api/pools/worker/drift/../x')).toBe('/api/other');
    expect(routeOf('/api/nodes/worker-1/../../x')).toBe('/api/other');
    expect(routeOf('/api/anything/at/all/here')).toBe('/api/other');
    expect(routeOf('/pools/worker')).toBeNull();
    expect(routeOf('/apiary')).toBeNull();
  });

  it('class an action by its reply', () => {
    expect(actionResult(200)).toBe('succeeded');
    expect(actionResult(403)).toBe('refused');
    expect(actionResult(409)).toBe('refused');
    expect(actionResult(502)).toBe('failed');
  });
});
