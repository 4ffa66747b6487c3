/**
 * The printed certificate and its public verification page give days and times as the
 * communities read them, in China time, whatever the server's clock zone: a certificate issued
 * at 00:20 on 1 January in China is dated 1 January, as its number is.
 */
import { describe, expect, it } from "vitest";
import { certificatePage, verificationPage } from "../../functions/app/pages/certificate.js";
import type { Certificate } from "../../functions/core/certificates.js";

const issuedAt = "2026-12-31T16:20:00.000Z";
const cert: Certificate = {
  number: "MW-20270101-7KQ9X3AB",
  memberId: "u-1",
  memberName: "志愿者1",
  communityId: "c-1",
  communityName: "测试社区",
  from: "2026-12-01",
  to: "2026-12-31",
  totalMinutes: 75,
  entries: [
    {
      wishId: "w-1",
      day: "2026-12-31",
      content: "跨年夜陪护独居老人",
      category: "care",
      place: "幸福里3号楼",
      branchName: "第一支部",
      start: "2026-12-31T15:30:00.000Z",
      end: "2026-12-31T16:45:00.000Z",
      minutes: 75,
      signedByResident: true,
      verifierName: "王主任",
      verifiedAt: "2026-12-31T16:10:00.000Z",
    },
  ],
  verifiers: ["王主任"],
  issuedAt,
  issuedBy: { id: "u-2", name: "王主任" },
};
const dayInNumber = (number: string) => number.replace(/^MW-(\d{4})(\d{2})(\d{2})-.*$/, "$1-$2-$3");

describe("a certificate issued just after midnight in China", () => {
  it("prints the day of issue its number carries, and the day each service started in China", async () => {
    const html = await certificatePage(cert, "https://example.org/api/certificates/MW-20270101-7KQ9X3AB/verify");
    expect(html).toContain(`开具日期 ${dayInNumber(cert.number)}`);
    expect(html).not.toContain("开具日期 2026-12-31");
    // The service's day is the one it started on in China time (23:30 on the 31st), fixed when the certificate was issued.
    expect(html).toContain("<td>2026-12-31</td>");
  });

  it("shows the same day of issue to anyone who scans it", () => {
    const html = verificationPage(cert);
    expect(html).toContain(`<tr><th>开具日期 Issued</th><td>${dayInNumber(cert.number)}</td></tr>`);
  });
});
