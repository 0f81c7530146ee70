/**
 * A plugin that logs every hook payload through its logger: if a payload
 * carried a key, the plugin log line would show it.
 */
const HOOKS = [
  "beforeRequest",
  "afterResponse",
  "onError",
  "onStreamEvent",
  "onRetry",
  "onFallback",
  "onCacheHit",
  "onCacheMiss",
  "onConfigChange",
];

export default {
  name: "leak-probe",
  version: "1.0.0",
  apiVersion: 1,
  setup(ctx) {
    for (const name of HOOKS) {
      ctx.hooks.hook(name, (payload) => {
        ctx.logger.info(`hook ${name}`, { payload });
      });
    }
  },
};
