// Role "server": an OPC UA server serving Strata's values, for staging
// (docs/connector-protocol.md, Role "server").

import opcua from "node-opcua";
import { hostname } from "node:os";
import { makePkiFolder, applicationUriOf } from "./pki.mjs";
import { ConfigError, parseServerConfig, probePort } from "./config.mjs";
import { toVariant, variantToJson, ValueError } from "./values.mjs";

const {
  OPCUAServer,
  OPCUACertificateManager,
  MessageSecurityMode,
  SecurityPolicy,
  RegisterServerMethod,
  StatusCodes,
  resolveNodeId,
  nodesets,
  Subscription,
} = opcua;

// node-opcua caps a publish response at 1000 notifications; with thousands of variables changing every
// publishing interval that throttles every subscriber to ~1000 values per publish round trip. The staging
// server lifts the cap (the byte budget from the client's max message size still applies).
const MAX_NOTIFICATIONS_PER_PUBLISH = 20000;

const DEFAULT_APPLICATION_URI = "urn:strata:connector:server";
const MAX_SET_WARNINGS = 20;

export function create({ config, name, send, log }) {
  const parsed = parseServerConfig(config);
  const seen = new Set();
  parsed.nodes.forEach((node, index) => {
    const where = `nodes[${index}]`;
    try {
      node.nodeId = resolveNodeId(node.nodeIdText);
    } catch (err) {
      throw new ConfigError(`${where}.node_id ${JSON.stringify(node.nodeIdText)} is not a node id: ${err.message}`);
    }
    if (node.nodeId.namespace !== 1) {
      throw new ConfigError(`${where}.node_id ${node.nodeIdText} must be in ns=1 (the server's own namespace)`);
    }
    const key = node.nodeId.toString();
    if (seen.has(key)) throw new ConfigError(`${where}.node_id ${node.nodeIdText} appears twice`);
    seen.add(key);
  });
  return new ServerRole(parsed, name, send, log);
}

const DEFAULT_VALUES = {
  Boolean: false, SByte: 0, Byte: 0, Int16: 0, UInt16: 0, Int32: 0, UInt32: 0, Int64: "0", UInt64: "0",
  Float: 0, Double: 0, String: "", DateTime: 0,
};

class ServerRole {
  constructor(config, name, send, log) {
    this.roleName = "server";
    this.config = config;
    this.name = name;
    this.send = send;
    this.log = log;
    this.server = null;
    this.variables = new Map(); // h -> { variable, dataType, writable }
    this.settingFromStrata = false;
    this.setWarnings = 0;
    this.early = new Map(); // h -> latest `set` item received before the variables exist
    this.applicationUri = (config.certificateFile && applicationUriOf(config.certificateFile)) || DEFAULT_APPLICATION_URI;
  }

  async start() {
    const c = this.config;
    const t0 = Date.now();
    await probePort(c.host, c.port); // fail fast (EADDRINUSE) before the slow part
    if (Subscription && Subscription.maxNotificationPerPublishHighLimit < MAX_NOTIFICATIONS_PER_PUBLISH) {
      Subscription.maxNotificationPerPublishHighLimit = MAX_NOTIFICATIONS_PER_PUBLISH;
    }
    const pki = makePkiFolder(`server-${this.name}`);
    const certificateManager = new OPCUACertificateManager({
      rootFolder: pki,
      // staging role: every client certificate is accepted (see docs/connector-protocol.md)
      automaticallyAcceptUnknownCertificate: true,
      disableFileWatchers: true,
    });
    const secure = c.securityModes.filter((m) => m !== "None");
    const policies = [];
    if (c.securityModes.includes("None")) policies.push(SecurityPolicy.None);
    if (secure.length) policies.push(SecurityPolicy.Basic256Sha256);
    if (secure.length && !c.certificateFile) {
      this.log("warn", "security offered without certificate_file: using a generated self-signed server certificate");
    }
    const users = c.users;
    const specificHost = c.host !== "0.0.0.0" && c.host !== "::";
    this.server = new OPCUAServer({
      port: c.port,
      host: c.host,
      ...(specificHost ? { hostname: c.host } : {}),
      resourcePath: c.resourcePath,
      securityModes: c.securityModes.map((m) => MessageSecurityMode[m]),
      securityPolicies: policies,
      allowAnonymous: users.size === 0,
      userManager: {
        isValidUser: (userName, password) => users.has(userName) && users.get(userName) === password,
      },
      certificateFile: c.certificateFile ?? undefined,
      privateKeyFile: c.privateKeyFile ?? undefined,
      serverCertificateManager: certificateManager,
      serverInfo: {
        applicationUri: this.applicationUri,
        productUri: "urn:strata:connector:opcua",
        applicationName: { text: `Strata ${this.name}`, locale: "en" },
      },
      buildInfo: { productName: "Strata OPC UA connector", manufacturerName: "Strata" },
      registerServerMethod: RegisterServerMethod.HIDDEN,
      nodeset_filename: [nodesets.standard],
      maxConnectionsPerEndpoint: 100,
      serverCapabilities: { maxSessions: 100 },
    });
    await this.server.initialize();
    const t1 = Date.now();
    const cpu1 = process.cpuUsage();
    // one model-change transaction for all nodes: about twice as fast as adding them one by one
    this.server.engine.addressSpace.modelChangeTransaction(() => this.buildAddressSpace());
    const early = [...this.early.values()];
    this.early = null;
    for (const item of early) this.set(item);
    const t2 = Date.now();
    const nodesCpu = process.cpuUsage(cpu1);
    await this.server.start();
    const displayHost = specificHost ? (c.host.includes(":") ? `[${c.host}]` : c.host) : hostname();
    const endpoint = `opc.tcp://${displayHost}:${c.port}${c.resourcePath}`;
    const t3 = Date.now();
    this.log("info", `listening on ${endpoint} with ${this.variables.size} variables (initialize ${t1 - t0} ms, nodes ${t2 - t1} ms [cpu ${Math.round((nodesCpu.user + nodesCpu.system) / 1000)} ms], listen ${t3 - t2} ms)`);
    this.send({ type: "listening", endpoint });
  }

  buildAddressSpace() {
    const addressSpace = this.server.engine.addressSpace;
    const namespace = addressSpace.getOwnNamespace();
    const objects = addressSpace.rootFolder.objects;
    const variableIds = new Set(this.config.nodes.map((n) => n.nodeId.toString()));
    const folders = new Map(); // "a/b" -> folder node
    const folderFor = (path) => {
      if (path.length === 0) return objects;
      const key = path.join("/");
      let folder = folders.get(key);
      if (folder) return folder;
      const parent = folderFor(path.slice(0, -1));
      let nodeId = `ns=1;s=${key}`;
      while (variableIds.has(nodeId)) nodeId += "/";
      try {
        folder = namespace.addFolder(parent, { browseName: path[path.length - 1], nodeId });
      } catch (err) {
        throw new ConfigError(`cannot create folder ${key}: ${err.message}`);
      }
      folders.set(key, folder);
      return folder;
    };
    for (const node of this.config.nodes) {
      const parent = folderFor(node.path.slice(0, -1));
      const value = toVariant(node.dataType, node.value ?? DEFAULT_VALUES[node.dataType]);
      let variable;
      try {
        variable = namespace.addVariable({
          // the Objects folder relates only by Organizes; folders of our own take components
          ...(parent === objects ? { organizedBy: parent } : { componentOf: parent }),
          nodeId: node.nodeId,
          browseName: node.path[node.path.length - 1],
          dataType: node.dataType,
          accessLevel: node.writable ? "CurrentRead | CurrentWrite" : "CurrentRead",
          userAccessLevel: node.writable ? "CurrentRead | CurrentWrite" : "CurrentRead",
          minimumSamplingInterval: 0,
          value,
        });
      } catch (err) {
        throw new ConfigError(`cannot create variable ${node.nodeId.toString()} (${node.path.join("/")}): ${err.message}`);
      }
      const entry = { variable, dataType: node.dataType, writable: node.writable };
      this.variables.set(node.h, entry);
      if (node.writable) {
        variable.on("value_changed", (dataValue) => {
          if (this.settingFromStrata) return; // a `set` from Strata, not a client write
          this.send({ type: "written", h: node.h, v: variantToJson(dataValue.value) });
        });
      }
    }
  }

  handle(message) {
    if (message.type !== "set") return false;
    if (!Array.isArray(message.items)) {
      this.log("warn", "set without an items array; ignored");
      return true;
    }
    for (const item of message.items) this.set(item);
    return true;
  }

  set(item) {
    if (this.early) {
      // `ready` goes out before the address space is built: keep the latest value per handle until then
      if (item && Number.isInteger(item.h)) this.early.set(item.h, item);
      else this.warnSet(`set: bad item ${JSON.stringify(item)}; ignored`);
      return;
    }
    const entry = item && this.variables.get(item.h);
    if (!entry) {
      this.warnSet(`set: unknown handle ${JSON.stringify(item && item.h)}; ignored`);
      return;
    }
    let variant;
    try {
      variant = toVariant(entry.dataType, item.v);
    } catch (err) {
      this.warnSet(`set h=${item.h}: ${err instanceof ValueError ? err.message : err}; ignored`);
      return;
    }
    const status = item.q === "bad" ? StatusCodes.Bad : item.q === "uncertain" ? StatusCodes.Uncertain : StatusCodes.Good;
    const t = typeof item.t === "number" && Number.isFinite(item.t) ? new Date(item.t) : new Date();
    this.settingFromStrata = true;
    try {
      entry.variable.setValueFromSource(variant, status, t);
    } catch (err) {
      this.warnSet(`set h=${item.h}: ${err.message}; ignored`);
    } finally {
      this.settingFromStrata = false;
    }
  }

  warnSet(message) {
    this.setWarnings += 1;
    if (this.setWarnings <= MAX_SET_WARNINGS) {
      this.log("warn", this.setWarnings === MAX_SET_WARNINGS ? `${message} (further set warnings suppressed)` : message);
    }
  }

  async stop() {
    if (!this.server) return;
    const server = this.server;
    this.server = null;
    await server.shutdown(0);
  }
}
