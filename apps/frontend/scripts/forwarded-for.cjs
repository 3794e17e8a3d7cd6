// The site is a proxy in front of the API, and like every proxy it must add the address of the peer it
// serves to X-Forwarded-For. Next.js only sets that header when it is absent, so a client's own header
// would reach the API as the client's address, and sign-in limits would count whatever a client claims.
// Loaded before Next's server: copy-static-into-standalone.mjs puts it at the top of server.js.
const http = require('node:http');

const createServer = http.createServer;
http.createServer = function createServerAddingForwardedFor(...args) {
  const server = createServer.apply(this, args);
  server.prependListener('request', (request) => {
    const peer = request.socket.remoteAddress;
    if (!peer) return;
    const given = request.headers['x-forwarded-for'];
    request.headers['x-forwarded-for'] = given ? `${given}, ${peer}` : peer;
  });
  return server;
};
