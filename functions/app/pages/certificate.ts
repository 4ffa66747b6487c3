import QRCode from "qrcode/lib/core/qrcode.js";
import SvgTag from "qrcode/lib/renderer/svg-tag.js";
import type { PublicCertificate } from "../../core/certificates.js";
import { categories } from "../../core/model.js";
import { dayOf } from "../../core/period.js";

/** Everything a person typed reaches the page through this. */
export function escape(s: unknown): string {
  return String(s ?? "").replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}

const hours = (minutes: number) => (Math.round(minutes / 6) / 10).toFixed(1);
const categoryName = (code: string) => categories.find((c) => c.code === code)?.name["zh-CN"] ?? code;

/**
 * The QR code of the verification address, as inline SVG: prints sharp at any size. What
 * `QRCode.toString(url, { type: "svg" })` does, from the encoder and the SVG renderer alone:
 * the package's main entry also loads its PNG renderer (pngjs), about 37 KB of the API's bundle.
 */
export function qrSvg(url: string): Promise<string> {
  const opts = { type: "svg", margin: 0, errorCorrectionLevel: "M" } as const;
  return new Promise((resolve, reject) => {
    try {
      SvgTag.render(QRCode.create(url, opts), opts, (err: Error | null, svg: string) => (err ? reject(err) : resolve(svg)));
    } catch (err) {
      reject(err);
    }
  });
}

const shell = (title: string, style: string, body: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title><style>
body{font-family:"Noto Serif CJK SC","Source Han Serif SC","Songti SC",SimSun,serif;color:#111;margin:0;background:#f4f1ea}
main{background:#fff;margin:16px auto;padding:18mm 16mm;max-width:210mm;box-sizing:border-box}
h1{text-align:center;letter-spacing:.3em;font-size:26pt;margin:0 0 4mm}
.en{font-family:Georgia,serif;color:#555;font-size:9.5pt}
table{width:100%;border-collapse:collapse;font-size:10pt}
th,td{border:1px solid #999;padding:1.6mm 2mm;text-align:left;vertical-align:top}
th{background:#f2f2f2}
td.n{text-align:right;white-space:nowrap}
${style}
</style></head><body><main>${body}</main></body></html>`;

/** What kind of service an entry was, marked on every line: a wish (with its category) or a group activity. */
const kindOf = (e: PublicCertificate["entries"][number]) =>
  e.kind === "activity" ? "集体活动 Activity" : `微心愿 Wish · ${categoryName(e.category ?? "")}`;

/** A service as the public sees it: its day, its kind and category, and its hours. */
const entryCells = (e: PublicCertificate["entries"][number]) =>
  `<td>${escape(e.day)}</td><td>${escape(kindOf(e))}</td><td class="n">${hours(e.minutes)}</td>`;

/**
 * The certificate as it prints on A4: number, holder, issuing community, entries by day, category
 * and hours, and the QR to check it. The page is open to anyone with the number, so it is drawn
 * from the public view alone: no service titles, addresses, times of day or staff names.
 */
export async function certificatePage(cert: PublicCertificate, verifyUrl: string) {
  const rows = cert.entries.map((e, i) => `<tr><td class="n">${i + 1}</td>${entryCells(e)}</tr>`).join("");
  const style = `
@page{size:A4;margin:14mm}
@media print{body{background:none}main{margin:0;padding:0;max-width:none}.noprint{display:none}
thead{display:table-header-group}tr{break-inside:avoid}}
.meta{display:flex;justify-content:space-between;font-size:10pt;margin-bottom:6mm}
.lead{font-size:12.5pt;line-height:1.9;text-indent:2em;margin:0 0 6mm}
.foot{display:flex;justify-content:space-between;align-items:flex-end;margin-top:8mm;font-size:10.5pt;gap:8mm}
.qr{width:32mm;height:32mm}.qr svg{width:100%;height:100%}
.seal{text-align:right;line-height:1.9}
.seal-box{display:inline-flex;align-items:center;justify-content:center;width:38mm;height:38mm;border:1px dashed #b33;
border-radius:50%;color:#b33;font-size:9pt;margin-top:2mm}
.hours-note{font-size:9.5pt;color:#444;margin:3mm 0 0}
.sub{text-align:center;margin-bottom:6mm}
h1,.lead b{white-space:nowrap}
button{font-size:12pt;padding:2mm 6mm;margin-bottom:6mm}
@media screen and (max-width:600px){main{margin:0;padding:20px 14px}h1{font-size:20pt;letter-spacing:.12em}
.meta{flex-direction:column;gap:1mm}.lead{font-size:11.5pt}table{font-size:9pt}th,td{padding:1.2mm 1.2mm}
.foot{flex-direction:column-reverse;align-items:stretch}.seal{text-align:left}.en{overflow-wrap:anywhere}}`;
  const body = `
<div class="noprint"><button type="button" id="print">打印 Print</button></div>
<h1>志愿服务证明</h1>
<div class="en sub">Certificate of Volunteer Service</div>
<div class="meta"><span>证书编号 No. <b data-number>${escape(cert.number)}</b></span><span>开具日期 ${escape(dayOf(cert.issuedAt))}</span></div>
<p class="lead">兹证明 <b>${escape(cert.memberName)}</b> 同志于 ${escape(cert.from)} 至 ${escape(cert.to)} 期间，
在 <b>${escape(cert.communityName)}</b> 参加志愿服务 <b>${cert.entries.length}</b> 次，经社区工作人员核实，
累计服务时长 <b>${hours(cert.totalMinutes)}</b> 小时。服务记录如下。</p>
<table><thead><tr><th>#</th><th>日期 Date</th><th>服务类型 Kind</th><th>核定小时 Credited hours</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr><th colspan="3">合计 Total</th><th class="n">${hours(cert.totalMinutes)}</th></tr></tfoot></table>
<p class="hours-note">时长为社区工作人员核定的服务时长，以签到签退的实测时长为依据，调整须写明原因。
<span class="en">Hours are those credited by community staff, based on the span measured from check-in to check-out; any change
is recorded with its reason.</span></p>
<div class="foot">
<div><div class="qr">${await qrSvg(verifyUrl)}</div><div class="en">扫码核验 Scan to verify<br>${escape(verifyUrl)}</div></div>
<div class="seal">出具单位：${escape(cert.communityName)}<br>
<span class="seal-box">（盖章 Seal）</span></div>
</div>
<script>document.getElementById("print").addEventListener("click", () => print());</script>`;
  // No inline style attributes or handlers: the page's CSP allows exactly its <style> and <script> by hash.
  return shell(`志愿服务证明 ${cert.number}`, style, body);
}

/** What anyone who scans the code sees: that the certificate exists as issued, and what it says. */
export function verificationPage(cert: PublicCertificate) {
  const rows = cert.entries.map((e) => `<tr>${entryCells(e)}</tr>`).join("");
  const body = `
<p class="ok">✔ 证书真实有效 <span class="en">This certificate is genuine</span></p>
<table class="facts"><tbody>
<tr><th>证书编号 Number</th><td>${escape(cert.number)}</td></tr>
<tr><th>志愿者 Volunteer</th><td>${escape(cert.memberName)}</td></tr>
<tr><th>出具单位 Issued by</th><td>${escape(cert.communityName)}</td></tr>
<tr><th>服务期间 Period</th><td>${escape(cert.from)} — ${escape(cert.to)}</td></tr>
<tr><th>服务次数 Services</th><td>${cert.entries.length}</td></tr>
<tr><th>累计时长 Hours</th><td>${hours(cert.totalMinutes)}</td></tr>
<tr><th>开具日期 Issued</th><td>${escape(dayOf(cert.issuedAt))}</td></tr>
</tbody></table>
<h2>服务记录 Services</h2>
<table><thead><tr><th>日期</th><th>类别</th><th>小时</th></tr></thead><tbody>${rows}</tbody></table>`;
  return shell(
    `核验 ${cert.number}`,
    `.ok{font-size:16pt;color:#106b2a;font-weight:bold}.facts{margin-bottom:6mm}.facts th{width:38%}h2{font-size:13pt}`,
    body,
  );
}

export function notFoundPage(number: string) {
  return shell(
    "未找到证书",
    `.bad{font-size:16pt;color:#a11}`,
    `<p class="bad">✘ 没有编号为 ${escape(number.slice(0, 40))} 的证书 <span class="en">No certificate has this number</span></p>`,
  );
}
