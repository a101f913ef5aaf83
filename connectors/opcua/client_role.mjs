// Role "client": an OPC UA client reading a server for Strata (docs/connector-protocol.md, Role "client").
//
// Reconnection is done here, not by node-opcua: on any sign that the connection or the session is gone
// (connection_lost, close, session closed, keepalive failure, subscription terminated) the whole
// client + session + subscriptions is torn down and rebuilt after an exponential backoff. That covers a
// server restart (new process, sessions lost), which node-opcua's own reconnection does not always repair.

import opcua from "node-opcua";
import { makePkiFolder, certificatesInDir, applicationUriOf } from "./pki.mjs";
import { parseClientConfig } from "./config.mjs";
import { isDataType, toVariant, variantToJson, variantTypeName, quality, statusName, timeMs, ValueError } from "./values.mjs";

const {
  OPCUAClient,
  OPCUACertificateManager,
  MessageSecurityMode,
  SecurityPolicy,
  UserTokenType,
  ClientSubscription,
  ClientMonitoredItemGroup,
  TimestampsToReturn,
  AttributeIds,
  BrowseDirection,
  NodeClass,
  DataType,
  resolveNodeId,
} = opcua;

const DEFAULT_APPLICATION_URI = "urn:strata:connector:client";
const VALUES_PER_FRAME = 5000;
const CHUNK = 1000; // items per CreateMonitoredItems / nodes per Read or Browse call (capped by server limits)
const MAX_BROWSE_NODES = 100000;
const DISCONNECT_TIMEOUT_MS = 2000;
const CONNECT_TIMEOUT_MS = 20000;

export function create({ config, name, send, log }) {
  const parsed = parseClientConfig(config);
  for (const item of parsed.items) {
    item.nodeId = null;
    item.nodeIdError = null;
    try {
      item.nodeId = resolveNodeId(item.nodeIdText);
    } catch (err) {
      item.nodeIdError = `BadNodeIdInvalid: ${item.nodeIdText}: ${errorText(err)}`;
    }
  }
  return new ClientRole(parsed, name, send, log);
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function errorText(err) {
  if (!err) return "unknown error";
  const message = err.message || String(err);
  return message.replace(/\s+/g, " ").trim();
}

class NotConnected extends Error {
  constructor() {
    super("BadNotConnected: no session with the server");
  }
}

class ClientRole {
  constructor(config, name, send, log) {
    this.roleName = "client";
    this.config = config;
    this.name = name;
    this.send = send;
    this.log = log;
    this.state = null; // last reported connection state
    this.stateMessage = null;
    this.stopped = false;
    this.generation = 0; // bumped on every teardown; events of older generations are ignored
    this.client = null;
    this.session = null;
    this.subscriptions = [];
    this.pendingValues = [];
    this.flushScheduled = false;
    this.wake = null; // resolves the current backoff sleep or the wait for loss
    this.limits = { monitoredItems: CHUNK, read: CHUNK, browse: CHUNK };
    this.applicationUri = (config.certificateFile && applicationUriOf(config.certificateFile)) || DEFAULT_APPLICATION_URI;
  }

  async start() {
    this.pki = makePkiFolder(`client-${this.name}`);
    this.certificateManager = new OPCUACertificateManager({
      rootFolder: this.pki,
      automaticallyAcceptUnknownCertificate: false,
      disableFileWatchers: true,
    });
    await this.certificateManager.initialize();
    if (this.config.trustedDir) {
      const certs = certificatesInDir(this.config.trustedDir);
      for (const { der, x509 } of certs) {
        await this.certificateManager.trustCertificate(der);
        if (x509.ca) await this.certificateManager.addIssuer(der, false, true).catch(() => {});
      }
      this.log("info", `trusting ${certs.length} server certificate(s) from ${this.config.trustedDir}`);
    }
    this.loop().catch((err) => this.log("error", `connection loop ended: ${errorText(err)}`));
  }

  async stop() {
    this.stopped = true;
    this.wakeUp();
    await this.teardown();
  }

  wakeUp() {
    const wake = this.wake;
    this.wake = null;
    if (wake) wake();
  }

  setState(state, message) {
    if (state === this.state && message === this.stateMessage) return;
    this.state = state;
    this.stateMessage = message;
    this.send({ type: "connection", state, message }); // Strata logs it: no `log` message as well
  }

  async loop() {
    let delay = this.config.reconnectInitial;
    while (!this.stopped) {
      let reason;
      try {
        const lost = await this.connectOnce();
        delay = this.config.reconnectInitial;
        reason = await lost;
      } catch (err) {
        reason = errorText(err);
      }
      // stop taking values of this connection, tell Strata at once, then close (which may take a while)
      this.generation += 1;
      this.pendingValues = [];
      if (!this.stopped) this.setState("disconnected", reason);
      await this.teardown();
      if (this.stopped) break;
      await new Promise((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, delay);
      });
      this.wake = null;
      delay = Math.min(delay * 2, this.config.reconnectMax);
    }
  }

  /** Connects, creates the session and the subscriptions; returns a promise of the reason it was lost. */
  async connectOnce() {
    const generation = this.generation;
    const c = this.config;
    let lostResolve;
    const lost = new Promise((resolve) => {
      lostResolve = resolve;
    });
    let lostOnce = false;
    const onLost = (reason) => {
      if (lostOnce || generation !== this.generation) return;
      lostOnce = true;
      lostResolve(reason);
    };
    this.onLost = onLost;

    const client = OPCUAClient.create({
      applicationName: "Strata OPC UA connector",
      applicationUri: this.applicationUri,
      clientName: this.name,
      endpointMustExist: false,
      securityMode: MessageSecurityMode[c.securityMode],
      securityPolicy: SecurityPolicy[c.securityPolicy],
      certificateFile: c.certificateFile ?? undefined,
      privateKeyFile: c.privateKeyFile ?? undefined,
      clientCertificateManager: this.certificateManager,
      connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 1000 },
      requestedSessionTimeout: c.sessionTimeout,
      keepSessionAlive: true,
    });
    this.client = client;
    client.on("connection_lost", () => onLost("connection lost"));
    client.on("close", (err) => onLost(err ? `connection closed: ${errorText(err)}` : "connection closed"));

    // connect() rejects on failure; a loss while connecting must also end the attempt
    const guard = lost.then((reason) => {
      throw new Error(reason);
    });
    guard.catch(() => {});
    await Promise.race([withTimeout(client.connect(c.endpoint), CONNECT_TIMEOUT_MS, "connect"), guard]);
    const identity = c.user
      ? { type: UserTokenType.UserName, userName: c.user, password: c.password }
      : { type: UserTokenType.Anonymous };
    let session;
    try {
      session = await Promise.race([client.createSession(identity), guard]);
    } catch (err) {
      throw new Error(`session refused: ${errorText(err)}`);
    }
    if (generation !== this.generation) throw new Error("stopped");
    this.session = session;
    session.on("session_closed", (statusCode) => onLost(`session closed (${statusName(statusCode)})`));
    session.on("keepalive_failure", () => onLost("session keepalive failed"));
    this.setState("connected", `session established with ${c.endpoint}`);

    await Promise.race([this.readLimits(session).then(() => this.createSubscriptions(session, generation, onLost)), guard]);
    return lost;
  }

  async readLimits(session) {
    // Server OperationLimits: MaxMonitoredItemsPerCall, MaxNodesPerRead, MaxNodesPerBrowse (0 = no limit)
    try {
      const ids = ["ns=0;i=11714", "ns=0;i=11705", "ns=0;i=11710"];
      const dvs = await session.read(ids.map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value })));
      const pick = (dv) => (dv.statusCode.isGood() && typeof dv.value.value === "number" && dv.value.value > 0 ? Math.min(dv.value.value, CHUNK) : CHUNK);
      this.limits = { monitoredItems: pick(dvs[0]), read: pick(dvs[1]), browse: pick(dvs[2]) };
    } catch {
      this.limits = { monitoredItems: CHUNK, read: CHUNK, browse: CHUNK };
    }
  }

  async createSubscriptions(session, generation, onLost) {
    const byInterval = new Map();
    for (const item of this.config.items) {
      if (item.nodeIdError) {
        this.send({ type: "item_error", h: item.h, message: item.nodeIdError });
        continue;
      }
      if (!byInterval.has(item.publishing)) byInterval.set(item.publishing, []);
      byInterval.get(item.publishing).push(item);
    }
    for (const [interval, items] of byInterval) {
      if (generation !== this.generation) return;
      const keepAlive = Math.max(3, Math.min(1000, Math.ceil(10000 / interval)));
      const subscription = ClientSubscription.create(session, {
        requestedPublishingInterval: interval,
        requestedLifetimeCount: keepAlive * 6,
        requestedMaxKeepAliveCount: keepAlive,
        maxNotificationsPerPublish: 0,
        publishingEnabled: true,
        priority: 10,
      });
      this.subscriptions.push(subscription);
      subscription.on("error", (err) => this.log("debug", `subscription (${interval} ms): ${errorText(err)}`));
      try {
        await new Promise((resolve, reject) => {
          subscription.once("started", resolve);
          subscription.once("error", reject);
          subscription.once("internal_error", reject);
          subscription.once("terminated", () => reject(new Error("subscription terminated")));
        });
      } catch (err) {
        for (const item of items) this.send({ type: "item_error", h: item.h, message: `subscription failed: ${errorText(err)}` });
        continue;
      }
      subscription.on("terminated", () => onLost(`subscription (${interval} ms) terminated`));
      this.watch(subscription, interval, keepAlive, generation, onLost);
      subscription.on("internal_error", (err) => onLost(`subscription (${interval} ms) error: ${errorText(err)}`));
      // one CreateMonitoredItems call per sampling interval and chunk
      const bySampling = new Map();
      for (const item of items) {
        if (!bySampling.has(item.sampling)) bySampling.set(item.sampling, []);
        bySampling.get(item.sampling).push(item);
      }
      for (const [sampling, group] of bySampling) {
        for (let i = 0; i < group.length; i += this.limits.monitoredItems) {
          if (generation !== this.generation) return;
          await this.monitor(subscription, group.slice(i, i + this.limits.monitoredItems), sampling, generation);
        }
      }
    }
  }

  /**
   * Watchdog: the server answers a subscription's publish requests at least once per keep-alive period
   * (publishing interval x max keep-alive count). When nothing comes for twice that (+5 s), the session or
   * the subscription is gone without the connection saying so (e.g. a session node-opcua re-created by
   * itself): rebuild everything.
   */
  watch(subscription, interval, keepAlive, generation, onLost) {
    let last = Date.now();
    const touch = () => {
      last = Date.now();
    };
    subscription.on("keepalive", touch);
    subscription.on("received_notifications", touch);
    const limit = 2 * interval * keepAlive + 5000;
    const timer = setInterval(() => {
      if (generation !== this.generation) {
        clearInterval(timer);
        return;
      }
      if (Date.now() - last > limit) {
        clearInterval(timer);
        onLost(`no publish response for subscription (${interval} ms) in ${Math.round(limit / 1000)} s`);
      }
    }, Math.min(5000, Math.max(500, interval)));
    timer.unref();
  }

  async monitor(subscription, items, sampling, generation) {
    const group = ClientMonitoredItemGroup.create(
      subscription,
      items.map((item) => ({ nodeId: item.nodeId, attributeId: AttributeIds.Value })),
      { samplingInterval: sampling, queueSize: 1, discardOldest: true },
      TimestampsToReturn.Both,
    );
    group.on("changed", (_monitoredItem, dataValue, index) => {
      if (generation !== this.generation) return;
      this.queueValue(items[index].h, dataValue);
    });
    try {
      await new Promise((resolve, reject) => {
        group.once("initialized", resolve);
        group.once("err", (message) => reject(new Error(message)));
        group.once("terminated", (err) => reject(err || new Error("monitored items terminated")));
      });
    } catch (err) {
      if (generation === this.generation) {
        for (const item of items) this.send({ type: "item_error", h: item.h, message: errorText(err) });
      }
      return;
    }
    group.monitoredItems.forEach((monitoredItem, index) => {
      const status = monitoredItem.statusCode;
      if (status && status.isNotGood && status.isNotGood()) {
        this.send({ type: "item_error", h: items[index].h, message: statusName(status) });
      }
    });
  }

  queueValue(h, dataValue) {
    this.pendingValues.push({
      h,
      v: variantToJson(dataValue.value),
      q: quality(dataValue.statusCode),
      t: timeMs(dataValue.sourceTimestamp),
    });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushValues());
    }
  }

  flushValues() {
    this.flushScheduled = false;
    const values = this.pendingValues;
    this.pendingValues = [];
    for (let i = 0; i < values.length; i += VALUES_PER_FRAME) {
      this.send({ type: "values", items: values.slice(i, i + VALUES_PER_FRAME) });
    }
  }

  async teardown() {
    this.generation += 1;
    const client = this.client;
    const session = this.session;
    this.client = null;
    this.session = null;
    this.subscriptions = [];
    this.pendingValues = [];
    if (!client) return;
    try {
      if (session) await withTimeout(session.close(true), DISCONNECT_TIMEOUT_MS / 2, "CloseSession").catch(() => {});
      await withTimeout(client.disconnect(), DISCONNECT_TIMEOUT_MS, "disconnect");
    } catch (err) {
      this.log("debug", `disconnect: ${errorText(err)}`);
    }
  }

  // ---- requests ----

  handle(message) {
    switch (message.type) {
      case "write":
        this.request(message, () => this.write(message));
        return true;
      case "read":
        this.request(message, () => this.read(message));
        return true;
      case "browse":
        this.request(message, () => this.browse(message));
        return true;
      default:
        return false;
    }
  }

  request(message, run) {
    const id = message.id;
    if (!Number.isInteger(id)) {
      this.log("warn", `${message.type} request without an integer id; ignored`);
      return;
    }
    Promise.resolve()
      .then(run)
      .then(
        (fields) => this.send({ type: "result", id, ok: true, ...fields }),
        (err) => this.send({ type: "result", id, ok: false, message: errorText(err) }),
      );
  }

  requireSession() {
    if (!this.session || this.state !== "connected") throw new NotConnected();
    return this.session;
  }

  async write(message) {
    const nodeId = parseNodeId(message.node_id);
    if (!isDataType(message.data_type)) throw new ValueError(`unknown data_type ${JSON.stringify(message.data_type)}`);
    const variant = toVariant(message.data_type, message.value);
    const session = this.requireSession();
    const status = await session.write({ nodeId, attributeId: AttributeIds.Value, value: { value: variant } });
    if (!status.isGood()) throw new Error(statusName(status));
    return {};
  }

  async read(message) {
    if (!Array.isArray(message.node_ids)) throw new Error("node_ids must be an array of node id strings");
    const nodeIds = message.node_ids.map(parseNodeId);
    const session = this.requireSession();
    const values = [];
    for (let i = 0; i < nodeIds.length; i += this.limits.read) {
      const chunk = nodeIds.slice(i, i + this.limits.read).map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value }));
      const dataValues = await session.read(chunk, 0);
      for (const dv of dataValues) {
        const entry = { v: variantToJson(dv.value), q: quality(dv.statusCode), t: timeMs(dv.sourceTimestamp), data_type: variantTypeName(dv.value) };
        if (entry.q === "bad") entry.status = statusName(dv.statusCode);
        values.push(entry);
      }
    }
    return { values };
  }

  async browse(message) {
    const root = parseNodeId(message.node_id ?? "ns=0;i=85");
    const depth = message.depth === undefined ? 1 : message.depth;
    if (!Number.isInteger(depth) || depth < 1) throw new Error("depth must be an integer >= 1");
    const session = this.requireSession();
    const rootEntry = { children: [] };
    let level = [{ nodeId: root, entry: rootEntry }];
    const visited = new Set([root.toString()]);
    let count = 0;
    const variables = [];
    for (let d = 0; d < depth && level.length; d += 1) {
      const next = [];
      for (let i = 0; i < level.length; i += this.limits.browse) {
        const chunk = level.slice(i, i + this.limits.browse);
        const results = await browseAll(session, chunk.map((n) => n.nodeId));
        results.forEach(({ status, references }, k) => {
          if (!status.isGood()) {
            if (d === 0) throw new Error(statusName(status));
            return; // a child that cannot be browsed is listed without children
          }
          for (const ref of references) {
            count += 1;
            if (count > MAX_BROWSE_NODES) throw new Error(`BadTooManyOperations: more than ${MAX_BROWSE_NODES} nodes; browse with a smaller depth`);
            const id = ref.nodeId.toString();
            const node = {
              node_id: id,
              browse_name: ref.browseName.toString(),
              display_name: ref.displayName?.text ?? ref.browseName.name ?? "",
              node_class: NodeClass[ref.nodeClass] ?? String(ref.nodeClass),
            };
            if (ref.nodeClass === NodeClass.Variable) variables.push({ node, nodeId: ref.nodeId });
            chunk[k].entry.children.push(node);
            if (d + 1 < depth && !visited.has(id)) {
              // a node reached twice (several parents, or a loop) is expanded once
              visited.add(id);
              node.children = [];
              next.push({ nodeId: ref.nodeId, entry: node });
            }
          }
        });
      }
      level = next;
    }
    await this.fillDataTypes(session, variables);
    return { nodes: rootEntry.children };
  }

  async fillDataTypes(session, variables) {
    const typeIds = [];
    for (let i = 0; i < variables.length; i += this.limits.read) {
      const chunk = variables.slice(i, i + this.limits.read);
      const dvs = await session.read(chunk.map((v) => ({ nodeId: v.nodeId, attributeId: AttributeIds.DataType })));
      dvs.forEach((dv) => typeIds.push(dv.statusCode.isGood() ? dv.value.value : null));
    }
    // ns=0 built-in types by enum name; others by the data type node's browse name
    const names = new Map();
    const unknown = [];
    for (const typeId of typeIds) {
      if (!typeId) continue;
      const key = typeId.toString();
      if (names.has(key)) continue;
      if (typeId.namespace === 0 && typeof typeId.value === "number" && DataType[typeId.value] && typeId.value <= 25) {
        names.set(key, DataType[typeId.value]);
      } else {
        names.set(key, null);
        unknown.push(typeId);
      }
    }
    for (let i = 0; i < unknown.length; i += this.limits.read) {
      const chunk = unknown.slice(i, i + this.limits.read);
      const dvs = await session.read(chunk.map((nodeId) => ({ nodeId, attributeId: AttributeIds.BrowseName })));
      dvs.forEach((dv, k) => {
        if (dv.statusCode.isGood() && dv.value.value) names.set(chunk[k].toString(), dv.value.value.name);
      });
    }
    variables.forEach((v, i) => {
      v.node.data_type = typeIds[i] ? names.get(typeIds[i].toString()) ?? typeIds[i].toString() : null;
    });
  }
}

function parseNodeId(text) {
  if (typeof text !== "string") throw new Error(`BadNodeIdInvalid: node id must be a string, got ${JSON.stringify(text)}`);
  try {
    return resolveNodeId(text);
  } catch (err) {
    throw new Error(`BadNodeIdInvalid: ${text}: ${errorText(err)}`);
  }
}

/** Forward hierarchical references of each node, following continuation points. */
async function browseAll(session, nodeIds) {
  const descriptions = nodeIds.map((nodeId) => ({
    nodeId,
    referenceTypeId: "HierarchicalReferences",
    includeSubtypes: true,
    browseDirection: BrowseDirection.Forward,
    nodeClassMask: 0,
    resultMask: 63,
  }));
  const results = await session.browse(descriptions);
  const out = [];
  for (const result of results) {
    const references = [...(result.references ?? [])];
    let status = result.statusCode;
    let cp = status.isGood() ? result.continuationPoint : null;
    while (cp && cp.length) {
      const [more] = await session.browseNext([cp], false);
      if (!more.statusCode.isGood()) {
        status = more.statusCode;
        break;
      }
      references.push(...(more.references ?? []));
      cp = more.continuationPoint;
    }
    out.push({ status, references });
  }
  return out;
}
