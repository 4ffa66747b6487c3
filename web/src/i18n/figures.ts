import { messages } from "./index";

/** The figures every dashboard shows, community or above: the month, the headline and the wishes. */
export const tFigures = messages(
  {
    "figures.month": "月份",
    "figures.activities": "志愿活动",
    "figures.personTimes": "服务人次",
    "figures.residents": "服务群众",
    "figures.hours": "志愿时长（小时）",
    "figures.submitted": "收到心愿",
    "figures.approved": "通过审核",
    "figures.closed": "完成",
    "figures.rejected": "未通过",
  },
  {
    "figures.month": "Month",
    "figures.activities": "Activities",
    "figures.personTimes": "Person-times",
    "figures.residents": "Residents served",
    "figures.hours": "Volunteer hours",
    "figures.submitted": "Wishes received",
    "figures.approved": "Approved",
    "figures.closed": "Done",
    "figures.rejected": "Not approved",
  },
);
