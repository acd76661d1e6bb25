/**
 * The strings of the data pages (executions list, functions, roles, endpoints, dashboard,
 * schedules, connections, alerts, audit), in English and Simplified Chinese. They are
 * spread into the app's dictionaries in `../i18n/messages.ts`, so `t()` knows them and a
 * key missing from either language is a compile error there.
 */
export const pagesEn = {
  "nav.schedules": "Schedules",
  "nav.connections": "Connections",
  "nav.alerts": "Alerts",
  "nav.audit": "Audit log",
  "page.schedules.lead": "Start workflows on a cron expression or at a fixed rate.",
  "page.connections.lead": "Named credentials for HTTP Tasks. Secrets can be set or replaced, never read back.",
  "page.alerts.lead": "Alert rules on workflows, and the alerts they fired.",
  "page.audit.lead": "Who did what, when and through which client.",
};

export const pagesZh: Record<keyof typeof pagesEn, string> = {
  "nav.schedules": "定时",
  "nav.connections": "连接",
  "nav.alerts": "告警",
  "nav.audit": "审计日志",
  "page.schedules.lead": "按 cron 表达式或固定间隔启动工作流。",
  "page.connections.lead": "HTTP 任务使用的具名凭据。密钥只能设置或替换，不能读回。",
  "page.alerts.lead": "工作流的告警规则，以及已触发的告警。",
  "page.audit.lead": "谁在何时通过哪个客户端做了什么。",
};
