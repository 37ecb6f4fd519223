// Free loopback ports for tests.
export { freeLoopbackPort as freePort } from "../../bridge/process/free-port.js";
