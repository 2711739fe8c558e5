// The simulator in a process of its own, so a benchmark measures the bridge's memory alone. The parent
// drives it over IPC: {clock} sets the simulated time, {fault} switches the fault, {requests} returns the log.
import { startSimulator } from '../dist/demo/index.js';

const clock = { now: Number(process.env.SIM_START_MS ?? Date.now()) };
const simulator = await startSimulator({
  apiKey: process.env.SIM_API_KEY,
  deployments: Number(process.env.SIM_DEPLOYMENTS ?? 6),
  now: () => clock.now,
});
process.on('message', async (msg) => {
  if ('clock' in msg) clock.now = msg.clock;
  if ('fault' in msg) await simulator.setFault(msg.fault ?? undefined);
  if ('requests' in msg) return process.send({ requests: simulator.requests.map((r) => r.atMs) });
  if ('close' in msg) {
    await simulator.close();
    return process.exit(0);
  }
  process.send({ ack: true });
});
process.send({ url: simulator.url });
