/**
 * A plugin with credential-bearing settings (a DSN, a Slack webhook, a
 * callback with `?token=`) that logs its whole config and every config change
 * through its logger: if any of them were kept in clear, the log would show it.
 */
export default {
  name: "settings-probe",
  version: "1.0.0",
  apiVersion: 1,
  setup(ctx) {
    ctx.logger.info(`configured with ${JSON.stringify(ctx.config)}`, { config: ctx.config });
    ctx.logger.info(`dsn ${ctx.config.dsn} alerts ${ctx.config.alerts}`);
    ctx.hooks.hook("onConfigChange", (payload) => {
      ctx.logger.info("config changed", { payload });
    });
  },
};
