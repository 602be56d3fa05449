// The chat commands of the stable contract (Chinese and English, with or without a slash): pure data,
// read by the help card and by the bot's parser (src/bot/commands.ts).
export const COMMANDS = {
  help: { zh: '帮助', en: 'help', summary: '查看我能做什么' },
  apply: { zh: '申报', en: 'apply', summary: '选择项目，按步骤填写并提交申报书' },
  status: { zh: '进度', en: 'status', summary: '查看我的申报进度' },
  todo: { zh: '待办', en: 'todo', summary: '查看待我审核或评分的申报' },
  broadcast: { zh: '通知', en: 'broadcast', summary: '向群聊发布通知' },
  stats: { zh: '统计', en: 'stats', summary: '查看申报与评审统计' },
  export: { zh: '导出', en: 'export', summary: '导出申报表、一览表和评分表' },
  evaluate: { zh: '评估', en: 'evaluate', summary: '年度绩效评估' },
  role: { zh: '角色', en: 'role', summary: '授予或撤销评审、专家、管理员角色' },
  programmes: { zh: '项目', en: 'programmes', summary: '上传项目文件，开放、截止或复制项目到新一年' },
  claim: { zh: '认领', en: 'claim', summary: '工作室联系人：发送“认领 认领码”认领管理员登记的工作室' },
  erase: { zh: '删除个人信息', en: 'erase', summary: '按申报人的请求删除其个人信息：发送“删除个人信息 申报编号”' },
} as const;

export type CommandName = keyof typeof COMMANDS;
