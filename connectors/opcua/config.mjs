// Validation of hello.config for both roles (docs/connector-protocol.md). Pure checks only, no node-opcua,
// so that a configuration Strata cannot run is answered with `fatal` before node-opcua is loaded. Node ids
// are parsed by the roles (with node-opcua).

import { existsSync, statSync } from "node:fs";
import net from "node:net";
import { checkKeyPair } from "./pki.mjs";
import { isDataType, jsonToOpcua } from "./datatypes.mjs";

export class ConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = "ConfigError";
  }
}

function positiveNumber(value, fallback, what) {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new ConfigError(`${what} must be a non-negative number`);
  }
  return value;
}

/** Validates and normalises hello.config for the client role; throws ConfigError. */
export function parseClientConfig(config) {
  const c = {};
  if (typeof config.endpoint !== "string" || !/^opc\.tcp:\/\/[^/]+/i.test(config.endpoint)) {
    throw new ConfigError(`endpoint must be an opc.tcp:// URL, got ${JSON.stringify(config.endpoint)}`);
  }
  c.endpoint = config.endpoint;
  const mode = config.security_mode ?? "None";
  if (!["None", "Sign", "SignAndEncrypt"].includes(mode)) {
    throw new ConfigError(`security_mode must be None, Sign or SignAndEncrypt, got ${JSON.stringify(mode)}`);
  }
  const policy = config.security_policy ?? (mode === "None" ? "None" : "Basic256Sha256");
  if (!["None", "Basic256Sha256"].includes(policy)) {
    throw new ConfigError(`security_policy must be None or Basic256Sha256, got ${JSON.stringify(policy)}`);
  }
  if ((mode === "None") !== (policy === "None")) {
    throw new ConfigError(`security_mode ${mode} does not go with security_policy ${policy}`);
  }
  c.securityMode = mode;
  c.securityPolicy = policy;
  for (const key of ["certificate_file", "private_key_file", "trusted_certificates_dir", "user", "password"]) {
    if (config[key] !== undefined && config[key] !== null && typeof config[key] !== "string") {
      throw new ConfigError(`${key} must be a string`);
    }
  }
  c.certificateFile = config.certificate_file || null;
  c.privateKeyFile = config.private_key_file || null;
  const pairError = checkKeyPair(c.certificateFile, c.privateKeyFile);
  if (pairError) throw new ConfigError(pairError);
  c.trustedDir = config.trusted_certificates_dir || null;
  if (c.trustedDir && !(existsSync(c.trustedDir) && statSync(c.trustedDir).isDirectory())) {
    throw new ConfigError(`trusted_certificates_dir ${c.trustedDir} is not a directory`);
  }
  c.user = config.user || null;
  c.password = config.password ?? "";
  c.sessionTimeout = positiveNumber(config.session_timeout_ms, 60000, "session_timeout_ms");
  const reconnect = config.reconnect ?? {};
  if (typeof reconnect !== "object") throw new ConfigError("reconnect must be an object");
  c.reconnectInitial = Math.max(10, positiveNumber(reconnect.initial_ms, 500, "reconnect.initial_ms"));
  c.reconnectMax = Math.max(c.reconnectInitial, positiveNumber(reconnect.max_ms, 30000, "reconnect.max_ms"));
  const items = config.items ?? [];
  if (!Array.isArray(items)) throw new ConfigError("items must be an array");
  c.items = items.map((item, index) => {
    if (!item || typeof item !== "object") throw new ConfigError(`items[${index}] must be an object`);
    const h = item.h ?? index;
    if (!Number.isInteger(h)) throw new ConfigError(`items[${index}].h must be an integer`);
    if (typeof item.node_id !== "string") throw new ConfigError(`items[${index}].node_id must be a string`);
    if (item.data_type !== undefined && !isDataType(item.data_type)) {
      throw new ConfigError(`items[${index}].data_type ${JSON.stringify(item.data_type)} is not a protocol data type`);
    }
    return {
      h,
      nodeIdText: item.node_id,
      sampling: positiveNumber(item.sampling_interval_ms, 1000, `items[${index}].sampling_interval_ms`),
      publishing: Math.max(1, positiveNumber(item.publishing_interval_ms, 1000, `items[${index}].publishing_interval_ms`)),
    };
  });
  return c;
}

/** Validates and normalises hello.config for the server role; throws ConfigError. */
export function parseServerConfig(config) {
  const c = {};
  c.host = config.host ?? "0.0.0.0";
  if (typeof c.host !== "string" || !c.host) throw new ConfigError("host must be a non-empty string");
  c.port = config.port;
  if (!Number.isInteger(c.port) || c.port < 1 || c.port > 65535) throw new ConfigError("port must be an integer in 1..65535");
  let resourcePath = config.resource_path ?? "";
  if (typeof resourcePath !== "string") throw new ConfigError("resource_path must be a string");
  if (resourcePath && !resourcePath.startsWith("/")) resourcePath = `/${resourcePath}`;
  c.resourcePath = resourcePath;
  const modes = config.security_modes ?? ["None"];
  if (!Array.isArray(modes) || modes.length === 0) throw new ConfigError("security_modes must be a non-empty array");
  for (const mode of modes) {
    if (!["None", "Sign", "SignAndEncrypt"].includes(mode)) {
      throw new ConfigError(`security_modes: unknown mode ${JSON.stringify(mode)}; expected None, Sign or SignAndEncrypt`);
    }
  }
  c.securityModes = [...new Set(modes)];
  for (const key of ["certificate_file", "private_key_file"]) {
    if (config[key] !== undefined && config[key] !== null && typeof config[key] !== "string") {
      throw new ConfigError(`${key} must be a string`);
    }
  }
  c.certificateFile = config.certificate_file || null;
  c.privateKeyFile = config.private_key_file || null;
  const pairError = checkKeyPair(c.certificateFile, c.privateKeyFile);
  if (pairError) throw new ConfigError(pairError);
  const users = config.users ?? [];
  if (!Array.isArray(users)) throw new ConfigError("users must be an array");
  c.users = new Map();
  users.forEach((u, i) => {
    if (!u || typeof u.user !== "string" || !u.user || typeof (u.password ?? "") !== "string") {
      throw new ConfigError(`users[${i}] must be {"user": "<name>", "password": "<password>"}`);
    }
    c.users.set(u.user, u.password ?? "");
  });
  const nodes = config.nodes ?? [];
  if (!Array.isArray(nodes)) throw new ConfigError("nodes must be an array");
  c.nodes = nodes.map((node, index) => {
    const where = `nodes[${index}]`;
    if (!node || typeof node !== "object") throw new ConfigError(`${where} must be an object`);
    const h = node.h ?? index;
    if (!Number.isInteger(h)) throw new ConfigError(`${where}.h must be an integer`);
    if (typeof node.node_id !== "string" || !node.node_id) throw new ConfigError(`${where}.node_id must be a node id string`);
    if (!/^ns=1;[isgb]=./.test(node.node_id)) {
      throw new ConfigError(`${where}.node_id ${node.node_id} must be in ns=1 (the server's own namespace), e.g. ns=1;s=Name`);
    }
    const path = node.browse_path;
    if (!Array.isArray(path) || path.length === 0 || !path.every((p) => typeof p === "string" && p)) {
      throw new ConfigError(`${where}.browse_path must be a non-empty array of non-empty strings`);
    }
    if (!isDataType(node.data_type)) throw new ConfigError(`${where}.data_type ${JSON.stringify(node.data_type)} is not a protocol data type`);
    let value = null;
    if (node.value !== undefined && node.value !== null) {
      try {
        jsonToOpcua(node.data_type, node.value);
        value = node.value;
      } catch (err) {
        throw new ConfigError(`${where}.value: ${err.message}`);
      }
    }
    return { h, nodeIdText: node.node_id, path, dataType: node.data_type, writable: node.writable === true, value };
  });
  // browse paths name one variable each, and a variable is no folder of another
  const paths = new Map();
  c.nodes.forEach((node, index) => {
    const key = node.path.join("\u0000");
    if (paths.has(key)) {
      throw new ConfigError(`nodes[${index}].browse_path ${node.path.join("/")} is also the path of nodes[${paths.get(key)}]`);
    }
    paths.set(key, index);
  });
  c.nodes.forEach((node, index) => {
    for (let n = 1; n < node.path.length; n += 1) {
      const prefix = node.path.slice(0, n).join("\u0000");
      if (paths.has(prefix)) {
        throw new ConfigError(`nodes[${index}].browse_path ${node.path.join("/")} goes through the variable nodes[${paths.get(prefix)}]`);
      }
    }
  });
  return c;
}

/** Rejects (e.g. EADDRINUSE) if host:port cannot be listened on right now: a quick check before the slow
 * start of the server role. */
export function probePort(host, port) {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
