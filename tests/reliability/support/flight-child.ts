/**
 * A leader to kill: streams one request through a `flightProcess` and prints
 * `first` once the first event reached its caller, then keeps streaming
 * until it is SIGKILLed. Usage: flight-child.ts <redis-url> <namespace> <baseURL> <label> <leaseMs>
 */
import { flightProcess, flightRequest, watchStream } from "./flight-process.js";

const [url, namespace, baseURL, label, leaseMs] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const proc = await flightProcess(url, namespace, baseURL, Number(leaseMs));
await watchStream(proc.client.stream(flightRequest(label)), () => process.stdout.write("first\n"));
process.stdout.write("done\n");
await proc.close();
process.exit(0);
