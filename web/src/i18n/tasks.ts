import { messages } from "./index";

/** The volunteer's task list's messages. */
export const tTasks = messages(
  {
    "tasks.credited": "记了 {d}",
    "tasks.noShow": "没有签到，记 0 分钟",
    "tasks.thanks": "居民评价 {n} 颗星",
    "tasks.title": "我的任务",
    "tasks.empty": "还没有认领任务。在心愿大厅挑一个离您近的心愿，点「我来帮忙」。",
    "tasks.emptyNext": "去心愿大厅",
    "tasks.claimedAt": "{at} 认领",
    "tasks.dispatched": "社区派单",
    "tasks.nextCheckIn": "去签到",
    "tasks.nextCheckOut": "去签退",
    "tasks.nextComplete": "报告完成",
  },
  {
    "tasks.credited": "{d} credited",
    "tasks.noShow": "Never checked in: 0 min credited",
    "tasks.thanks": "The resident's rating: {n} stars",
    "tasks.title": "My tasks",
    "tasks.empty": 'No tasks yet. Pick a wish near you in the hall and tap "I\'ll help".',
    "tasks.emptyNext": "Go to the wish hall",
    "tasks.claimedAt": "claimed {at}",
    "tasks.dispatched": "assigned by the community",
    "tasks.nextCheckIn": "Check in",
    "tasks.nextCheckOut": "Check out",
    "tasks.nextComplete": "Report it done",
  },
);
