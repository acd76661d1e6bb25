/**
 * Stands in for `elkjs/lib/elk.bundled.js` in the browser build (see vite.config.ts):
 * the same ELK class, but running the layout in a Web Worker. ELK takes about a second
 * on 300 states and must not freeze the page; the 1.6 MB engine also leaves the main
 * bundle and loads with the worker. Tests (jsdom, no Worker) keep the bundled ELK.
 */
import ELKApi from "elkjs/lib/elk-api.js";
import elkWorkerUrl from "elkjs/lib/elk-worker.min.js?url";

type ApiOptions = ConstructorParameters<typeof ELKApi>[0];

export default class ELK extends ELKApi {
  constructor(options: ApiOptions = {}) {
    super({ workerUrl: elkWorkerUrl, ...options });
  }
}
