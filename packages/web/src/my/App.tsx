import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import { tokyoToday } from "../app/format.ts";
import { type ReportBody, ReportForm } from "../modules/health/ReportForm.tsx";
import {
  type Certificate,
  deviceToken,
  SelfApiError,
  type SelfCase,
  type SelfOverview,
  selfApi,
} from "./api.ts";
import { formatDate, formatDateTime } from "./dates.ts";
import { myLanguages } from "./i18n.ts";
import { enqueue, flush, onQueueChange, pendingReports, rejectedReports } from "./queue.ts";

/**
 * Patient app (健康観察, /my/). Opening the one-time link (/my/#t=<token>; the fragment never
 * reaches the server's logs) exchanges it for a device token kept on the phone. Then: each
 * person's card, the daily report (queued when offline), settings, the care certificate.
 */
type View =
  | { name: "loading" }
  | { name: "invalid-link" }
  | { name: "no-device" }
  | { name: "revoked" }
  | { name: "home" }
  | { name: "report"; caseId: string }
  | { name: "certificate"; caseId: string }
  | { name: "settings" };

function useOnline() {
  return useSyncExternalStore(
    (l) => {
      window.addEventListener("online", l);
      window.addEventListener("offline", l);
      return () => {
        window.removeEventListener("online", l);
        window.removeEventListener("offline", l);
      };
    },
    () => navigator.onLine,
  );
}

function useQueue() {
  const [state, setState] = useState(() => ({ pending: pendingReports(), rejected: rejectedReports() }));
  useEffect(
    () => onQueueChange(() => setState({ pending: pendingReports(), rejected: rejectedReports() })),
    [],
  );
  return state;
}

const linkFragment = /^#t=([A-Za-z0-9_-]{20,200})$/;

export function App() {
  const { t, i18n } = useTranslation("my");
  const [view, setView] = useState<View>({ name: "loading" });
  // The last overview stays on the phone, so the app opens and takes reports with no network.
  const [overview, setOverviewState] = useState<SelfOverview | null>(lastOverview.get);
  const setOverview = useCallback((o: SelfOverview) => {
    lastOverview.set(o);
    setOverviewState(o);
  }, []);
  const [notice, setNotice] = useState<{ tone: "ok" | "urgent" | "queued"; text: string } | null>(null);
  const online = useOnline();
  const queue = useQueue();

  useEffect(() => {
    document.title = t("title");
  }, [t]);

  const load = useCallback(async (): Promise<SelfOverview | null> => {
    try {
      const fresh = await selfApi.overview();
      setOverview(fresh);
      setView((v) => (v.name === "loading" ? { name: "home" } : v));
      return fresh;
    } catch (error) {
      if (error instanceof SelfApiError && error.status === 401) {
        deviceToken.clear();
        lastOverview.clear();
        setView({ name: "revoked" });
      } else setView((v) => (v.name === "loading" ? { name: "home" } : v));
      return null;
    }
  }, [setOverview]);

  // First load: exchange a link in the fragment, or use the device token already here.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once, on opening the app.
  useEffect(() => {
    const match = linkFragment.exec(window.location.hash);
    if (match) {
      history.replaceState(null, "", window.location.pathname);
      selfApi
        .exchange(match[1])
        .then(({ deviceToken: token }) => {
          deviceToken.set(token);
          return load();
        })
        .catch(() => setView(deviceToken.get() ? { name: "home" } : { name: "invalid-link" }));
      return;
    }
    if (!deviceToken.get()) setView({ name: "no-device" });
    else void load();
  }, []);

  // Send what waits whenever the connection comes back, and every 20 s while anything waits.
  useEffect(() => {
    if (!online || queue.pending.length === 0 || !deviceToken.get()) return;
    const send = () =>
      flush().then(({ sent }) => {
        if (sent === 0) return;
        void load();
        // The "saved on this phone" notice is out of date once the report went out.
        setNotice((n) => (n?.tone === "queued" ? { tone: "ok", text: t("sent") } : n));
      });
    void send();
    const timer = setInterval(send, 20_000);
    return () => clearInterval(timer);
  }, [online, queue.pending.length, load, t]);

  const submit = async (c: SelfCase, body: Omit<ReportBody, "caseId" | "measuredAt">) => {
    enqueue({ ...body, caseId: c.caseId, measuredAt: new Date().toISOString() });
    const result = online ? await flush() : { offline: true, sent: 0 };
    // Show the cards as the server now has them (reported today) together with the notice.
    const fresh = result.offline ? null : await load();
    // The rules may judge a report urgent the patient did not mark so (SpO2 88 %, 39.6 ℃).
    const judged = fresh?.cases.find((x) => x.caseId === c.caseId)?.callAdvised ?? false;
    setNotice(
      body.urgentSymptoms.length > 0
        ? { tone: "urgent", text: t("urgentNotice.body") }
        : judged
          ? { tone: "urgent", text: t("urgentNotice.judged") }
          : result.offline
            ? { tone: "queued", text: t("queued") }
            : { tone: "ok", text: t("sent") },
    );
    setView({ name: "home" });
  };

  const current = overview?.cases.find((c) => "caseId" in view && c.caseId === view.caseId) ?? null;

  return (
    <div className="mx-auto flex min-h-dvh max-w-xl flex-col">
      <header className="flex flex-wrap items-center justify-between gap-2 border-b-4 border-blue-900 px-4 py-3 print:hidden">
        <h1 className="text-std-20B-150 text-blue-1000">{t("title")}</h1>
        <label className="flex items-center gap-2 text-dns-14N-130">
          <span className="sr-only">{t("language")}</span>
          <select
            value={i18n.resolvedLanguage ?? i18n.language}
            onChange={(e) => {
              const lang = e.currentTarget.value;
              void i18n.changeLanguage(lang);
              if (deviceToken.get()) void selfApi.settings({ language: lang }).catch(() => {});
            }}
            className="min-h-11 rounded-8 border border-solid-gray-600 bg-white px-2 text-oln-16N-100"
            data-testid="language"
          >
            {myLanguages.map((lang) => (
              <option key={lang} value={lang} lang={lang}>
                {t(`languageName.${lang}`)}
              </option>
            ))}
          </select>
        </label>
      </header>
      <main id="main" className="flex flex-1 flex-col gap-4 px-4 py-5">
        {!online ? (
          <p
            role="status"
            data-testid="offline"
            className="rounded-8 border-l-8 border-yellow-700 bg-yellow-50 px-4 py-3 text-std-16N-170"
          >
            {t("offline")}
          </p>
        ) : null}
        {queue.pending.length > 0 ? (
          <p
            role="status"
            data-testid="pending"
            className="rounded-8 border border-solid-gray-420 bg-solid-gray-50 px-4 py-3 text-std-16N-170"
          >
            {t("queue.pending", { count: queue.pending.length })}
          </p>
        ) : null}
        {queue.rejected.map((r) => (
          <p
            key={r.key}
            role="alert"
            className="rounded-8 border-l-8 border-error-1 bg-red-50 px-4 py-3 text-std-16N-170"
          >
            {t("queue.failed", { message: r.message })}
          </p>
        ))}
        {notice ? <Notice notice={notice} overview={overview} onClose={() => setNotice(null)} /> : null}
        <PrivacyNotice />

        {view.name === "loading" ? <p className="text-std-16N-170">{t("loading")}</p> : null}
        {view.name === "invalid-link" ? (
          <Message title={t("link.invalidTitle")} body={t("link.invalidBody")} testId="invalid-link" />
        ) : null}
        {view.name === "no-device" ? (
          <Message title={t("noDevice.title")} body={t("noDevice.body")} testId="no-device" />
        ) : null}
        {view.name === "revoked" ? (
          <Message title={t("revoked.title")} body={t("revoked.body")} testId="revoked" />
        ) : null}
        {view.name === "home" && overview ? (
          <Home
            overview={overview}
            onReport={(caseId) => {
              setNotice(null);
              setView({ name: "report", caseId });
            }}
            onCertificate={(caseId) => setView({ name: "certificate", caseId })}
            onSettings={() => setView({ name: "settings" })}
          />
        ) : null}
        {view.name === "report" && current ? (
          <section className="flex flex-col gap-4" aria-labelledby="report-title">
            <BackButton onClick={() => setView({ name: "home" })} />
            <h2 id="report-title" className="text-std-20B-150">
              {t("report.title", { name: current.nameKanji || current.nameKana })}
            </h2>
            <ReportForm
              ns="my"
              questions={current.questions}
              checklist={current.urgentChecklist}
              proxy={!current.self}
              onSubmit={(body) => void submit(current, body)}
            />
          </section>
        ) : null}
        {view.name === "certificate" && current ? (
          <CertificateView caseId={current.caseId} onBack={() => setView({ name: "home" })} />
        ) : null}
        {view.name === "settings" && overview ? (
          <Settings
            overview={overview}
            onBack={() => setView({ name: "home" })}
            onSaved={() => void load()}
          />
        ) : null}
      </main>
    </div>
  );
}

function Message({ title, body, testId }: { title: string; body: string; testId: string }) {
  return (
    <section data-testid={testId} className="rounded-12 border-2 border-solid-gray-420 bg-solid-gray-50 p-5">
      <h2 className="text-std-20B-150">{title}</h2>
      <p className="mt-2 text-std-16N-170">{body}</p>
    </section>
  );
}

function BackButton({ onClick }: { onClick: () => void }) {
  const { t } = useTranslation("my");
  return (
    <button
      type="button"
      onClick={onClick}
      className="min-h-11 self-start text-oln-16B-100 text-blue-900 underline"
    >
      ← {t("report.back")}
    </button>
  );
}

function Notice({
  notice,
  overview,
  onClose,
}: {
  notice: { tone: string; text: string };
  overview: SelfOverview | null;
  onClose: () => void;
}) {
  const { t } = useTranslation("my");
  const phone = overview?.cases[0]?.healthCenter.phone;
  const tone =
    notice.tone === "urgent"
      ? "border-error-1 bg-red-50"
      : notice.tone === "queued"
        ? "border-yellow-700 bg-yellow-50"
        : "border-green-700 bg-green-50";
  return (
    <div
      role={notice.tone === "urgent" ? "alert" : "status"}
      data-testid={`notice-${notice.tone}`}
      className={`flex flex-col gap-3 rounded-8 border-l-8 px-4 py-3 ${tone}`}
    >
      {notice.tone === "urgent" ? (
        <p className="text-std-18B-160 text-error-2">{t("urgentNotice.title")}</p>
      ) : null}
      <p className="text-std-16N-170">{notice.text}</p>
      {notice.tone === "urgent" && phone ? (
        <a
          href={`tel:${phone}`}
          className="min-h-12 rounded-8 bg-error-1 px-4 py-3 text-center text-oln-17B-100 text-white"
        >
          {t("home.call")} {phone}
        </a>
      ) : null}
      {/* A thumb's width (44 px), and a name a screen reader can say. */}
      <button
        type="button"
        onClick={onClose}
        aria-label={t("close")}
        className="min-h-11 min-w-11 self-end text-std-20B-150"
      >
        ×
      </button>
    </div>
  );
}

function Home({
  overview,
  onReport,
  onCertificate,
  onSettings,
}: {
  overview: SelfOverview;
  onReport: (caseId: string) => void;
  onCertificate: (caseId: string) => void;
  onSettings: () => void;
}) {
  const { t, i18n } = useTranslation("my");
  const lang = i18n.resolvedLanguage ?? "ja";
  return (
    <section className="flex flex-col gap-4" aria-labelledby="home-title">
      <h2 id="home-title" className="text-std-20B-150">
        {t("home.heading")}
      </h2>
      {overview.cases.map((c) => (
        <article
          key={c.caseId}
          data-testid={`person-${c.caseId}`}
          className="flex flex-col gap-3 rounded-12 border-2 border-solid-gray-420 p-4"
        >
          <div className="flex items-baseline justify-between gap-2">
            <h3 className="text-std-18B-160">{c.nameKanji || c.nameKana}</h3>
            <span className="text-dns-14N-130 text-solid-gray-700">
              {c.self ? t("home.self") : t("home.household")}
            </span>
          </div>
          {c.underObservation ? (
            <>
              <p
                data-testid="reported-state"
                className={`text-std-16B-170 ${c.reportedToday ? "text-green-1000" : "text-error-2"}`}
              >
                {c.reportedToday ? `✓ ${t("home.reported")}` : t("home.notReported")}
              </p>
              {c.lastReportAt ? (
                <p className="text-dns-14N-130 text-solid-gray-700">
                  {t("home.lastReport")}: {formatDateTime(c.lastReportAt, lang)}
                </p>
              ) : null}
              {c.period ? (
                <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-std-16N-170">
                  <dt className="text-solid-gray-700">{t("home.periodEnd")}</dt>
                  <dd data-testid="period-end">{formatDate(c.period.endDate, lang)}</dd>
                </dl>
              ) : null}
              {c.period?.endDate && c.period.endDate < tokyoToday() ? (
                <p
                  role="status"
                  data-testid="period-over"
                  className="rounded-8 border-l-8 border-yellow-700 bg-yellow-50 px-4 py-3 text-std-16N-170"
                >
                  {t("home.periodOver")}
                </p>
              ) : null}
              <button
                type="button"
                onClick={() => onReport(c.caseId)}
                data-testid="report-start"
                className="min-h-14 rounded-12 bg-blue-900 px-4 text-oln-17B-100 text-white hover:bg-blue-1000"
              >
                {c.reportedToday ? t("home.reportAgain") : t("home.report")}
              </button>
            </>
          ) : c.status === "released" ? (
            <>
              <p className="text-std-16B-170">{t("home.released")}</p>
              <button
                type="button"
                onClick={() => onCertificate(c.caseId)}
                data-testid="certificate-open"
                className="min-h-12 rounded-12 border-2 border-blue-900 px-4 text-oln-16B-100 text-blue-900"
              >
                {t("home.certificate")}
              </button>
            </>
          ) : null}
          <p className="text-dns-14N-130 text-solid-gray-700">
            {t("home.healthCenter")}: {c.healthCenter.name}
            {c.healthCenter.phone ? (
              <>
                {" "}
                <a
                  href={`tel:${c.healthCenter.phone}`}
                  className="inline-flex min-h-11 items-center text-blue-900 underline"
                >
                  {c.healthCenter.phone}
                </a>
              </>
            ) : null}
          </p>
        </article>
      ))}
      <button
        type="button"
        onClick={onSettings}
        className="min-h-11 self-start text-oln-16B-100 text-blue-900 underline"
      >
        {t("home.settings")}
      </button>
    </section>
  );
}

function Settings({
  overview,
  onBack,
  onSaved,
}: {
  overview: SelfOverview;
  onBack: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation("my");
  const [time, setTime] = useState(overview.reminderTime);
  const [saved, setSaved] = useState(false);
  return (
    <section className="flex flex-col gap-4" aria-labelledby="settings-title">
      <BackButton onClick={onBack} />
      <h2 id="settings-title" className="text-std-20B-150">
        {t("settings.title")}
      </h2>
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          void selfApi.settings({ reminderTime: time }).then(() => {
            setSaved(true);
            onSaved();
          });
        }}
      >
        <label className="flex flex-col gap-1 text-std-16B-170">
          {t("settings.reminderTime")}
          <input
            type="time"
            value={time}
            onChange={(e) => setTime(e.currentTarget.value)}
            required
            className="min-h-12 w-40 rounded-8 border-2 border-solid-gray-600 px-3 text-std-18N-160"
          />
        </label>
        <button
          type="submit"
          className="min-h-12 self-start rounded-12 bg-blue-900 px-6 text-oln-16B-100 text-white"
        >
          {t("settings.save")}
        </button>
        {saved ? <p role="status">{t("settings.saved")}</p> : null}
      </form>
    </section>
  );
}

function CertificateView({ caseId, onBack }: { caseId: string; onBack: () => void }) {
  const { t, i18n } = useTranslation("my");
  const lang = i18n.resolvedLanguage ?? "ja";
  const [cert, setCert] = useState<Certificate | null>(null);
  useEffect(() => {
    void selfApi.certificate(caseId).then(setCert);
  }, [caseId]);
  if (!cert) return <p>{t("loading")}</p>;
  return (
    <section className="flex flex-col gap-4" data-testid="certificate">
      <div className="print:hidden">
        <BackButton onClick={onBack} />
      </div>
      <div className="flex flex-col gap-4 rounded-12 border-2 border-solid-gray-900 p-6 print:border-0">
        <h2 className="text-center text-std-24B-150">{t("certificate.title")}</h2>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-std-16N-170">
          <dt>{t("certificate.caseNumber")}</dt>
          <dd>{cert.caseNumber}</dd>
          <dt>{t("certificate.name")}</dt>
          <dd>
            {cert.nameKanji}（{cert.nameKana}）
          </dd>
          <dt>{t("certificate.birthDate")}</dt>
          <dd>{formatDate(cert.birthDate, lang)}</dd>
          <dt>{t("certificate.disease")}</dt>
          <dd>{lang === "ja" ? cert.diseaseName.ja : `${cert.diseaseName.en}（${cert.diseaseName.ja}）`}</dd>
          <dt>{t("certificate.period")}</dt>
          <dd data-testid="certificate-period">
            {formatDate(cert.startDate, lang)} {t("certificate.to")} {formatDate(cert.releasedOn, lang)}
          </dd>
        </dl>
        <p className="text-std-16N-170">{t("certificate.statement")}</p>
        <p className="text-right text-std-16N-170">
          {t("certificate.issued")}: {formatDate(cert.issuedOn, lang)}
          <br />
          {t("certificate.issuer")}: {cert.healthCenter.name}
        </p>
      </div>
      <button
        type="button"
        onClick={() => window.print()}
        className="min-h-12 self-start rounded-12 bg-blue-900 px-6 text-oln-16B-100 text-white print:hidden"
      >
        {t("certificate.print")}
      </button>
    </section>
  );
}

const overviewKey = "kansen.my.overview";
const lastOverview = {
  get: (): SelfOverview | null => {
    try {
      return JSON.parse(globalThis.localStorage?.getItem(overviewKey) ?? "null") as SelfOverview | null;
    } catch {
      return null;
    }
  },
  set: (o: SelfOverview) => globalThis.localStorage?.setItem(overviewKey, JSON.stringify(o)),
  clear: () => globalThis.localStorage?.removeItem(overviewKey),
};

const privacyKey = "kansen.my.privacy-seen";

/** On first open: what the app collects, for what, and who sees it (and where to ask). */
function PrivacyNotice() {
  const { t } = useTranslation("my");
  const [seen, setSeen] = useState(() => globalThis.localStorage?.getItem(privacyKey) === "1");
  if (seen) return null;
  return (
    <section
      aria-labelledby="privacy-heading"
      data-testid="privacy-notice"
      className="flex flex-col gap-2 rounded-12 border-2 border-blue-900 bg-blue-50 p-4"
    >
      <h2 id="privacy-heading" className="text-std-18B-160">
        {t("privacy.title")}
      </h2>
      <p className="text-std-16N-170">{t("privacy.body")}</p>
      <button
        type="button"
        data-testid="privacy-ok"
        className="min-h-12 self-start rounded-8 bg-blue-900 px-4 text-oln-16B-100 text-white"
        onClick={() => {
          globalThis.localStorage?.setItem(privacyKey, "1");
          setSeen(true);
        }}
      >
        {t("privacy.ok")}
      </button>
    </section>
  );
}
