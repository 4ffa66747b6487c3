import type { Message, Notifier } from "./notifier.js";

/** A domestic SMS provider reached over HTTP: where, as whom, under which registered signature and template codes. */
export interface HttpSmsConfig {
  url: string;
  /** sent as `Authorization: Bearer <key>` */
  key: string;
  /** the signature registered with the provider (签名), e.g. 微心愿 */
  signName: string;
  /** the provider's code for each template and language (`task-confirmed.zh-CN`); the template's own name when absent */
  templateCodes?: Record<string, string>;
  /** how long one request may take before it counts as a network failure, in ms (5000) */
  timeoutMs?: number;
}

/** A refusal or failure, shaped as SNS's are, so the stream handler retries what is worth retrying. */
export class SmsProviderError extends Error {
  readonly $fault: "client" | "server";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = status === 429 ? "Throttling" : "SmsProviderError";
    this.$fault = status === 429 || status >= 500 ? "server" : "client";
  }
}

/**
 * SMS through a domestic provider's JSON API, by template: `POST url` with
 * `{ phone, signName, templateCode, params }`. A 2xx is sent; a 429, a 5xx or no answer is retried
 * by the caller; any other 4xx is a refusal (a number or template the provider will not take), not retried.
 * A message without a template is refused here: free text cannot be sent to mainland China.
 * Topic messages are not SMS: `publish` goes to `topic` (SNS), which stays for integrations.
 */
export function httpSmsNotifier(config: HttpSmsConfig, topic: Pick<Notifier, "publish">): Notifier {
  return {
    async send(message: Message) {
      if (!message.template) throw new SmsProviderError(400, `An SMS of kind ${message.kind} has no registered template`);
      const { id, lang, vars } = message.template;
      const body = {
        phone: message.to,
        signName: config.signName,
        templateCode: config.templateCodes?.[`${id}.${lang}`] ?? `${id}.${lang}`,
        params: vars,
      };
      let res: Response;
      try {
        res = await fetch(config.url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${config.key}` },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(config.timeoutMs ?? 5000),
        });
      } catch (err) {
        throw new SmsProviderError(503, `SMS provider unreachable: ${(err as Error).message}`);
      }
      const text = await res.text();
      if (!res.ok) throw new SmsProviderError(res.status, `SMS provider answered ${res.status}: ${text.slice(0, 200)}`);
    },
    publish: (message) => topic.publish(message),
  };
}

/** The SMS provider the deployment names (SMS_PROVIDER=http and its SMS_HTTP_* settings), else SNS for everything. */
export function notifierFrom(env: NodeJS.ProcessEnv, sns: Notifier): Notifier {
  if ((env.SMS_PROVIDER ?? "sns") === "sns") return sns;
  if (env.SMS_PROVIDER !== "http") throw new Error(`SMS_PROVIDER must be sns or http, not ${env.SMS_PROVIDER}`);
  const need = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`SMS_PROVIDER=http needs ${name}`);
    return value;
  };
  return httpSmsNotifier(
    {
      url: need("SMS_HTTP_URL"),
      key: need("SMS_HTTP_KEY"),
      signName: need("SMS_SIGN_NAME"),
      templateCodes: env.SMS_TEMPLATE_CODES ? JSON.parse(env.SMS_TEMPLATE_CODES) : undefined,
    },
    sns,
  );
}
