/** The two parts of `qrcode` the certificate page uses, by their own paths (the package types its main entry only). */
declare module "qrcode/lib/core/qrcode.js" {
  import type { QRCode, QRCodeOptions } from "qrcode";
  const QRCodeCore: { create(text: string, options?: QRCodeOptions): QRCode };
  export default QRCodeCore;
}
declare module "qrcode/lib/renderer/svg-tag.js" {
  import type { QRCode, QRCodeToStringOptions } from "qrcode";
  const SvgTag: { render(data: QRCode, options: QRCodeToStringOptions, cb: (err: Error | null, svg: string) => void): string };
  export default SvgTag;
}
