// TLS: with --tls-cert/--tls-key the server speaks HTTPS (and WSS) only, and its session cookie is Secure.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import WebSocket from 'ws';

import { defaultAdmin, makeTempDir, startServer } from '../support/server.mjs';

let certs;
let server;
let ca;

function request(port, path, { method = 'GET', body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port, path, method, ca, servername: 'localhost', headers },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

before(async () => {
  certs = makeTempDir('strata-tls-');
  const key = join(certs.dir, 'key.pem');
  const cert = join(certs.dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  ca = readFileSync(cert);
  server = await startServer({ extraArgs: ['--tls-cert', cert, '--tls-key', key] });
});

after(async () => {
  await server?.stop();
  certs?.cleanup();
});

test('HTTPS answers, the session cookie is Secure, plain HTTP gets nothing', async () => {
  const health = await request(server.port, '/healthz');
  assert.equal(health.status, 200);
  const login = await request(server.port, '/api/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: defaultAdmin.name, password: defaultAdmin.password }),
  });
  assert.equal(login.status, 200, login.body);
  const cookie = login.headers['set-cookie'][0];
  assert.match(cookie, /; Secure/);
  assert.match(cookie, /HttpOnly/);
  const units = await request(server.port, '/api/units', { headers: { cookie: cookie.split(';')[0] } });
  assert.equal(units.status, 200);
  assert.equal(JSON.parse(units.body).length, 6);

  const snapshot = await new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${server.port}/api/stream`, {
      ca, servername: 'localhost', headers: { Cookie: cookie.split(';')[0] },
    });
    ws.on('message', (data) => {
      ws.close();
      resolve(JSON.parse(data.toString()));
    });
    ws.on('error', reject);
  });
  assert.equal(snapshot.type, 'snapshot');

  await assert.rejects(fetch(`http://127.0.0.1:${server.port}/healthz`, { signal: AbortSignal.timeout(5000) }));
});
