// Certificates and PKI folders for node-opcua's OPCUACertificateManager.

import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const made = new Set();
process.on("exit", () => {
  for (const dir of made) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
});

/** A fresh PKI root folder, removed when the process exits. */
export function makePkiFolder(label) {
  const safe = String(label).replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 40);
  const dir = mkdtempSync(path.join(tmpdir(), `strata-opcua-${safe}-`));
  made.add(dir);
  return dir;
}

/** DER buffers of every certificate in a PEM or DER file's content. */
export function certificatesIn(content) {
  const text = content.toString("latin1");
  if (text.includes("-----BEGIN CERTIFICATE-----")) {
    const out = [];
    const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
    let m;
    while ((m = re.exec(text)) !== null) out.push(Buffer.from(m[1].replace(/[^A-Za-z0-9+/=]/g, ""), "base64"));
    return out;
  }
  return [content];
}

/** Certificates (DER) from every readable certificate file of a folder (not recursive). Throws if unreadable. */
export function certificatesInDir(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const file = path.join(dir, entry);
    if (!statSync(file).isFile()) continue;
    if (!/\.(pem|crt|cer|der)$/i.test(entry)) continue;
    for (const der of certificatesIn(readFileSync(file))) {
      try {
        out.push({ file, der, x509: new X509Certificate(der) });
      } catch {
        // not a certificate: skipped
      }
    }
  }
  return out;
}

/** The first URI in a certificate's subjectAltName (its OPC UA application URI), or null. */
export function applicationUriOf(certificateFile) {
  try {
    const [der] = certificatesIn(readFileSync(certificateFile));
    const san = new X509Certificate(der).subjectAltName || "";
    const m = /URI:([^,\s]+)/.exec(san);
    return m ? m[1] : null;
  } catch {
    return null;
  }
}

/** Checks that a PEM certificate and private key file can be read; returns an error message or null. */
export function checkKeyPair(certificateFile, privateKeyFile) {
  if (!certificateFile && !privateKeyFile) return null;
  if (!certificateFile || !privateKeyFile) return "certificate_file and private_key_file go together";
  try {
    const certs = certificatesIn(readFileSync(certificateFile));
    if (certs.length === 0) return `${certificateFile}: no certificate`;
    new X509Certificate(certs[0]);
  } catch (err) {
    return `cannot read certificate_file ${certificateFile}: ${err.message}`;
  }
  try {
    readFileSync(privateKeyFile);
  } catch (err) {
    return `cannot read private_key_file ${privateKeyFile}: ${err.message}`;
  }
  return null;
}
