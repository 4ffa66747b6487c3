import { useNavigate, useSearchParams } from "@solidjs/router";
import { createSignal, onCleanup, Show } from "solid-js";
import { post } from "../data/api";
import { saveProfile } from "../data/profile";
import { safeNext } from "../data/routes";
import { homeOf, role, sessionExpired, signIn } from "../data/session";
import type { Me } from "../data/types";
import { fieldProblem } from "../i18n/explain";
import { localeChosenHere, setLocale, t } from "../i18n";
import { Busy, createAction, Outcome } from "../ui/action";
import { Field } from "../ui/field";
import { PageTitle } from "../ui/page-title";
import { tSignIn } from "../i18n/sign-in";

/** Phone and a 6-digit code from a text message; then the page the person came for, or their role's home. */
export default function SignIn() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [phone, setPhone] = createSignal("");
  const [code, setCode] = createSignal("");
  const [sentTo, setSentTo] = createSignal<string>();
  const [wait, setWait] = createSignal(0);
  const send = createAction();
  const verify = createAction();
  const naming = createAction();
  const [askName, setAskName] = createSignal(false);
  const [name, setName] = createSignal("");
  const goOn = () => navigate(safeNext(params.next, homeOf(role())), { replace: true });
  let timer: ReturnType<typeof setInterval> | undefined;
  onCleanup(() => clearInterval(timer));

  const startWait = () => {
    setWait(60);
    clearInterval(timer);
    timer = setInterval(() => setWait((w) => (w <= 1 ? (clearInterval(timer), 0) : w - 1)), 1000);
  };

  const requestCode = async (e: Event) => {
    e.preventDefault();
    const ok = await send.run(() => post("/api/auth/otp", { phone: phone().trim() }), tSignIn("signin.sent"));
    if (ok) {
      setSentTo(phone().trim());
      startWait();
      document.getElementById("code-field")?.querySelector("input")?.focus();
    }
  };

  const redeem = async (e: Event) => {
    e.preventDefault();
    const out = await verify.run(() =>
      post<{ token: string; refreshToken: string; user: Me }>("/api/auth/token", {
        phone: sentTo() ?? phone().trim(),
        code: code().trim(),
      }),
    );
    if (out) {
      signIn(out.token, out.user, out.refreshToken);
      if (!localeChosenHere() && out.user.lang === "en") setLocale("en");
      // The first time, the person is asked what to call them: nobody should stay 居民5678.
      if (out.user.named) goOn();
      else {
        setAskName(true);
        document.getElementById("name-field")?.querySelector("input")?.focus();
      }
    }
  };

  const saveName = async (e: Event) => {
    e.preventDefault();
    if (await naming.run(() => saveProfile({ name: name().trim() }))) goOn();
  };

  return (
    <Show when={!askName()} fallback={<NameStep />}>
      {signInForms()}
    </Show>
  );

  function NameStep() {
    return (
      <section class="page narrow" aria-labelledby="name-title">
        <PageTitle id="name-title">{tSignIn("welcome.title")}</PageTitle>
        <p class="lead">{tSignIn("welcome.lead")}</p>
        <form onSubmit={saveName} novalidate id="name-field">
          <Field
            label={t("me.name")}
            hint={t("me.nameHint")}
            autocomplete="name"
            required
            maxLength={40}
            value={name()}
            onValue={setName}
            problem={fieldProblem(naming.error(), "name")}
          />
          <button type="submit" class="primary wide" disabled={naming.busy()} aria-busy={naming.busy()}>
            <Busy when={naming.busy()} working={t("working")} idle={tSignIn("welcome.save")} />
          </button>
          <Outcome action={naming} />
          <button type="button" class="link wide" onClick={goOn}>
            {tSignIn("welcome.skip")}
          </button>
        </form>
      </section>
    );
  }

  function signInForms() {
    return (
      <section class="page narrow" aria-labelledby="signin-title">
        <PageTitle id="signin-title">{tSignIn("signin.title")}</PageTitle>
        <p class="lead">{tSignIn("signin.lead")}</p>
        <Show when={sessionExpired()}>
          <p class="notice" role="status">
            {tSignIn("signin.expired")}
          </p>
        </Show>
        <form onSubmit={requestCode} novalidate>
          <Field
            label={tSignIn("signin.phone")}
            type="tel"
            inputmode="tel"
            autocomplete="tel"
            required
            maxLength={20}
            value={phone()}
            onValue={setPhone}
            problem={fieldProblem(send.error(), "phone")}
          />
          <button type="submit" class="primary wide" disabled={send.busy() || wait() > 0} aria-busy={send.busy()}>
            <Busy
              when={send.busy()}
              working={tSignIn("signin.sending")}
              idle={wait() > 0 ? tSignIn("signin.resendIn", { s: wait() }) : sentTo() ? tSignIn("signin.resend") : tSignIn("signin.send")}
            />
          </button>
          <Outcome action={send} />
        </form>
        <Show when={sentTo()}>
          <form onSubmit={redeem} novalidate id="code-field">
            <Field
              label={tSignIn("signin.code")}
              hint={tSignIn("signin.codeHint", { phone: sentTo()! })}
              type="text"
              inputmode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9]*"
              maxLength={6}
              required
              value={code()}
              onValue={setCode}
              problem={fieldProblem(verify.error(), "code")}
            />
            <button type="submit" class="primary wide" disabled={verify.busy()} aria-busy={verify.busy()}>
              <Busy when={verify.busy()} working={tSignIn("signin.signingIn")} idle={tSignIn("signin.submit")} />
            </button>
            <Outcome action={verify} />
          </form>
        </Show>
      </section>
    );
  }
}
