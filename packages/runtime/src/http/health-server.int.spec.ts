import { afterEach, describe, expect, it } from '@jest/globals';
import { HealthServer } from './health-server.js';

let server: HealthServer | undefined;

afterEach(async () => {
  await server?.stop();
});

describe('HealthServer over real HTTP', () => {
  it('answers /healthz 200 while healthy, 503 once not, 404 elsewhere', async () => {
    let healthy = true;
    server = new HealthServer({ port: 0, host: '127.0.0.1', isHealthy: () => healthy });
    const base = `http://127.0.0.1:${await server.start()}`;

    const ok = await fetch(`${base}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ok' });
    healthy = false;
    const down = await fetch(`${base}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'shutting down' });
    expect((await fetch(`${base}/other`)).status).toBe(404);
  });
});
