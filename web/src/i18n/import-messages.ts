import { messages } from "./index";

/** The CSV import page's messages. */
export const tImport = messages(
  {
    "import.title": "导入志愿者",
    "import.hint": "CSV 文件，每行：手机号, 姓名, 支部。支部不存在会新建；有问题的行不导入，下面会列出原因。",
    "import.file": "CSV 文件",
    "import.send": "导入",
    "import.done": "导入完成。",
    "import.report": "导入结果",
    "import.rows": "行数",
    "import.created": "新增",
    "import.updated": "更新",
    "import.unchanged": "没有变化",
    "import.branches": "新建的支部",
    "import.noneRefused": "每一行都导入了。",
    "import.refused": "{n} 行没有导入：",
    "import.refusedRow": "第 {row} 行（{phone}）：{reason}",
  },
  {
    "import.title": "Import members",
    "import.hint":
      "A CSV file, one row each: phone, name, branch. New branches are created; rows with problems are left out and listed below with " +
      "the reason.",
    "import.file": "CSV file",
    "import.send": "Import",
    "import.done": "Import finished.",
    "import.report": "What was imported",
    "import.rows": "Rows",
    "import.created": "Added",
    "import.updated": "Updated",
    "import.unchanged": "Unchanged",
    "import.branches": "New branches",
    "import.noneRefused": "Every row was imported.",
    "import.refused": "{n} rows were not imported:",
    "import.refusedRow": "Row {row} ({phone}): {reason}",
  },
);
