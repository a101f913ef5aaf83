// SignAndEncrypt with Basic256Sha256, certificates on both sides and user/password authentication.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, copyFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, startServer, startClient } from "../testing/harness.mjs";

let dir;
let server;
let base;
const clients = {};

/** A self-signed certificate whose subjectAltName carries the OPC UA application URI. */
function makeCertificate(name, uri) {
  const key = path.join(dir, `${name}_key.pem`);
  const cert = path.join(dir, `${name}_cert.pem`);
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "30",
    "-keyout", key, "-out", cert, "-subj", `/CN=strata-${name}`,
    "-addext", `subjectAltName=URI:${uri},DNS:localhost,IP:127.0.0.1`,
    "-addext", "keyUsage=critical,digitalSignature,nonRepudiation,keyEncipherment,dataEncipherment",
    "-addext", "extendedKeyUsage=serverAuth,clientAuth",
  ], { stdio: "ignore" });
  return { key, cert };
}


before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "strata-opcua-test-"));
  const serverCert = makeCertificate("server", "urn:strata:connector:server");
  const clientCert = makeCertificate("client", "urn:strata:connector:client");
  const trusted = path.join(dir, "trusted");
  mkdirSync(trusted);
  copyFileSync(serverCert.cert, path.join(trusted, "server.pem"));
  mkdirSync(path.join(dir, "empty"));
  const port = await freePort();
  server = await startServer("secure-server", {
    host: "127.0.0.1",
    port,
    resource_path: "/secure",
    security_modes: ["SignAndEncrypt"],
    certificate_file: serverCert.cert,
    private_key_file: serverCert.key,
    users: [{ user: "operator", password: "s3cret" }],
    nodes: [{ h: 0, node_id: "ns=1;s=Secure.Value", browse_path: ["Secure", "Value"], data_type: "String", value: "classified", writable: true }],
  });
  base = {
    endpoint: `opc.tcp://127.0.0.1:${port}/secure`,
    security_mode: "SignAndEncrypt",
    security_policy: "Basic256Sha256",
    certificate_file: clientCert.cert,
    private_key_file: clientCert.key,
    trusted_certificates_dir: trusted,
    user: "operator",
    password: "s3cret",
    reconnect: { initial_ms: 500, max_ms: 2000 },
    items: [{ h: 0, node_id: "ns=1;s=Secure.Value", sampling_interval_ms: 100, publishing_interval_ms: 100 }],
  };
  // all clients start together (each process takes a while to load node-opcua)
  const variants = {
    good: {},
    wrongPassword: { password: "guess" },
    anonymous: { user: undefined, password: undefined },
    untrusting: { trusted_certificates_dir: path.join(dir, "empty") },
  };
  await Promise.all(
    Object.entries(variants).map(async ([name, overrides]) => {
      clients[name] = await startClient(name, { ...base, ...overrides });
    }),
  );
});

after(async () => {
  await Promise.all([...Object.values(clients).map((c) => c.close()), server?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("SignAndEncrypt + Basic256Sha256 + user/password: values and writes flow", async () => {
  const c = clients.good;
  await c.waitType("connection", (m) => m.state === "connected");
  await c.waitValues((l) => l.get(0)?.v === "classified");
  const w = await c.request("write", { node_id: "ns=1;s=Secure.Value", data_type: "String", value: "declassified" });
  assert.equal(w.ok, true, w.message);
  assert.equal((await server.waitType("written")).v, "declassified");
});

test("a wrong password is refused with a clear message", async () => {
  const c = clients.wrongPassword;
  const m = await c.waitType("connection");
  assert.equal(m.state, "disconnected");
  assert.match(m.message, /BadUserAccessDenied|BadIdentityTokenRejected|BadIdentityTokenInvalid/);
  assert.equal(c.messages.some((x) => x.type === "connection" && x.state === "connected"), false);
});

test("anonymous access is refused when the server has users", async () => {
  const c = clients.anonymous;
  const m = await c.waitType("connection");
  assert.equal(m.state, "disconnected");
  assert.match(m.message, /anonymous|Bad\w+/i);
});

test("a server certificate that is not in trusted_certificates_dir is refused", async () => {
  const c = clients.untrusting;
  const m = await c.waitType("connection");
  assert.equal(m.state, "disconnected");
  assert.match(m.message, /BadCertificateUntrusted|certificate/i);
});
