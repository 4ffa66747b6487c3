import { Hono } from "hono";
import * as Certificates from "../../core/certificates.js";
import { DomainError } from "../../core/errors.js";
import { doc, type Env, type Media } from "../http.js";
import { certificatePage, notFoundPage, verificationPage } from "../pages/certificate.js";
import { links } from "../links.js";

const page = (description: string): Media => ({ type: "text/html", description });

/**
 * A certificate's two pages, for people rather than programs: the A4 print and the page its QR
 * code leads to. On AWS they are a function of their own (functions/pages.ts), so that the QR
 * encoder and the page templates load only when someone prints or scans.
 */
export function certificatePageRoutes() {
  const app = new Hono<Env>();

  app.get(
    "/certificates/:number/print",
    doc({
      operationId: "printCertificate",
      tag: "hours",
      who: "anyone with the number",
      summary: "The certificate as an HTML page that prints on A4, with a QR code to its verification page",
      ok: { 200: page("the certificate, ready to print") },
    }),
    async (c) => {
      const certificate = await Certificates.byNumber(c.var.deps.store, c.req.param("number"));
      return c.html(await certificatePage(certificate, (await links(c.var.deps, certificate.number)).verifyUrl));
    },
  );

  app.get(
    "/certificates/:number/verify",
    doc({
      operationId: "verifyCertificate",
      tag: "hours",
      who: "anyone",
      summary: "The public page a certificate's QR code leads to: genuine or not, and what it certifies",
      ok: { 200: page("the certificate is genuine: what it certifies") },
      // A person who scanned a code reads the answer: an unknown number is a page too.
      pages: { 404: page("no certificate has this number") },
    }),
    async (c) => {
      const number = c.req.param("number");
      try {
        return c.html(verificationPage(await Certificates.byNumber(c.var.deps.store, number)));
      } catch (err) {
        if (err instanceof DomainError && err.code === "certificate.not_found") return c.html(notFoundPage(number), 404);
        throw err;
      }
    },
  );

  return app;
}
