import { messages } from "./index";

/** The county, street and community dashboard's messages. */
export const tUnits = messages(
  {
    "units.title": "{name} · 数据看板",
    "units.county": "县（区）",
    "units.street": "街道（乡镇）",
    "units.community": "社区（村）",
    "units.ranked": "社区排名（按志愿时长）",
    "units.row": "{h} 小时 · {n} 人次",
    "units.noRanking": "这个月还没有核验过的时长。",
    "units.idle": "另有 {n} 个社区这个月还没有核验过的时长。",
    "units.streets": "下辖街道（乡镇）",
    "units.communities": "下辖社区（村）",
    "units.up": "返回上一级",
    "units.readOnly": "只读：这里只看数据，心愿由社区工作人员处理。",
    "units.manage": "组织管理",
  },
  {
    "units.title": "{name} · Dashboard",
    "units.county": "County",
    "units.street": "Street",
    "units.community": "Community",
    "units.ranked": "Communities ranked by hours",
    "units.row": "{h} hours · {n} person-times",
    "units.noRanking": "No verified hours this month yet.",
    "units.idle": "{n} more communities have no verified hours this month.",
    "units.streets": "Streets",
    "units.communities": "Communities",
    "units.up": "Up one level",
    "units.readOnly": "Read only: the figures are here to see; the community's staff handle its wishes.",
    "units.manage": "Organisation",
  },
);
