// A real SMTP server (the smtp-server package, from the Nodemailer project) on 127.0.0.1 for the
// e-mail delivery tests in ../email_delivery_test.cpp. CommonJS so require() finds smtp-server in
// tests/node_modules (and in NODE_PATH when developing outside the tree).
//
// Usage: node smtp_peer.cjs '<options as JSON>'
//   tls: {key, cert}          PEM files for STARTTLS / implicit TLS (STARTTLS is hidden without them)
//   secure: bool              implicit TLS from the first byte
//   hideSTARTTLS, hide8BITMIME: bool
//   auth: {username, password, methods: ["PLAIN", "LOGIN"]}   require AUTH (only after TLS)
//   tempfailMailFrom: n       answer the first n MAIL FROM with 451
//   rejectRecipients: [addr]  answer RCPT TO for these with 550
// Prints one JSON object per line on stdout: {"event": "listening", "port"} first, then "auth",
// "mail", "rcpt" and "message" events (message data in base64, exactly as received after the
// server removed the dot-stuffing), and "close" when a client connection has ended: after it, every
// event of that session has been printed.
'use strict';
const fs = require('node:fs');
const { SMTPServer } = require('smtp-server');

const options = JSON.parse(process.argv[2] || '{}');
const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n');
const smtpError = (code, text) => Object.assign(new Error(text), { responseCode: code });
let mailFromCount = 0;

const server = new SMTPServer({
  secure: Boolean(options.secure),
  key: options.tls ? fs.readFileSync(options.tls.key) : undefined,
  cert: options.tls ? fs.readFileSync(options.tls.cert) : undefined,
  hideSTARTTLS: Boolean(options.hideSTARTTLS) || !options.tls,
  hide8BITMIME: Boolean(options.hide8BITMIME),
  authMethods: options.auth ? options.auth.methods : ['PLAIN', 'LOGIN'],
  authOptional: !options.auth,
  disabledCommands: options.auth ? [] : ['AUTH'],
  allowInsecureAuth: false,
  logger: false,
  onAuth(auth, session, callback) {
    emit({ event: 'auth', method: auth.method, username: auth.username, secure: session.secure });
    if (auth.username === options.auth.username && auth.password === options.auth.password) {
      return callback(null, { user: auth.username });
    }
    return callback(smtpError(535, 'Authentication credentials invalid'));
  },
  onMailFrom(address, session, callback) {
    mailFromCount += 1;
    emit({ event: 'mail', address: address.address, args: address.args || {}, secure: session.secure });
    if (mailFromCount <= (options.tempfailMailFrom || 0)) return callback(smtpError(451, 'Try again later'));
    return callback();
  },
  onRcptTo(address, session, callback) {
    emit({ event: 'rcpt', address: address.address });
    if ((options.rejectRecipients || []).includes(address.address)) return callback(smtpError(550, 'No such user here'));
    return callback();
  },
  onClose() {
    emit({ event: 'close' });
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      emit({
        event: 'message',
        mailFrom: session.envelope.mailFrom.address,
        mailFromArgs: session.envelope.mailFrom.args || {},
        rcptTo: session.envelope.rcptTo.map((recipient) => recipient.address),
        heloName: session.hostNameAppearsAs,
        secure: session.secure,
        user: session.user || null,
        transmissionType: session.transmissionType,
        data: Buffer.concat(chunks).toString('base64'),
      });
      callback(null, 'Queued as test-1');
    });
  },
});
server.on('error', (error) => emit({ event: 'error', message: error.message }));
server.listen(0, '127.0.0.1', () => emit({ event: 'listening', port: server.server.address().port }));
process.on('SIGTERM', () => process.exit(0));
// The test holds our stdin open; when it ends (even by crashing) so do we, leaving no orphan.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
