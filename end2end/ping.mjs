// A Server List Ping by npm's minecraft-protocol (a Minecraft client nobody here wrote), for the
// Rust tests of every exposure mode: `node end2end/ping.mjs <host:port> [<server address>]`
// dials host:port and names <server address> in the handshake (what a player typed: the name
// mc-router routes by), else the host. Prints the server's status as JSON, with `latency`;
// exits 1 with the reason on stderr when no answer came.
import net from 'node:net';
import mc from 'minecraft-protocol';

const [target, name] = process.argv.slice(2);
const at = target?.lastIndexOf(':') ?? -1;
if (at < 1) {
  console.error('usage: node ping.mjs <host:port> [<server address>]');
  process.exit(2);
}
const host = target.slice(0, at);
const port = Number(target.slice(at + 1));
try {
  const status = await mc.ping({
    host: name ?? host,
    port: name ? 25565 : port,
    version: '1.21.4',
    closeTimeout: 5000,
    // the client says `connect` (and sends its handshake) once the socket is connected
    connect: (client) => client.setSocket(net.connect(port, host)),
  });
  console.log(JSON.stringify(status));
} catch (e) {
  console.error(`no answer from ${target}${name ? ` for ${name}` : ''}: ${e.message ?? e}`);
  process.exit(1);
}
