import type { Activity } from "../../core/activities.js";
import { formatWindow } from "../../notify/templates.js";
import { escape, qrSvg } from "./certificate.js";

/**
 * The sign-in poster of an activity, made for A4: its title, time and place, and a QR code to
 * the web app's check-in page carrying the token only the poster holds. The link is printed under
 * the code for phones that cannot scan. Staff print it from the app; nobody else is shown it.
 */
export async function posterPage(
  a: Activity,
  communityName: string,
  checkInUrl: string,
  rules: { fenceRadiusMeters: number; checkInGraceMinutes: number },
) {
  const qr = await qrSvg(checkInUrl);
  const style = `
@page{size:A4;margin:12mm}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;color:#111;margin:0;background:#f4f1ea}
main{background:#fff;margin:16px auto;padding:16mm;max-width:210mm;min-height:297mm;box-sizing:border-box;text-align:center}
@media print{body{background:none}main{margin:0;padding:0;max-width:none;min-height:0}.noprint{display:none}}
.org{font-size:14pt;color:#444;margin:0}
h1{font-size:30pt;margin:6mm 0}
.when,.where{font-size:16pt;margin:2mm 0}
.qr{width:120mm;height:120mm;margin:10mm auto 4mm}
.qr svg{width:100%;height:100%}
.scan{font-size:16pt;font-weight:bold;margin:2mm 0}
.link{font-family:monospace;font-size:9pt;word-break:break-all;color:#333;margin:4mm 10mm}
.rules{font-size:11pt;color:#444;margin-top:8mm}
button{font-size:14pt;padding:8px 24px;margin-bottom:8mm}`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(a.title)} · 签到</title><style>${style}</style></head><body><main>
<p class="noprint"><button type="button" id="print">打印 Print</button></p>
<p class="org">${escape(communityName)}</p>
<h1>${escape(a.title)}</h1>
<p class="when">时间：${escape(formatWindow(a.window, "zh-CN"))}</p>
<p class="where">地点：${escape(a.address)}</p>
<div class="qr" role="img" aria-label="签到二维码 Check-in QR code">${qr}</div>
<p class="scan">微信或手机相机扫码签到、签退</p>
<p class="link">${escape(checkInUrl)}</p>
<p class="rules">请在活动地点 ${rules.fenceRadiusMeters} 米范围内签到、签退；开始 ${rules.checkInGraceMinutes} 分钟后不再签到，结束前不得提前签退。</p>
</main><script>document.getElementById("print").addEventListener("click",()=>window.print())</script></body></html>`;
}
